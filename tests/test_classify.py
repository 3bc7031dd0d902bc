"""The classification engine against every rule of the guideline, with fixed inputs."""

from __future__ import annotations

from typing import Any

import pytest

from trivsel_tui.domain.classify import classify
from trivsel_tui.domain.facts import parse_facts
from trivsel_tui.domain.rules import Rules


def run(rules: Rules, **facts: Any) -> dict[str, Any]:
    base: dict[str, Any] = {"occurred_at": "2026-03-02T10:00:00+01:00", "perpetrator": "citizen", "injury": "none"}
    return classify(parse_facts(base | facts, rules), rules).to_json()


def codes(result: dict[str, Any]) -> list[str]:
    return [a["code"] for a in result["actions"]]


def due(result: dict[str, Any], code: str) -> str | None:
    return next(a["due"] for a in result["actions"] if a["code"] == code)


def test_issue_example_kick_from_citizen(rules: Rules) -> None:
    result = run(rules, behaviours=["kick"], injury="physical", intentional=True)
    assert result["types"] == ["physical_violence"]
    assert result["categories"] == ["violence_threats"]
    assert result["insurance_report"] == "work_accident"
    # Issue 11: a citizen perpetrator makes the dispensation notat possible, and a relevant police
    # report brings the 2-year offererstatning application.
    assert result["police_report"] == {
        "relevant": True,
        "deadline": "2026-03-05T10:00:00+01:00",
        "dispensation_possible": True,
    }
    assert codes(result) == [
        "insurance_report",
        "police_report",
        "victim_compensation",
        "offer_support",
        "amg_follow_up",
    ]
    # Work accident without absence: 14 days after the episode's day, until 23:59.
    assert due(result, "insurance_report") == "2026-03-16T23:59:00+01:00"


def test_issue_example_lewd_comments_from_manager(rules: Rules) -> None:
    result = run(rules, occurred_at="2026-05-01T12:00:00", behaviours=["lewd_jokes_comments"], perpetrator="manager")
    assert result["types"] == ["unwanted_sexual_attention"]
    assert result["insurance_report"] == "violation"
    # Issue 11: a manager perpetrator has its own route (never "egen leder") and the manager_involved notice.
    assert "resolve_locally_manager" in codes(result)
    assert "offer_support" not in codes(result)
    assert [n["code"] for n in result["notices"]] == ["not_anonymous", "manager_involved"]
    assert result["police_report"] == {"relevant": False, "deadline": None, "dispensation_possible": False}


@pytest.mark.parametrize(
    ("behaviour", "expected_type", "category"),
    [
        ("spit", "physical_violence", "violence_threats"),
        ("strangulation_attempt", "physical_violence", "violence_threats"),
        ("threat_nonverbal", "threat", "violence_threats"),
        ("threat_to_relatives", "threat", "violence_threats"),
        ("sexual_questions", "unwanted_sexual_attention", "sexual_harassment"),
        ("pornographic_material", "unwanted_sexual_attention", "sexual_harassment"),
        ("ridicule", "degrading_treatment", "bullying_degrading"),
    ],
)
def test_behaviour_decides_type(rules: Rules, behaviour: str, expected_type: str, category: str) -> None:
    result = run(rules, behaviours=[behaviour])
    assert result["types"] == [expected_type]
    assert result["categories"] == [category]


@pytest.mark.parametrize(
    ("pattern", "can_defend", "expected"),
    [
        ({"regular_over_time": True}, False, "bullying"),
        ({"repeated_gross": True}, False, "bullying"),
        ({"regular_over_time": True}, True, "degrading_treatment"),
        ({"regular_over_time": True}, None, "degrading_treatment"),  # unknown: not (yet) bullying
        ({}, False, "degrading_treatment"),  # a single act is degrading treatment
        ({"regular_over_time": False, "repeated_gross": False}, False, "degrading_treatment"),
    ],
)
def test_bullying_needs_pattern_and_a_target_who_cannot_defend(
    rules: Rules, pattern: dict[str, bool], can_defend: bool | None, expected: str
) -> None:
    result = run(rules, behaviours=["belittling"], perpetrator="colleague", target_can_defend=can_defend, **pattern)
    assert result["types"] == [expected]
    assert result["insurance_report"] is None  # the guideline names no Insubiz duty for bullying
    assert "offer_support" in codes(result)
    assert "amg_follow_up" not in codes(result)


def test_several_types_in_one_episode(rules: Rules) -> None:
    result = run(rules, behaviours=["spit", "sexual_proposition"], injury="psychological", intentional=True)
    assert result["types"] == ["physical_violence", "unwanted_sexual_attention"]
    assert result["categories"] == ["sexual_harassment", "violence_threats"]
    assert result["insurance_report"] == "work_accident"


