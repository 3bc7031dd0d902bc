"""A MED level's local adaptation changes deadlines and adds actions; bad files are refused by key."""

from __future__ import annotations

import json
import os
import subprocess
import sys
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


# --- issue 11: the legal-deadline bug (review §5.2) and what a local adaptation may change ---------


def test_shortening_the_work_accident_deadline_applies_after_july_2022(tmp_path: Path) -> None:
    """Review §5.2: amount = 7 was accepted but silently ignored for episodes after 2022-07-01."""
    path = adaptation(tmp_path, "[deadlines.work_accident_report]\namount = 7\n")
    assert due_of(path, "insurance_report") == "2026-03-09T23:59:00+01:00"


def test_a_deadline_between_old_and_current_law_is_accepted_for_the_current_period(tmp_path: Path) -> None:
    """Review §5.2: amount = 12 was refused as "længere end den lovbestemte frist (9)"; the law in force is 14."""
    path = adaptation(tmp_path, "[deadlines.work_accident_report]\namount = 12\n")
    assert due_of(path, "insurance_report") == "2026-03-14T23:59:00+01:00"
    rules = load_rules(path)
    old = classify(parse_facts(FACTS | {"occurred_at": "2022-06-20T10:00:00"}, rules), rules).to_json()
    assert old["actions"][0]["due"] == "2022-06-29T23:59:00+02:00"  # before July 2022 the 9 days of then stay


def test_lengthening_beyond_the_law_in_force_names_the_current_law(tmp_path: Path) -> None:
    path = adaptation(tmp_path, "[deadlines.work_accident_report]\namount = 15\n")
    with pytest.raises(RulesError, match=r"lovbestemte frist \(14\)"):
        load_rules(path)


def test_a_local_adaptation_can_change_owners_and_offer_support_in_colleague_cases(tmp_path: Path) -> None:
    path = adaptation(
        tmp_path,
        '[owners]\namg_follow_up = "hr"\n\n'
        '[[actions]]\ncode = "offer_support"\ncategories = ["sexual_harassment"]\nperpetrators = ["colleague"]\n',
    )
    rules = load_rules(path)
    facts = FACTS | {"behaviours": ["unwanted_touching"], "perpetrator": "colleague", "injury": "none"}
    result = classify(parse_facts(facts, rules), rules).to_json()
    owners = {a["code"]: a["owner_role"] for a in result["actions"]}
    assert owners["offer_support"] == "leader" and owners["amg_follow_up"] == "hr"
    assert "lokal tilpasning" in result["rules_version"]


def test_a_local_adaptation_can_remove_a_non_legal_action_but_never_a_legal_one(tmp_path: Path) -> None:
    rules = load_rules(adaptation(tmp_path, 'remove = ["offer_support"]\n'))
    result = classify(parse_facts(FACTS, rules), rules).to_json()
    assert "offer_support" not in [a["code"] for a in result["actions"]]
    assert any("fjerner" in s for s in result["rationale"])
    with pytest.raises(RulesError, match="remove: police_report er en lovbestemt handling"):
        load_rules(adaptation(tmp_path, 'remove = ["police_report"]\n'))


# --- issue 9: hostile adaptation content is refused with one Danish line naming the field -------------


@pytest.mark.parametrize(
    ("content", "named"),
    [
        (b"[deadlines.amg_follow_up]\namount = 14\neffective_from = 2026-01-01T10:00:00\n", "effective_from"),
        (b"[deadlines.amg_follow_up]\namount = 1000000000000\n", "deadlines.amg_follow_up.amount"),
        (b"[deadlines.police_report]\namount = 1000000000000\n", "deadlines.police_report.amount"),
        (b"deadlines = [1, 2]\n", "deadlines"),
        (b'[[actions]]\ncode = "police_report"\ntitle = "Politi"\n', "actions[0].code"),
        (b'name = "\xe6ldre"\n', "UTF-8"),
        (b"actions = {}\n", "actions"),
        (b'[[actions]]\ncode = "x"\ntitle = "X"\ncategories = "violence_threats"\n', "actions[0].categories"),
        (b'[[actions]]\ncode = "x"\ntitle = "X"\ndays = 1000000000000\n', "actions[0].days"),
        (b'[owners]\noffer_support = "boss"\n', "owners.offer_support"),
        (b"decided_on = 2026-01-01T10:00:00\n", "decided_on"),
    ],
)
def test_hostile_adaptation_content_is_one_danish_line_from_the_cli(tmp_path: Path, content: bytes, named: str) -> None:
    path = tmp_path / "lokal.toml"
    path.write_bytes(content)
    facts = tmp_path / "facts.json"
    facts.write_text(json.dumps(FACTS), encoding="utf-8")
    result = subprocess.run(
        [sys.executable, "-m", "trivsel_tui", "classify", "--rules", str(path), str(facts)],
        capture_output=True,
        text=True,
        timeout=60,
        env=os.environ | {"XDG_CONFIG_HOME": str(tmp_path / "cfg"), "XDG_DATA_HOME": str(tmp_path / "data")},
    )
    assert result.returncode == 2, result.stderr
    assert "Traceback" not in result.stderr
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and named in lines[0], result.stderr
