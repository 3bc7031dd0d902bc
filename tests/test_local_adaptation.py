"""A MED level's local adaptation changes deadlines and adds actions; bad files are refused by key."""

from __future__ import annotations

from pathlib import Path

import pytest

from trivsel_tui.domain.classify import classify
from trivsel_tui.domain.facts import parse_facts
from trivsel_tui.domain.rules import RulesError, load_rules

FACTS = {
    "occurred_at": "2026-03-02T10:00:00+01:00",
    "behaviours": ["kick"],
    "perpetrator": "citizen",
    "injury": "physical",
}


def adaptation(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "lokal.toml"
    path.write_text(text, encoding="utf-8")
    return path


def due_of(rules_path: Path | None, code: str) -> str | None:
    rules = load_rules(rules_path)
    result = classify(parse_facts(FACTS, rules), rules).to_json()
    return next(a["due"] for a in result["actions"] if a["code"] == code)


def test_local_adaptation_changes_a_local_default_deadline(tmp_path: Path) -> None:
    assert due_of(None, "amg_follow_up") == "2026-04-01T10:00:00+02:00"  # 30 days
    path = adaptation(tmp_path, 'name = "Ældreområdet"\n[deadlines.amg_follow_up]\namount = 14\n')
    assert due_of(path, "amg_follow_up") == "2026-03-16T10:00:00+01:00"


def test_local_adaptation_may_shorten_a_legal_deadline(tmp_path: Path) -> None:
    path = adaptation(tmp_path, "[deadlines.police_report]\namount = 48\n")
    assert due_of(path, "police_report") == "2026-03-04T10:00:00+01:00"


def test_local_adaptation_cannot_lengthen_a_legal_deadline(tmp_path: Path) -> None:
    path = adaptation(tmp_path, "[deadlines.police_report]\namount = 96\n")
    with pytest.raises(RulesError, match=r"deadlines\.police_report\.amount.*kortere"):
        load_rules(path)


def test_local_adaptation_adds_a_local_action(tmp_path: Path) -> None:
    path = adaptation(
        tmp_path,
        '[[actions]]\ncode = "debrief"\ntitle = "Kollegial debriefing"\ncategories = ["violence_threats"]\ndays = 1\n',
    )
    assert due_of(path, "debrief") == "2026-03-03T10:00:00+01:00"


@pytest.mark.parametrize(
    ("text", "named"),
    [
        ("[deadlines.amg_follow_up]\namout = 14\n", "deadlines.amg_follow_up.amout"),
        ("[deadlines.coffee]\namount = 1\n", "deadlines.coffee"),
        ("[deadlines.amg_follow_up]\namount = 0\n", "deadlines.amg_follow_up.amount"),
        ("colour = 1\n", "colour"),
        ('[[actions]]\ncode = "x"\n', "actions[0].title"),
        ('[[actions]]\ncode = "x"\ntitle = "X"\ncategories = ["cats"]\n', "actions[0].categories"),
        ("this is not toml", "ikke gyldig TOML"),
    ],
)
def test_bad_adaptation_names_the_key(tmp_path: Path, text: str, named: str) -> None:
    with pytest.raises(RulesError) as raised:
        load_rules(adaptation(tmp_path, text))
    assert named in str(raised.value)
