"""Issue 11: the guideline's routes and owners, and the legal points beyond it.

Each test names the guideline sentence (or the legal source) it checks, in its docstring.
"""

from __future__ import annotations

from typing import Any

import pytest

from trivsel_tui.domain.classify import classify
from trivsel_tui.domain.facts import parse_facts
from trivsel_tui.domain.notat import reason_problems
from trivsel_tui.domain.rules import Rules


def run(rules: Rules, **facts: Any) -> dict[str, Any]:
    base: dict[str, Any] = {"occurred_at": "2026-03-02T10:00:00+01:00", "perpetrator": "citizen", "injury": "none"}
    return classify(parse_facts(base | facts, rules), rules).to_json()


def action(result: dict[str, Any], code: str) -> dict[str, Any] | None:
    return next((a for a in result["actions"] if a["code"] == code), None)


def notices(result: dict[str, Any]) -> list[str]:
    return [n["code"] for n in result["notices"]]


def test_every_action_names_its_owner_as_the_guideline_assigns_it(rules: Rules) -> None:
    """«Konkret kan leder visitere …»; «Konkret er det arbejdsmiljøgruppen, der følger op på anmeldelser …»."""
    result = run(rules, behaviours=["kick"], injury="physical", intentional=True)
    owners = {a["code"]: a["owner_role"] for a in result["actions"]}
    assert owners == {
        "insurance_report": "hr",
        "police_report": "hr",
        "victim_compensation": "employee",
        "offer_support": "leader",
        "amg_follow_up": "work_environment_group",
    }


def test_manager_harassment_never_sends_the_employee_to_the_manager(rules: Rules) -> None:
    """«… opfordre til at løse problemet lokalt i samarbejde med egen leder, TR eller AMR» – not when the
    leader is the perpetrator: TR, AMR or the leader's leader, then Personaleafdelingen."""
    result = run(rules, behaviours=["unwanted_touching"], perpetrator="manager")
    local = action(result, "resolve_locally_manager")
    assert local is not None and "lederens leder" in local["title"] and "egen leder" not in local["title"]
    assert action(result, "resolve_locally") is None
    assert "manager_involved" in notices(result)
    text = next(n["text"] for n in result["notices"] if n["code"] == "manager_involved")
    assert "deltager ikke i arbejdsmiljøgruppens behandling" in text and "uden navne" in text


def test_bullying_by_a_manager_gives_the_leaders_tasks_to_the_leaders_leader(rules: Rules) -> None:
    """The leader owns follow-up and conflict handling – unless the leader is the one the case is about."""
    result = run(rules, behaviours=["ridicule"], perpetrator="manager")
    assert action(result, "leader_follow_up")["owner_role"] == "next_leader"  # type: ignore[index]
    assert action(result, "conflict_handling")["owner_role"] == "next_leader"  # type: ignore[index]


@pytest.mark.parametrize("perpetrator", ["colleague", "manager"])
def test_violence_from_a_colleague_or_manager_goes_to_personaleafdelingen_as_a_local_default(
    rules: Rules, perpetrator: str
) -> None:
    """The guideline is silent on violence between employees; Personaleafdelingen («konkret arbejdsmiljøleder /
    juridisk konsulent») as escalation is the program's default and says so."""
    result = run(rules, behaviours=["strangulation_attempt"], perpetrator=perpetrator, injury="physical")
    escalation = action(result, "peer_escalation")
    assert escalation is not None and escalation["owner_role"] == "personnel_department"
    assert "Programmets standard" in escalation["basis"]
    assert any("Retningslinjen siger ikke" in s for s in result["rationale"])


def test_bullying_gets_follow_up_and_conflict_handling_owned_by_the_leader(rules: Rules) -> None:
    """«… følge op på situationen med henblik på at forebygge gentagelser»; «… ledelse og medarbejdere bidrager
    til at tale om uenigheder og til, at konflikter bliver løst»."""
    result = run(rules, behaviours=["belittling"], regular_over_time=True, target_can_defend=False)
    assert result["types"] == ["bullying"]
    for code in ("offer_support", "leader_follow_up", "conflict_handling"):
        assert action(result, code)["owner_role"] == "leader", code  # type: ignore[index]
    assert "possible_bullying" not in notices(result)


@pytest.mark.parametrize(
    ("facts", "clarify"),
    [
        ({"regular_over_time": True}, ["om den ramte kan forsvare sig effektivt"]),
        ({"target_can_defend": False}, ["regelmæssigt over længere tid"]),
        ({}, ["regelmæssigt over længere tid", "forsvare sig effektivt"]),
    ],
)
def test_an_open_defence_or_pattern_question_gives_possible_bullying(
    rules: Rules, facts: dict[str, Any], clarify: list[str]
) -> None:
    """«De krænkende handlinger bliver dog først til mobning, når de personer, som de rettes mod, ikke er i stand
    til at forsvare sig effektivt imod dem.» – open facts are said, not silently read as degrading treatment."""
    result = run(rules, behaviours=["ridicule"], **facts)
    assert result["types"] == ["degrading_treatment"]
    text = next(n["text"] for n in result["notices"] if n["code"] == "possible_bullying")
    assert text.startswith("Det kan være mobning")
    for words in clarify:
        assert words in text


