"""Input validation: every kind of bad input is refused with a message that names the field."""

from __future__ import annotations

from typing import Any

import pytest

from trivsel_tui.domain.facts import FactsError, parse_facts
from trivsel_tui.domain.rules import Rules

GOOD: dict[str, Any] = {
    "occurred_at": "2026-03-02T10:00:00+01:00",
    "behaviours": ["kick"],
    "perpetrator": "citizen",
    "injury": "physical",
}


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"occurred_at": None}, "occurred_at"),
        ({"behaviours": []}, "behaviours"),
        ({"behaviours": ["kik"]}, "behaviours"),
        ({"behaviours": "kick"}, "behaviours"),
        ({"perpetrator": "neighbour"}, "perpetrator"),
        ({"injury": 3}, "injury"),
        ({"occurred_at": "2026-02-30T10:00:00"}, "occurred_at"),
        ({"occurred_at": "i går"}, "occurred_at"),
        ({"occurred_at": "2026-03-02"}, "occurred_at"),
        ({"occurred_at": 1700000000}, "occurred_at"),
        ({"intentional": "yes"}, "intentional"),
        ({"intentional": 1}, "intentional"),
        ({"grounds": ["height"]}, "grounds"),
        ({"channel": "pigeon"}, "channel"),
        ({"first_absence_day": "2026-13-01"}, "first_absence_day"),
        ({"first_absence_day": "2026-03-01"}, "first_absence_day"),  # before the episode
        ({"absence_days": -1}, "absence_days"),
        ({"absence_days": 2.5}, "absence_days"),
        ({"absence_days": True}, "absence_days"),
        ({"colour": "red"}, "colour"),
    ],
)
def test_bad_field_is_named(rules: Rules, change: dict[str, Any], field: str) -> None:
    with pytest.raises(FactsError) as raised:
        parse_facts(GOOD | change, rules)
    assert raised.value.field == field
    assert str(raised.value).startswith(f"{field}: ")


@pytest.mark.parametrize("missing", ["occurred_at", "behaviours", "perpetrator", "injury"])
def test_missing_required_field(rules: Rules, missing: str) -> None:
    broken = {k: v for k, v in GOOD.items() if k != missing}
    with pytest.raises(FactsError, match=f"^{missing}: mangler"):
        parse_facts(broken, rules)


@pytest.mark.parametrize("not_an_object", [[], "text", 42, None])
def test_input_must_be_an_object(rules: Rules, not_an_object: Any) -> None:
    with pytest.raises(FactsError, match="JSON-objekt"):
        parse_facts(not_an_object, rules)


def test_repeated_behaviours_are_kept_once(rules: Rules) -> None:
    facts = parse_facts(GOOD | {"behaviours": ["kick", "kick", "spit"]}, rules)
    assert facts.behaviours == ("kick", "spit")
