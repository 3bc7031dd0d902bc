"""The question tree in data/: every path ends in facts the engine accepts; back() undoes one step."""

from __future__ import annotations

import subprocess
import sys
from typing import Any

import pytest

from trivsel_tui.domain.classify import classify
from trivsel_tui.domain.facts import parse_facts
from trivsel_tui.domain.rules import Rules
from trivsel_tui.domain.wizard import WizardTreeError, back, every_walk, load_tree, merge_sets, parse_tree, walk

BASE: dict[str, Any] = {"occurred_at": "2026-03-02T10:00:00", "perpetrator": "citizen"}
TREE = load_tree()


@pytest.mark.parametrize("perpetrator", ["citizen", "colleague", "manager", "unknown"])
def test_every_path_ends_in_facts_the_engine_accepts(rules: Rules, perpetrator: str) -> None:
    walks = list(every_walk(TREE, rules, BASE | {"perpetrator": perpetrator}))
    assert len(walks) > 100
    visited = set()
    for state in walks:
        assert state.done
        result = classify(parse_facts(state.facts, rules), rules)
        assert result.types
        visited.update(state.visited)
    assert visited == set(TREE.questions), "every question is reachable"


def test_every_answer_sets_valid_facts(rules: Rules) -> None:
    for question in TREE.questions.values():
        for answer in question.answers:
            facts = dict(BASE, behaviours=["kick"], injury="none")
            merge_sets(facts, answer.sets)
            parse_facts(facts, rules)


def test_questions_that_cannot_matter_are_skipped(rules: Rules) -> None:
    # Issue 11: every path now ends with the outside-working-hours question (BEK 799/2022 § 1, stk. 2).
    sexual_only = walk(
        TREE,
        rules,
        {
            "category": ["sexual"],
            "sexual": ["unwanted_touching"],
            "injury": ["physical"],
            "over_time": ["no"],
            "outside_hours": ["no"],
        },
        BASE,
    )
    assert sexual_only.done
    assert "intentional" not in sexual_only.visited  # intent only matters for violence and threats
    # Issue 11: a pattern over time may be given for any category, but the bullying questions (the mobning
    # pattern, whether the target can defend themselves) stay in the degrading branch.
    assert "pattern" not in sexual_only.visited and "can_defend" not in sexual_only.visited
    violence = walk(
        TREE, rules, {"category": ["physical"], "physical": ["kick"], "injury": ["physical"], "over_time": ["no"]}, BASE
    )
    assert violence.current == "intentional"
    no_injury = walk(TREE, rules, {"category": ["physical"], "physical": ["kick"], "injury": ["none"]}, BASE)
    assert no_injury.current == "outside_hours"  # no injury: intent and reflex cannot matter


def test_the_wizard_asks_which_holds_when_intent_and_reflex_contradict(rules: Rules) -> None:
    answers = {
        "category": ["physical"],
        "physical": ["kick"],
        "injury": ["physical"],
        "over_time": ["no"],
        "intentional": ["yes"],
    }
    contradiction = walk(TREE, rules, answers | {"reflex": ["yes"]}, BASE)
    assert contradiction.current == "which_holds"
    settled = walk(TREE, rules, answers | {"reflex": ["yes"], "which_holds": ["reflex"]}, BASE)
    assert settled.facts["intentional"] is False and settled.current == "outside_hours"
    assert walk(TREE, rules, answers | {"reflex": ["no"]}, BASE).current == "outside_hours"


def test_a_pattern_with_injury_asks_whether_this_episode_caused_it(rules: Rules) -> None:
    answers = {
        "category": ["degrading"],
        "degrading": ["ridicule"],
        "pattern": ["regular"],
        "can_defend": ["no"],
        "grounds": [],
        "injury": ["psychological"],
    }
    assert walk(TREE, rules, answers, BASE).current == "single_episode"
    assert walk(TREE, rules, answers | {"injury": ["none"]}, BASE).current == "outside_hours"


@pytest.mark.parametrize(
    ("category", "behaviour"), [("physical", "kick"), ("threat", "threat_to_life"), ("sexual", "unwanted_touching")]
)
def test_any_category_with_injury_asks_about_a_pattern_over_time_then_the_cause(
    rules: Rules, category: str, behaviour: str
) -> None:
    """Issue 11: «Enkeltstående … situationer, der har påført medarbejderen … personskade, anmeldes som en
    arbejdsulykke» – so for any category the wizard asks whether it happened regularly over time, and when it
    did, whether the injury came from this one episode (BEK 485/2024 § 2; otherwise an erhvervssygdom)."""
    answers = {"category": [category], category: [behaviour], "injury": ["psychological"]}
    assert walk(TREE, rules, answers, BASE).current == "over_time"
    pattern = walk(TREE, rules, answers | {"over_time": ["yes"]}, BASE)
    assert pattern.facts["regular_over_time"] is True and pattern.current == "single_episode"
    over_time = answers | {"over_time": ["yes"], "single_episode": ["over_time"]}
    facts = walk(TREE, rules, over_time, BASE).facts
    result = classify(parse_facts(facts | {"outside_working_hours": False}, rules), rules)
    assert result.insurance_report == "violation" and "occupational_disease" in {n.code for n in result.notices}
    single = walk(TREE, rules, answers | {"over_time": ["no"]}, BASE)
    assert single.facts["regular_over_time"] is False and single.current != "single_episode"
    none = {"category": [category], category: [behaviour], "injury": ["none"]}
    assert walk(TREE, rules, none, BASE).current == "outside_hours"  # no injury: the pattern cannot matter


def test_branches_of_a_multi_question_are_visited_in_order(rules: Rules) -> None:
    answers = {"category": ["physical", "sexual"], "physical": ["spit"]}
    state = walk(TREE, rules, answers, BASE)
    assert state.visited == ("category", "physical")
    assert state.current == "sexual"


def test_back_undoes_the_last_answer_only(rules: Rules) -> None:
    answers = {"category": ["degrading"], "degrading": ["ridicule"], "pattern": ["regular"]}
    assert walk(TREE, rules, answers, BASE).current == "can_defend"
    previous = back(TREE, rules, answers, BASE)
    assert previous == {"category": ["degrading"], "degrading": ["ridicule"]}
    assert walk(TREE, rules, previous, BASE).current == "pattern"
    assert back(TREE, rules, {}, BASE) == {}


def test_a_broken_tree_is_refused() -> None:
    broken = {
        "start": "a",
        "questions": {
            "a": {
                "text": "?",
                "help": "",
                "section": "x",
                "kind": "single",
                "answers": [{"code": "y", "label": "Y", "next": "nowhere"}],
            }
        },
    }
    with pytest.raises(WizardTreeError, match="nowhere"):
        parse_tree(broken)


def test_rules_graph_prints_dot_for_every_question() -> None:
    result = subprocess.run([sys.executable, "-m", "trivsel_tui", "rules", "graph"], capture_output=True, text=True)
    assert result.returncode == 0
    assert result.stdout.startswith("digraph wizard {")
    for code in TREE.questions:
        assert f'"{code}"' in result.stdout
    # Review §4.3: read by a MED committee – conditions and the fall-through edge in plain Danish.
    assert 'label="øvrige svar"' in result.stdout and "ellers" not in result.stdout
    assert (
        "kun hvis episoden omfatter vold eller trusler" in result.stdout and "violence_or_threat)" not in result.stdout
    )