@pytest.mark.parametrize(
    ("facts", "relevant"),
    [
        ({"injury": "physical", "intentional": True}, True),
        ({"injury": "psychological", "intentional": None}, True),  # unknown intent: still relevant, clarify
        ({"injury": "both", "intentional": True, "reflex_or_resistance": False}, True),
        ({"injury": "none", "intentional": True}, False),
        ({"injury": "physical", "intentional": False}, False),
        ({"injury": "physical", "intentional": None, "reflex_or_resistance": True}, False),
        # Issue 11: intentional and reflex both true contradict each other; both count as unresolved,
        # so the 72-hour clock stays on (was: not relevant).
        ({"injury": "physical", "intentional": True, "reflex_or_resistance": True}, True),
    ],
)
def test_police_report_relevance(rules: Rules, facts: dict[str, Any], relevant: bool) -> None:
    result = run(rules, behaviours=["blow"], **facts)
    assert result["police_report"]["relevant"] is relevant
    assert ("police_report" in codes(result)) is relevant


def test_no_police_report_for_sexual_attention_alone(rules: Rules) -> None:
    result = run(rules, behaviours=["unwanted_touching"], injury="physical", intentional=True)
    assert result["police_report"]["relevant"] is False


def test_police_deadline_across_spring_dst(rules: Rules) -> None:
    # Clocks go forward on 29 March 2026: 72 real hours end at 11:00 summer time.
    result = run(rules, occurred_at="2026-03-27T10:00:00+01:00", behaviours=["kick"], injury="physical")
    assert result["police_report"]["deadline"] == "2026-03-30T11:00:00+02:00"


def test_police_deadline_across_autumn_dst(rules: Rules) -> None:
    # Clocks go back on 25 October 2026: 72 real hours end at 09:00 winter time.
    result = run(rules, occurred_at="2026-10-23T10:00:00+02:00", behaviours=["kick"], injury="physical")
    assert result["police_report"]["deadline"] == "2026-10-26T09:00:00+01:00"


@pytest.mark.parametrize(
    ("occurred_at", "deadline"),
    [
        ("2026-07-01T08:30:00", "2026-07-04T08:30:00+02:00"),  # naive = Copenhagen
        ("2026-07-01T06:30:00Z", "2026-07-04T08:30:00+02:00"),
        ("2026-07-01T03:30:00-03:00", "2026-07-04T08:30:00+02:00"),
    ],
)
def test_naive_and_offset_inputs_mean_the_same_moment(rules: Rules, occurred_at: str, deadline: str) -> None:
    result = run(rules, occurred_at=occurred_at, behaviours=["push"], injury="physical")
    assert result["police_report"]["deadline"] == deadline


def test_work_accident_deadline_counts_from_first_absence_day(rules: Rules) -> None:
    result = run(rules, behaviours=["kick"], injury="physical", first_absence_day="2026-03-04", absence_days=3)
    assert due(result, "insurance_report") == "2026-03-18T23:59:00+01:00"


def test_work_accident_deadline_was_nine_days_before_july_2022(rules: Rules) -> None:
    result = run(rules, occurred_at="2022-06-20T10:00:00", behaviours=["kick"], injury="physical")
    assert due(result, "insurance_report") == "2022-06-29T23:59:00+02:00"
    result = run(rules, occurred_at="2022-07-01T10:00:00", behaviours=["kick"], injury="physical")
    assert due(result, "insurance_report") == "2022-07-15T23:59:00+02:00"


def test_violation_has_local_default_deadline_and_says_so(rules: Rules) -> None:
    result = run(rules, behaviours=["threat_other"])
    insurance = next(a for a in result["actions"] if a["code"] == "insurance_report")
    assert result["insurance_report"] == "violation"
    assert insurance["title"] == "Anmeld krænkelse i Insubiz"
    assert insurance["due"] == "2026-03-16T10:00:00+01:00"
    assert "Programmets standardfrist" in insurance["basis"]  # review §4.1: was "Lokal standard"


@pytest.mark.parametrize(
    ("perpetrator", "support", "local", "notices"),
    [
        ("citizen", True, None, []),
        ("relative", True, None, []),  # issue 11: pårørende follow the citizen route
        ("colleague", False, "resolve_locally", ["not_anonymous"]),
        ("manager", False, "resolve_locally_manager", ["not_anonymous", "manager_involved"]),
        ("unknown", True, None, []),  # issue 11: an unknown perpetrator gets the support offer too
    ],
)
def test_sexual_attention_handling_depends_on_who(
    rules: Rules, perpetrator: str, support: bool, local: str | None, notices: list[str]
) -> None:
    result = run(rules, behaviours=["unwanted_touching"], perpetrator=perpetrator)
    assert ("offer_support" in codes(result)) is support
    assert [c for c in codes(result) if c.startswith("resolve_locally")] == ([local] if local else [])
    assert [n["code"] for n in result["notices"]] == notices
    assert "amg_follow_up" in codes(result)  # an insurance report is always made for sexual attention


def test_every_rationale_sentence_names_its_basis(rules: Rules) -> None:
    result = run(rules, behaviours=["kick", "lewd_jokes_comments"], perpetrator="colleague", injury="both")
    assert result["rationale"]
    for sentence in result["rationale"]:
        assert sentence.endswith(")"), sentence
        # The guideline, the law, or the program's own default where the guideline is silent (issue 11).
        assert "Retningslinjer" in sentence or "lov" in sentence or "Programmets standard" in sentence, sentence
    for action in result["actions"]:
        assert action["basis"]
