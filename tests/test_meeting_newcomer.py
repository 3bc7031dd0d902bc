"""What a newcomer tripped on when running a whole meeting at 80x24 with NO_COLOR=1 on the demo data:
a meeting with nobody attending (so no conflict check), a saved decision or a revealed narrative below
the fold with no sign, an invisible cursor in the workplace list, the minutes' time in UTC, and `d` on a
withheld item doing nothing without a word."""

from __future__ import annotations

from rich.segment import Segment
from textual.widgets import SelectionList, TextArea

from tests.conftest import NOW, settle
from tests.meeting_data import AMR, WITNESS, build, case_ref
from tests.test_meeting_correction import screen_all
from tests.test_meeting_screen import make_app, plan_meeting, step_to
from trivsel_tui.domain.rules import Rules
from trivsel_tui.meeting_minutes import minutes_for
from trivsel_tui.settings import Settings
from trivsel_tui.store.meetings import create_meeting, list_meetings
from trivsel_tui.store.store import Store


async def test_a_meeting_needs_an_attendee_and_the_cursor_row_shows_without_colour(
    store: Store, settings: Settings, rules: Rules
) -> None:
    build(store, rules)
    app = make_app(store, settings, rules)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("m")
        await settle(app, pilot)
        await pilot.press("plus")
        await settle(app, pilot)
        places = app.screen.query_one("#workplaces", SelectionList)
        row = list(places.render_line(0))
        assert any(s.style is not None and s.style.reverse for s in row if isinstance(s, Segment) and s.text.strip())
        await pilot.press("space", "ctrl+s")
        await settle(app, pilot)
        assert type(app.screen).__name__ == "NewMeetingScreen"
        assert "mindst én deltager" in screen_all(app)
    assert list_meetings(store) == []


async def test_a_saved_decision_and_a_revealed_narrative_come_into_view(
    store: Store, settings: Settings, rules: Rules
) -> None:
    data = build(store, rules)
    app = make_app(store, settings, rules)
    async with app.run_test(size=(80, 24)) as pilot:
        await plan_meeting(app, pilot)
        await step_to(app, pilot, f"Sag {case_ref(store, data.citizen_case)}")
        await pilot.press("r")
        await settle(app, pilot)
        assert "Medarbejder A blev slået af en borger i gangen" in screen_all(app)
        await pilot.press("d")
        await settle(app, pilot)
        app.screen.query_one("#decision", TextArea).text = "Tryghedsvandring i gangen"
        await pilot.press("ctrl+s")
        await settle(app, pilot)
        assert "Tryghedsvandring i gangen" in screen_all(app)
        assert any(n.message == "Beslutningen er gemt." for n in app._notifications)


async def test_deciding_on_a_withheld_case_says_why_nothing_happens(
    store: Store, settings: Settings, rules: Rules
) -> None:
    build(store, rules)
    app = make_app(store, settings, rules)
    async with app.run_test(size=(80, 24)) as pilot:
        await plan_meeting(app, pilot, typed=WITNESS)
        await pilot.press("d")
        await settle(app, pilot)
        assert type(app.screen).__name__ == "MeetingScreen"
        assert any("intet at beslutte" in str(n.message) for n in app._notifications)


def test_the_minutes_say_when_they_were_made_in_danish_time(store: Store, rules: Rules) -> None:
    data = build(store, rules)
    meeting_id = create_meeting(store, rules, data.body, NOW.date(), data.attendees, NOW)
    markdown, _detail = minutes_for(store, rules, meeting_id, NOW)  # type: ignore[misc]
    assert markdown.endswith("Referatet er dannet 26-11-2026 10:00.\n")  # 09:00 UTC is 10:00 in Copenhagen
    assert AMR in markdown