@pytest.mark.parametrize(
    "facts",
    [{"regular_over_time": False, "repeated_gross": False}, {"regular_over_time": True, "target_can_defend": True}],
)
def test_no_possible_bullying_when_the_facts_rule_it_out(rules: Rules, facts: dict[str, Any]) -> None:
    """A single act, or a target who can defend themselves, is not bullying by the definition."""
    assert "possible_bullying" not in notices(run(rules, behaviours=["ridicule"], **facts))


def test_the_bullying_sentence_names_the_facts_and_every_behaviour(rules: Rules) -> None:
    """«… regelmæssigt og over længere tid – eller gentagne gange på grov vis …»: the rationale says which."""
    result = run(
        rules,
        behaviours=["ridicule", "belittling"],
        repeated_gross=True,
        target_can_defend=False,
        perpetrator="colleague",
    )
    sentence = result["rationale"][0]
    assert "»latterliggørelse« og »nedvurdering« er mobning" in sentence
    assert "gentagne gange på grov vis" in sentence and "ikke kan forsvare sig effektivt" in sentence
    assert "«De krænkende handlinger bliver dog først til mobning" in sentence


def test_every_behaviour_given_is_mentioned(rules: Rules) -> None:
    result = run(rules, behaviours=["kick", "spit", "threat_to_life", "threat_nonverbal"], injury="physical")
    text = " ".join(result["rationale"])
    for label in ("»spark«", "»spyt«", "»trussel på livet«", "»trussel uden ord"):
        assert label in text
    assert "er trusler" in text  # several threats: the plural in-sentence form


def test_police_report_may_be_relevant_and_asserts_no_fact_not_given(rules: Rules) -> None:
    """«Hvis forholdene taler for det, kan vold og trusler politianmeldes …»: "kan være relevant", and unknown
    intent/reflex is said as not given (review §1.2 Fn2-a)."""
    result = run(rules, behaviours=["blow"], injury="physical")
    sentence = next(s for s in result["rationale"] if s.startswith("Politianmeldelse"))
    assert "kan være relevant" in sentence
    assert "det er ikke oplyst, om handlingen var forsætlig" in sentence
    assert "det er ikke oplyst, at handlingen var en reflekshandling eller modstand" in sentence
    assert "som ikke var refleks" not in sentence


@pytest.mark.parametrize(
    ("perpetrator", "possible"),
    [("citizen", True), ("relative", True), ("colleague", False), ("manager", False), ("unknown", False)],
)
def test_dispensation_only_for_citizen_perpetrators(rules: Rules, perpetrator: str, possible: bool) -> None:
    """Fodnote 2: «… hensyn over for den pågældende skadevoldende elev, patient, borger mv.»."""
    result = run(rules, behaviours=["strangulation_attempt"], injury="physical", perpetrator=perpetrator)
    assert result["police_report"]["relevant"] is True
    assert result["police_report"]["dispensation_possible"] is possible
    assert ("notat" in action(result, "police_report")["title"]) is possible  # type: ignore[index]


def test_victim_compensation_is_due_two_years_after_the_episode(rules: Rules) -> None:
    """Offererstatningsloven § 13, stk. 1: «… ansøgning, der er indgivet over 2 år efter, at lovovertrædelsen er
    begået»; § 10, stk. 1: the claim in the criminal case is stated in the police action's help."""
    result = run(rules, behaviours=["kick"], injury="physical", intentional=True)
    victim = action(result, "victim_compensation")
    assert victim is not None and victim["due"] == "2028-03-02T10:00:00+01:00" and victim["legal"] is True
    assert "§ 13" in victim["basis"]
    assert "nedlægger påstand om erstatning" in action(result, "police_report")["help"]  # type: ignore[index]
    assert action(run(rules, behaviours=["kick"]), "victim_compensation") is None  # no injury: no police report


@pytest.mark.parametrize("category_facts", [{"behaviours": ["ridicule"]}, {"behaviours": ["unwanted_touching"]}])
def test_injury_outside_violence_asks_to_assess_the_statutory_duty(
    rules: Rules, category_facts: dict[str, Any]
) -> None:
    """BEK 485/2024 § 2: an arbejdsulykke is «en hændelse eller påvirkning, der sker pludseligt eller inden for
    5 dage» – whatever the category. The guideline's own outcome stays."""
    result = run(rules, injury="psychological", **category_facts)
    assert "statutory_report_check" in notices(result)
    if category_facts["behaviours"] == ["ridicule"]:
        assert result["insurance_report"] is None


