"""Meeting mode's agenda, conflicts of interest, pseudonyms, decisions and minutes (issue 14)."""

from __future__ import annotations

from datetime import date, timedelta
from pathlib import Path

import pytest
from pypdf import PdfReader
from sqlmodel import select

from tests.conftest import NOW
from tests.meeting_data import AFFECTED, AMR, LEADER, WITNESS, build, case_ref
from tests.statistics_data import add_episode
from trivsel_tui.domain.meetings import Attendee, Party, pseudonymise, pseudonyms
from trivsel_tui.domain.rules import Rules
from trivsel_tui.meeting_minutes import minutes_for, minutes_markdown, minutes_pdf, write_minutes
from trivsel_tui.store.meeting_view import correct_minutes, meeting_detail, reveal_narrative, stored_minutes
from trivsel_tui.store.meetings import (
    DecisionInput,
    MeetingClosedError,
    add_free_item,
    close_meeting,
    create_meeting,
    move_meeting_item,
    preview_agenda,
    record_decision,
    remove_meeting_item,
)
from trivsel_tui.store.models import ActionItem, ActionPlan, AuditEntry, MeetingMinutes
from trivsel_tui.store.store import Store


@pytest.mark.both_databases
def test_agenda_holds_new_cases_follow_up_and_prevention_gaps(store: Store, rules: Rules) -> None:
    data = build(store, rules)
    agenda = preview_agenda(store, rules, data.body, data.attendees, NOW)
    kinds = [(e.kind, e.case_id) for e in agenda.entries]
    assert ("case", data.citizen_case) in kinds
    assert ("case", data.manager_case) in kinds
    citizen = next(e for e in agenda.entries if e.case_id == data.citizen_case)
    # The body's first meeting; 20 days old, so the 72 hours are long gone.
    assert citizen.reasons == ("first_review", "overdue_follow_up")
    # At risk of violence without an adopted handleplan; local adaptation never discussed; the survey
    # of March has no plan after it.
    assert {e.kind for e in agenda.entries if e.case_id is None} == {
        "handleplan_missing",
        "adaptation_missing",
        "survey_follow_up",
    }
    assert agenda.withheld == ()


@pytest.mark.both_databases
def test_a_party_or_the_involved_manager_attending_withholds_the_case(store: Store, rules: Rules) -> None:
    data = build(store, rules)
    attendees = (Attendee(WITNESS.upper(), "member"), Attendee(LEADER, "leader"))
    agenda = preview_agenda(store, rules, data.body, attendees, NOW)
    shown = {e.case_id for e in agenda.entries}
    assert data.citizen_case not in shown and data.manager_case not in shown
    assert sorted(agenda.withheld) == ["manager_attends", "party_attends"]


def test_the_next_meeting_carries_what_was_not_resolved_and_names_new_cases(db_path: Path, rules: Rules) -> None:
    moments = [NOW]
    store = Store.open(db_path, "tester", lambda: moments[-1])
    try:
        data = build(store, rules)
        first = create_meeting(store, rules, data.body, NOW.date(), data.attendees, NOW)
        detail = meeting_detail(store, rules, first, NOW)
        assert detail is not None
        free = add_free_item(store, first, "Julefrokost og tryghed")
        record_decision(store, free, DecisionInput("Udsat", resolved=False))
        for slide in detail.slides:
            record_decision(store, slide.item_id, DecisionInput("Drøftet", resolved=slide.kind != "handleplan_missing"))
        moments.append(NOW + timedelta(days=10))
        newer = add_episode(store, rules, data.workplace_id, moments[-1], "kick", "citizen")
        second = preview_agenda(store, rules, data.body, data.attendees, NOW + timedelta(days=30))
    finally:
        store.close()
    assert [(e.kind, e.title) for e in second.entries if e.carried_from] == [
        ("handleplan_missing", ""),
        ("free", "Julefrokost og tryghed"),
    ]
    reasons = {e.case_id: e.reasons for e in second.entries if e.case_id}
    assert reasons[newer][0] == "new_case"
    assert "new_case" not in reasons[data.citizen_case] and "first_review" not in reasons[data.citizen_case]


@pytest.mark.both_databases
def test_agenda_can_be_reordered_trimmed_and_added_to(store: Store, rules: Rules) -> None:
    data = build(store, rules)
    meeting_id = create_meeting(store, rules, data.body, NOW.date(), data.attendees, NOW)
    slides = meeting_detail(store, rules, meeting_id, NOW).slides  # type: ignore[union-attr]
    move_meeting_item(store, slides[1].item_id, -1)
    remove_meeting_item(store, slides[-1].item_id)
    add_free_item(store, meeting_id, "Eventuelt", after_position=0)
    after = meeting_detail(store, rules, meeting_id, NOW).slides  # type: ignore[union-attr]
    assert [s.item_id for s in after[:3]] == [slides[1].item_id, after[1].item_id, slides[0].item_id]
    assert after[1].heading == "Eventuelt"
    assert slides[-1].heading not in {s.heading for s in after}


