"""Invariants of the engine over generated facts (hypothesis)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

import pendulum
from hypothesis import given, settings
from hypothesis import strategies as st

from trivsel_tui.domain.classify import SEXUAL_TYPES, VIOLENCE_TYPES, Classification, classify
from trivsel_tui.domain.facts import parse_facts
from trivsel_tui.domain.rules import load_rules

RULES = load_rules()
maybe_bool = st.sampled_from([True, False, None])

facts_strategy = st.fixed_dictionaries(
    {
        "occurred_at": st.datetimes(
            min_value=datetime(2015, 1, 1), max_value=datetime(2030, 12, 31), timezones=st.just(UTC)
        ).map(lambda d: d.isoformat()),
        "behaviours": st.lists(st.sampled_from(sorted(RULES.behaviours)), min_size=1, max_size=4),
        "perpetrator": st.sampled_from(sorted(RULES.perpetrators)),
        "injury": st.sampled_from(sorted(RULES.injuries)),
    },
    optional={
        "intentional": maybe_bool,
        "reflex_or_resistance": st.booleans(),
        "regular_over_time": st.booleans(),
        "repeated_gross": st.booleans(),
        "target_can_defend": maybe_bool,
        "grounds": st.lists(st.sampled_from(sorted(RULES.grounds)), max_size=2),
        "channel": st.sampled_from(sorted(RULES.channels)),
    },
)


def result_for(raw: dict[str, Any]) -> tuple[Any, Any]:
    facts = parse_facts(raw, RULES)
    return facts, classify(facts, RULES)


@settings(max_examples=300, deadline=None)
@given(facts_strategy)
def test_police_relevant_implies_violence_and_injury(raw: dict[str, Any]) -> None:
    facts, result = result_for(raw)
    if result.police_relevant:
        assert set(result.types) & VIOLENCE_TYPES
        assert facts.injury != "none"
        assert facts.intentional is not False
        # Reflex given together with intent is a contradiction (issue 11): the clock stays on.
        assert facts.reflex_or_resistance is not True or facts.intentional is True


@settings(max_examples=300, deadline=None)
@given(facts_strategy)
def test_police_deadline_is_exactly_72_real_hours(raw: dict[str, Any]) -> None:
    facts, result = result_for(raw)
    if result.police_relevant:
        elapsed = result.police_deadline.in_tz("UTC") - facts.occurred_at.in_tz("UTC")
        assert elapsed.total_seconds() == timedelta(hours=72).total_seconds()
        assert result.police_deadline.timezone_name == "Europe/Copenhagen"
    else:
        assert result.police_deadline is None


@settings(max_examples=300, deadline=None)
@given(facts_strategy)
def test_insurance_report_is_null_exactly_without_violence_threat_or_sexual_type(raw: dict[str, Any]) -> None:
    _facts, result = result_for(raw)
    assert (result.insurance_report is None) == (not set(result.types) & (VIOLENCE_TYPES | SEXUAL_TYPES))


@settings(max_examples=300, deadline=None)
@given(facts_strategy)
def test_every_action_is_due_after_the_episode_and_every_type_has_its_category(raw: dict[str, Any]) -> None:
    facts, result = result_for(raw)
    assert result.types, "every behaviour maps to a type"
    assert set(result.categories) == {RULES.types[t]["category"] for t in result.types}
    assert list(result.types) == sorted(result.types)
    for action in result.actions:
        assert action.due is None or action.due > facts.occurred_at
    assert len({a.code for a in result.actions}) == len(result.actions), "no action twice"
    assert ("amg_follow_up" in {a.code for a in result.actions}) == (result.insurance_report is not None)
    json = result.to_json()
    for action in json["actions"]:
        if action["due"]:
            assert pendulum.parse(action["due"]).utcoffset() in (timedelta(hours=1), timedelta(hours=2))


@settings(max_examples=200, deadline=None)
@given(facts_strategy)
def test_a_stored_classification_reads_back_unchanged(raw: dict[str, Any]) -> None:
    _facts, result = result_for(raw)
    assert Classification.from_json(result.to_json()) == result