@pytest.mark.parametrize(
    ("single", "kind", "disease"),
    [(True, "work_accident", False), (False, "violation", True), (None, "work_accident", True)],
)
def test_pattern_over_time_with_injury_asks_whether_this_episode_caused_it(
    rules: Rules, single: bool | None, kind: str, disease: bool
) -> None:
    """«Enkeltstående … situationer, der har påført medarbejderen … personskade, anmeldes som en arbejdsulykke»;
    injury after exposure over time is an erhvervssygdom (arbejdsskadesikringsloven § 7)."""
    facts: dict[str, Any] = {
        "behaviours": ["lewd_jokes_comments"],
        "injury": "psychological",
        "regular_over_time": True,
    }
    if single is not None:
        facts["injury_from_single_episode"] = single
    result = run(rules, **facts)
    assert result["insurance_report"] == kind
    assert ("occupational_disease" in notices(result)) is disease


def test_a_fatal_injury_is_a_work_accident_reported_within_48_hours(rules: Rules) -> None:
    """BEK 941/2022 § 9, stk. 3: «… inden 48 timer underrettes om dødsfald …»."""
    result = run(rules, behaviours=["stabbing"], injury="fatal")
    assert result["insurance_report"] == "work_accident"
    report = action(result, "insurance_report")
    assert report is not None and report["due"] == "2026-03-04T10:00:00+01:00" and "48 timer" in report["title"]
    assert "fatal" in notices(result)


def test_outside_working_hours_is_recorded_and_shown(rules: Rules) -> None:
    """BEK 799/2022 § 1, stk. 2: work-related violence outside working hours is reported too."""
    facts = parse_facts(
        {
            "occurred_at": "2026-03-02T22:00:00",
            "behaviours": ["threat_to_life"],
            "perpetrator": "citizen",
            "injury": "none",
            "outside_working_hours": True,
        },
        rules,
    )
    assert facts.to_json()["outside_working_hours"] is True
    result = classify(facts, rules).to_json()
    assert "outside_working_hours" in notices(result) and result["insurance_report"] == "violation"


def test_contradictory_intent_and_reflex_give_a_notice_naming_the_fields(rules: Rules) -> None:
    result = run(rules, behaviours=["blow"], injury="physical", intentional=True, reflex_or_resistance=True)
    text = next(n["text"] for n in result["notices"] if n["code"] == "contradictory_facts")
    assert "intentional" in text and "reflex_or_resistance" in text
    assert result["police_report"]["relevant"] is True  # unresolved: the 72-hour clock stays on


def test_unknown_injury_keeps_the_police_clock_and_asks_to_clarify_before_the_first_deadline(rules: Rules) -> None:
    """Registering "no injury" too early would switch the 72-hour clock off; `unknown` keeps it on."""
    result = run(rules, behaviours=["kick"], injury="unknown", intentional=True)
    assert result["police_report"]["relevant"] is True
    assert result["police_report"]["deadline"] == "2026-03-05T10:00:00+01:00"
    clarify = action(result, "clarify_injury")
    assert clarify is not None and clarify["due"] == result["police_report"]["deadline"]
    assert result["insurance_report"] == "work_accident"
    assert "injury_unknown" in notices(result)
    assert "krænkelse" in next(n["text"] for n in result["notices"] if n["code"] == "injury_unknown")


def test_unknown_injury_without_police_clarifies_before_the_insubiz_deadline(rules: Rules) -> None:
    result = run(rules, behaviours=["unwanted_touching"], injury="unknown")
    assert action(result, "clarify_injury")["due"] == action(result, "insurance_report")["due"]  # type: ignore[index]


def test_relative_follows_the_citizen_route(rules: Rules) -> None:
    citizen = run(rules, behaviours=["kick"], injury="physical")
    relative = run(rules, behaviours=["kick"], injury="physical", perpetrator="relative")
    assert [a["code"] for a in relative["actions"]] == [a["code"] for a in citizen["actions"]]


def test_every_classification_names_the_rules_version(rules: Rules) -> None:
    """«Retningslinjerne er vedtaget af Hoved MED-udvalget og drøftes efter behov.»"""
    version = run(rules, behaviours=["kick"])["rules_version"]
    assert "Hoved MED-udvalget" in version and rules.guideline["version"] in version


def test_rationales_quote_the_guideline(rules: Rules) -> None:
    result = run(rules, behaviours=["kick"], injury="physical", intentional=True)
    quoting = [s for s in result["rationale"] if "«" in s and "»" in s]
    assert len(quoting) >= 4


def test_a_stock_phrase_padded_to_length_is_not_a_concrete_reason(rules: Rules) -> None:
    """The guideline asks for «konkrete pædagogiske og/eller behandlingsmæssige hensyn over for den pågældende»."""
    padded = " ".join(
        ["Af pædagogiske og behandlingsmæssige hensyn er det generelt vurderet i denne konkrete situation"] * 4
    )
    assert len(padded.split()) >= 40
    problems = reason_problems(padded, rules)
    assert any("Retningslinjen forudsætter" in p for p in problems)
    assert not any("kræver" in p for p in problems)  # presented as the guideline's requirement, not as law