@pytest.mark.both_databases
def test_slides_name_people_by_role_and_never_show_cpr(store: Store, rules: Rules) -> None:
    data = build(store, rules)
    meeting_id = create_meeting(store, rules, data.body, NOW.date(), data.attendees, NOW)
    detail = meeting_detail(store, rules, meeting_id, NOW)
    assert detail is not None
    slide = next(s for s in detail.slides if s.heading == f"Sag {case_ref(store, data.citizen_case)}")
    everything = repr(slide)
    assert AFFECTED not in everything and "Mette" not in everything and WITNESS not in everything
    assert ("Involverede", "Medarbejder A, Borger, Vidne A") in slide.facts
    assert slide.has_narrative and slide.tasks and all(task.owner for task in slide.tasks)
    narrative = reveal_narrative(store, rules, slide.item_id)
    assert narrative == (
        "Medarbejder A blev slået af en borger i gangen. Medarbejder A's CPR er [CPR fjernet]. Vidne A så det.",
    )
    with store.read() as session:
        entry = session.exec(select(AuditEntry).where(AuditEntry.action == "reveal")).one()
    assert (entry.actor, entry.entity, entry.entity_id, entry.case_id) == (
        store.actor,
        "meeting",
        meeting_id,
        data.citizen_case,
    )
    assert entry.changes["meeting_item_id"] == [None, slide.item_id]


def test_pseudonyms_follow_roles() -> None:
    labels = pseudonyms(
        "Mette Hansen",
        [Party("subject", "Ole Olsen", "colleague"), Party("witness", "Kim"), Party("affected", "Ida Lund")],
    )
    assert labels == {
        "Mette Hansen": "Medarbejder A",
        "Ole Olsen": "Kollega A",
        "Kim": "Vidne A",
        "Ida Lund": "Medarbejder B",
    }
    assert pseudonymise("Ole sagde til mette hansen: [b]Ida[/b]", labels) == (
        "Kollega A sagde til Medarbejder A: [b]Medarbejder B[/b]"
    )
    # Another person who shares a first name keeps their own full name.
    assert pseudonymise("Mette så det. Ansvarlig: Mette Kristensen", labels) == (
        "Medarbejder A så det. Ansvarlig: Mette Kristensen"
    )
    # Danish genitive: the name with an s ("Oles", "Ole Olsens") is the role's genitive.
    assert pseudonymise("Oles leder og Ole Olsens TR; Mettes CPR; Mette TR", labels) == (
        "Kollega A's leder og Kollega A's TR; Medarbejder A's CPR; Medarbejder A TR"
    )
    # The episode's unnamed colleague and the records' named colleague are one person.
    assert pseudonyms("", [Party("subject", "", "colleague"), Party("subject", "Ole Olsen", "colleague")]) == {
        "Ole Olsen": "Kollega A"
    }


@pytest.mark.both_databases
def test_a_decision_creates_a_plan_item_and_settles_a_task(store: Store, rules: Rules) -> None:
    data = build(store, rules)
    meeting_id = create_meeting(store, rules, data.body, NOW.date(), data.attendees, NOW)
    detail = meeting_detail(store, rules, meeting_id, NOW)
    assert detail is not None
    slide = next(s for s in detail.slides if s.heading == f"Sag {case_ref(store, data.citizen_case)}")
    task = slide.tasks[0]
    due = date(2026, 12, 15)
    decision = DecisionInput(
        "Tryghedsvandring i gangen", AMR, True, "Alarm i gangen", LEADER, due, "short", done_task_ids=(task.id,)
    )
    record_decision(store, slide.item_id, decision)
    with store.read() as session:
        plan = session.exec(select(ActionPlan).where(ActionPlan.case_id == data.citizen_case)).one()
        item = session.exec(select(ActionItem).where(ActionItem.plan_id == plan.id)).one()
        audited = session.exec(select(AuditEntry).where(AuditEntry.entity == "meeting_action")).all()
    assert (item.measure, item.responsible, item.due_on, item.horizon) == ("Alarm i gangen", LEADER, due, "short")
    assert "Besluttet på møde" in item.note
    assert len(audited) == 2  # the new item and the settled task, each a meeting action
    after = meeting_detail(store, rules, meeting_id, NOW)
    assert after is not None
    shown = next(s for s in after.slides if s.item_id == slide.item_id)
    assert task.id not in {t.id for t in shown.tasks}
    assert [a.kind for a in shown.actions] == ["done_task", "new_item"]


