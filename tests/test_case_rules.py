"""Task sync on re-classification, the dispensation notat's reason check, overrides, documents."""

from __future__ import annotations

from datetime import UTC, datetime

from trivsel_tui.domain.classify import Action, Override, classify
from trivsel_tui.domain.documents import EpisodeSummary, dispensation_notat, insubiz_summary
from trivsel_tui.domain.facts import parse_facts
from trivsel_tui.domain.notat import reason_problems
from trivsel_tui.domain.rules import Rules
from trivsel_tui.domain.task_sync import ExistingTask, plan_task_changes

DUE = datetime(2026, 12, 1, tzinfo=UTC)
LATER = datetime(2026, 12, 9, tzinfo=UTC)


def action(code: str, due: datetime | None = DUE, title: str = "T") -> Action:
    return Action(code, title, due, "basis")


def test_same_actions_again_change_nothing() -> None:
    existing = [ExistingTask(1, "insurance_report", "T", DUE, done=False)]
    changes = plan_task_changes(existing, [action("insurance_report")])
    assert (changes.create, changes.update, changes.retire) == ((), (), ())


def test_done_tasks_are_never_touched_nor_duplicated() -> None:
    existing = [ExistingTask(1, "police_report", "T", DUE, done=True)]
    changes = plan_task_changes(existing, [action("police_report", LATER)])
    assert (changes.create, changes.update, changes.retire) == ((), (), ())


def test_changed_deadline_updates_the_open_task_and_new_actions_are_created() -> None:
    existing = [ExistingTask(1, "insurance_report", "T", DUE, done=False)]
    changes = plan_task_changes(existing, [action("insurance_report", LATER), action("amg_follow_up")])
    assert [a.code for a in changes.create] == ["amg_follow_up"]
    assert [(task_id, a.due) for task_id, a in changes.update] == [(1, LATER)]


def test_open_tasks_no_longer_asked_for_are_retired_not_deleted() -> None:
    existing = [
        ExistingTask(1, "police_report", "T", DUE, done=False),
        ExistingTask(2, "offer_support", "T", DUE, True),
    ]
    changes = plan_task_changes(existing, [])
    assert changes.retire == (1,)


def test_generic_dispensation_reasons_are_refused(rules: Rules) -> None:
    assert reason_problems("Af pædagogiske hensyn.", rules)
    generic = (
        "Af pædagogiske hensyn og behandlingsmæssige hensyn vurderes det generelt, som udgangspunkt, at det ikke er "
        "hensigtsmæssigt og ikke nødvendigt, af hensyn til borgeren og af hensyn til relationen, vi plejer ikke."
    )
    assert any("generelle vendinger" in p for p in reason_problems(generic, rules))


def test_a_concrete_individual_reason_is_accepted(rules: Rules) -> None:
    concrete = (
        "Borgeren er en 15-årig elev med autisme, som reagerer med voldsom angst på politikontakt. Han har i "
        "forløbet netop opbygget tillid til kontaktpædagogen, og en anmeldelse vil efter psykiaterens vurdering "
        "bryde behandlingsplanen, som skal nedbringe de udadreagerende episoder."
    )
    assert reason_problems(concrete, rules) == []


def test_override_changes_outcome_and_says_why(rules: Rules) -> None:
    facts = parse_facts(
        {"occurred_at": "2026-03-02T10:00:00", "behaviours": ["blow"], "perpetrator": "citizen", "injury": "none"},
        rules,
    )
    plain = classify(facts, rules)
    assert plain.insurance_report == "violation" and not plain.police_relevant
    overridden = classify(
        facts,
        rules,
        Override("Lægen har konstateret skade dagen efter", insurance_report="work_accident", police_relevant=True),
    )
    assert overridden.insurance_report == "work_accident"
    assert overridden.police_relevant and overridden.police_deadline is not None
    assert {"police_report", "insurance_report"} <= {a.code for a in overridden.actions}
    assert any("Lægen har konstateret" in sentence for sentence in overridden.rationale)


def summary() -> EpisodeSummary:
    return EpisodeSummary(
        ref="2026-0007",
        workplace="Bostedet Lyngbo",
        unit="Socialpsykiatri",
        person="Ida Dahl",
        job="socialpædagog",
        occurred_at=datetime(2026, 3, 2, 9, tzinfo=UTC),
        place="køkkenet",
        description="Beboeren kastede en kop.",
        behaviours=("thrown_object",),
        perpetrator="citizen",
        injury="physical",
        insurance_report="work_accident",
        first_absence_day=None,
        absence_days=3,
        witnesses="Ole",
        reported_by="Ida Dahl",
    )


def test_insubiz_summary_has_the_fields_the_report_asks_for(rules: Rules) -> None:
    text = insubiz_summary(summary(), rules, datetime(2026, 3, 3, tzinfo=UTC))
    for expected in (
        "2026-0007",
        "Ida Dahl",
        "socialpædagog",
        "mandag 2. marts 2026 kl. 10:00",
        "køkkenet",
        "kast med genstande",
        "Fysisk skade",
        "3 dage",
        "Beboeren kastede en kop.",
        "Arbejdsulykke",
    ):
        assert expected in text
    # Review §4.1: the summary is also used for a krænkelse, where nobody is injured, and shows recorded absence.
    assert "| Berørt medarbejder | Ida Dahl |" in text and "| Fravær | 3 dage" in text
    assert "Tilskadekomne" not in text and "Forventet" not in text


def test_notat_records_author_time_and_reason() -> None:
    text = dispensation_notat(summary(), "Konkret begrundelse her.", "Lene Holm", datetime(2026, 3, 3, 12, tzinfo=UTC))
    assert "Konkret begrundelse her." in text
    assert "Underskrevet af Lene Holm, tirsdag 3. marts 2026 kl. 13:00." in text
