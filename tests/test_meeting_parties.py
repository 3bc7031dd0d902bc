"""Meetings with the parties the case records hold (table case_party): a party attending withholds the
case without naming it, pseudonyms come from the real parties, and the minutes name none of them."""

from __future__ import annotations

from pathlib import Path

import pytest
from textual.widgets import Input, TextArea

from tests.conftest import NOW, settle
from tests.meeting_data import (
    AFFECTED,
    CITIZEN,
    COLLEAGUE,
    COLLEAGUE_AFFECTED,
    RECORDS_WITNESS,
    RELATIVE,
    SECOND_AFFECTED,
    WITNESS,
    build_with_parties,
    case_ref,
)
from tests.test_meeting_screen import make_app, plan_meeting, screen_text, step_to
from trivsel_tui.domain.meetings import Attendee
from trivsel_tui.domain.rules import Rules
from trivsel_tui.meeting_minutes import minutes_for
from trivsel_tui.settings import Settings
from trivsel_tui.store.meeting_view import agenda_lines, meeting_detail, reveal_narrative
from trivsel_tui.store.meetings import DecisionInput, add_free_item, create_meeting, preview_agenda, record_decision
from trivsel_tui.store.store import Store

PARTY_NAMES = (AFFECTED, WITNESS, SECOND_AFFECTED, CITIZEN, RECORDS_WITNESS, RELATIVE, COLLEAGUE, COLLEAGUE_AFFECTED)


def named_parts(text: str) -> list[str]:
    """Every part of a party's real name that the text still holds."""
    return [part for name in PARTY_NAMES for part in name.split() if part in text]


@pytest.mark.parametrize(
    ("attendee", "case"),
    [
        (SECOND_AFFECTED, "citizen"),  # a second affected employee
        (CITIZEN, "citizen"),  # the person the case is about
        (RELATIVE, "citizen"),  # ... a pårørende
        (RECORDS_WITNESS, "citizen"),  # a witness only the records name
        (COLLEAGUE, "colleague"),  # the colleague a bullying case is about
    ],
)
def test_a_party_from_the_records_attending_withholds_the_case_unnamed(
    store: Store, rules: Rules, attendee: str, case: str
) -> None:
    fixture = build_with_parties(store, rules)
    data = fixture.data
    hidden = data.citizen_case if case == "citizen" else fixture.colleague_case
    other = fixture.colleague_case if case == "citizen" else data.citizen_case
    agenda = preview_agenda(store, rules, data.body, (Attendee(f"  {attendee.lower()} ", "member"),), NOW)
    assert agenda.withheld == ("party_attends",)
    shown = {e.case_id for e in agenda.entries}
    assert hidden not in shown and other in shown
    lines = agenda_lines(store, agenda)
    assert (lines[0].kind, lines[0].heading, lines[0].reasons) == (
        "withheld",
        "1 sag holdes uden for mødet",
        ("party_attends",),
    )
    assert case_ref(store, hidden) not in repr(lines)


def _slide_of(store: Store, rules: Rules, meeting_id: int, case_id: int):  # type: ignore[no-untyped-def]
    detail = meeting_detail(store, rules, meeting_id, NOW)
    assert detail is not None
    return next(s for s in detail.slides if s.heading == f"Sag {case_ref(store, case_id)}")


def test_pseudonyms_come_from_the_recorded_parties(store: Store, rules: Rules) -> None:
    fixture = build_with_parties(store, rules)
    data = fixture.data
    meeting_id = create_meeting(store, rules, data.body, NOW.date(), data.attendees, NOW)
    colleague = _slide_of(store, rules, meeting_id, fixture.colleague_case)
    # One colleague: the episode's "a colleague" and the records' named colleague are the same person.
    assert ("Involverede", "Medarbejder A, Kollega A") in colleague.facts
    citizen = _slide_of(store, rules, meeting_id, data.citizen_case)
    people = dict(citizen.facts)["Involverede"].split(", ")
    assert sorted(people) == sorted(["Medarbejder A", "Medarbejder B", "Borger", "Pårørende", "Vidne A", "Vidne B"])
    record_decision(
        store,
        colleague.item_id,
        DecisionInput(f"{COLLEAGUE} og {COLLEAGUE_AFFECTED} indkaldes; Oles leder deltager", follow_up_by="Ole"),
    )
    shown = _slide_of(store, rules, meeting_id, fixture.colleague_case)
    assert shown.decision == "Kollega A og Medarbejder A indkaldes; Kollega A's leder deltager"
    assert shown.follow_up_by == "Kollega A"
    narrative = reveal_narrative(store, rules, citizen.item_id)
    assert named_parts(" ".join(narrative)) == []
    assert "Medarbejder A's CPR er [CPR fjernet]" in narrative[0]