@pytest.mark.both_databases
def test_minutes_are_pseudonymised_and_closed_minutes_change_only_by_new_version(
    store: Store, rules: Rules, tmp_path: Path
) -> None:
    data = build(store, rules)
    meeting_id = create_meeting(store, rules, data.body, NOW.date(), data.attendees, NOW)
    detail = meeting_detail(store, rules, meeting_id, NOW)
    assert detail is not None
    slide = next(s for s in detail.slides if s.heading == f"Sag {case_ref(store, data.citizen_case)}")
    record_decision(store, slide.item_id, DecisionInput(f"{AFFECTED} får tilbud om krisehjælp – «nu» æøå", AMR))
    markdown, detail = minutes_for(store, rules, meeting_id, NOW)  # type: ignore[misc]
    assert AFFECTED not in markdown and "Mette" not in markdown and "010190" not in markdown
    assert "Medarbejder A får tilbud om krisehjælp" in markdown
    close_meeting(store, meeting_id, markdown)
    with pytest.raises(MeetingClosedError):
        record_decision(store, slide.item_id, DecisionInput("Ændret bagefter"))
    assert stored_minutes(store, meeting_id) == {1: markdown}
    assert correct_minutes(store, meeting_id, markdown + "\nRettelse.\n", "Stavefejl") == 2
    again, _detail = minutes_for(store, rules, meeting_id, NOW + timedelta(days=3))  # type: ignore[misc]
    assert again.endswith("Rettelse.\n")
    with store.read() as session:
        versions = session.exec(select(MeetingMinutes).where(MeetingMinutes.meeting_id == meeting_id)).all()
    assert [v.version for v in versions] == [1, 2] and versions[0].markdown == markdown
    pdf = write_minutes(again, "Referat", tmp_path / "referat.pdf")
    assert pdf.stat().st_mode & 0o777 == 0o600
    text = " ".join(page.extract_text() for page in PdfReader(pdf).pages)
    assert "Medarbejder A får tilbud om krisehjælp" in text and "«nu» æøå" in text
    assert "Mette" not in text


def test_pdf_shows_user_text_literally() -> None:
    pdf = minutes_pdf("# Referat\n\n- <b>fed</b> & [red]x[/red] \\*ikke kursiv\\*\n", "Referat")
    assert pdf.startswith(b"%PDF")


@pytest.mark.both_databases
def test_markdown_escapes_user_markup(store: Store, rules: Rules) -> None:
    data = build(store, rules)
    meeting_id = create_meeting(store, rules, data.body, NOW.date(), data.attendees, NOW)
    add_free_item(store, meeting_id, "# Ikke en overskrift *ikke kursiv*\nny linje")
    detail = meeting_detail(store, rules, meeting_id, NOW)
    assert detail is not None
    markdown = minutes_markdown(detail, NOW)
    assert "\\# Ikke en overskrift \\*ikke kursiv\\* ny linje" in markdown


def test_every_meeting_code_has_a_danish_text() -> None:
    from trivsel_tui.domain.meetings import ATTENDEE_ROLES, BODY_KINDS, CASE_REASONS, ITEM_KINDS
    from trivsel_tui.texts import t

    keys = [f"meeting_reasons.{code}" for code in CASE_REASONS]
    keys += [f"meeting_kinds.{kind}" for kind in ITEM_KINDS if kind not in ("withheld", "case", "free", "discarded")]
    keys += [f"meeting_bodies.{kind}" for kind in BODY_KINDS] + [f"meeting_roles_attendee.{r}" for r in ATTENDEE_ROLES]
    keys += [f"meeting_withheld.{why}" for why in ("party_attends", "manager_attends")]
    keys += [f"meeting_minutes.action_{kind}" for kind in ("new_item", "done_task", "done_item")]
    keys += [f"meeting_status.{status}" for status in ("open", "closed")]
    for key in keys:
        assert t(key, workplace="X", text="x", owner="o", due="d")


@pytest.mark.both_databases
def test_a_person_of_another_case_is_not_named_in_a_decision(store: Store, rules: Rules) -> None:
    data = build(store, rules)
    meeting_id = create_meeting(store, rules, data.body, NOW.date(), data.attendees, NOW)
    detail = meeting_detail(store, rules, meeting_id, NOW)
    assert detail is not None
    manager_slide = next(s for s in detail.slides if s.heading == f"Sag {case_ref(store, data.manager_case)}")
    record_decision(store, manager_slide.item_id, DecisionInput(f"Samme mønster som hos {AFFECTED}"))
    free = add_free_item(store, meeting_id, f"Tak til {WITNESS}")
    after = meeting_detail(store, rules, meeting_id, NOW)
    assert after is not None
    shown = {s.item_id: s for s in after.slides}
    assert shown[manager_slide.item_id].decision == "Samme mønster som hos en anden person"
    assert shown[free].heading == "Tak til en anden person"