def test_minutes_name_no_party_of_any_case(store: Store, rules: Rules) -> None:
    fixture = build_with_parties(store, rules)
    data = fixture.data
    meeting_id = create_meeting(store, rules, data.body, NOW.date(), data.attendees, NOW)
    citizen = _slide_of(store, rules, meeting_id, data.citizen_case)
    colleague = _slide_of(store, rules, meeting_id, fixture.colleague_case)
    everyone = ", ".join(PARTY_NAMES)
    record_decision(
        store,
        citizen.item_id,
        DecisionInput(
            f"Samtale med {SECOND_AFFECTED}s leder; {CITIZEN}s og {RELATIVE}s besøg stoppes; tak til {everyone}",
            follow_up_by=RECORDS_WITNESS,
            measure=f"Alarm til {SECOND_AFFECTED}",
            owner=SECOND_AFFECTED,
            due_on=NOW.date(),
        ),
    )
    record_decision(store, colleague.item_id, DecisionInput(f"{COLLEAGUE} høres; {everyone}"))
    add_free_item(store, meeting_id, f"Hilsen fra {COLLEAGUE}s team")
    found = minutes_for(store, rules, meeting_id, NOW)
    assert found is not None
    markdown, _detail = found
    assert named_parts(markdown) == [], markdown
    assert "Samtale med Medarbejder B's leder; Borgers og Pårørendes besøg stoppes" in markdown
    assert "Hilsen fra en anden persons team" in markdown


async def test_a_known_person_who_is_a_recorded_witness_hides_the_case_in_the_app(
    store: Store, settings: Settings, rules: Rules, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr("trivsel_tui.screens.meeting.documents_dir", lambda: tmp_path / "eksport")
    fixture = build_with_parties(store, rules)
    data = fixture.data
    citizen_ref = case_ref(store, data.citizen_case)
    app = make_app(store, settings, rules)
    async with app.run_test(size=(80, 24)) as pilot:
        await plan_meeting(app, pilot, typed=RECORDS_WITNESS)
        assert screen_text(app, "#meeting-heading") == "1 sag holdes uden for mødet"
        slide = screen_text(app, "#meeting-slide")
        assert "En deltager er part i sagen" in slide and citizen_ref not in slide
        await step_to(app, pilot, f"Sag {case_ref(store, fixture.colleague_case)}")
        assert "Involverede: Medarbejder A, Kollega A" in screen_text(app, "#meeting-slide")
        await pilot.press("d")
        await settle(app, pilot)
        app.screen.query_one("#decision", TextArea).text = f"{COLLEAGUE} indkaldes til samtale"
        app.screen.query_one("#follow-up-by", Input).value = COLLEAGUE_AFFECTED
        await pilot.press("ctrl+s")
        await settle(app, pilot)
        slide = screen_text(app, "#meeting-slide")
        assert "Kollega A indkaldes til samtale" in slide and COLLEAGUE not in slide
        await pilot.press("e")
        await settle(app, pilot)
    markdown = next((tmp_path / "eksport").glob("*.md")).read_text(encoding="utf-8")
    assert "Kollega A indkaldes til samtale" in markdown and citizen_ref not in markdown
    assert named_parts(markdown.replace(RECORDS_WITNESS, "")) == []  # the attendee is listed by name


def test_the_people_of_a_withheld_case_are_not_named_either(store: Store, rules: Rules) -> None:
    """A witness attends, so the citizen case is withheld; a free item or a decision that names its people
    would say which case that was. The attendee, present and listed, keeps their name."""
    fixture = build_with_parties(store, rules)
    data = fixture.data
    attendees = (Attendee(RECORDS_WITNESS, "member"), *data.attendees)
    meeting_id = create_meeting(store, rules, data.body, NOW.date(), attendees, NOW)
    free = add_free_item(store, meeting_id, f"Hilsen til {AFFECTED} og {CITIZEN}s familie")
    record_decision(store, free, DecisionInput(f"{SECOND_AFFECTED} får blomster", follow_up_by=RECORDS_WITNESS))
    found = minutes_for(store, rules, meeting_id, NOW)
    assert found is not None
    markdown, detail = found
    assert detail.slides[0].heading == "1 sag holdes uden for mødet"
    assert "Hilsen til en anden person og en anden persons familie" in markdown
    assert "en anden person får blomster" in markdown and f"**Følges op af:** {RECORDS_WITNESS}" in markdown
    assert named_parts(markdown.replace(RECORDS_WITNESS, "")) == []
