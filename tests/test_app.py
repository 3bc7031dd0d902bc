"""The app shell driven by keys in a real App.run_test()."""

from __future__ import annotations

import io
from collections.abc import Callable
from datetime import datetime

from rich.console import Console
from rich.text import Text
from sqlmodel import select
from textual.command import CommandList
from textual.widgets import DataTable, Input, Static

from tests.conftest import NOW
from trivsel_tui.app import TrivselApp
from trivsel_tui.dialogs.help import HelpScreen
from trivsel_tui.dialogs.workplace_form import WorkplaceFormScreen
from trivsel_tui.domain.rules import Rules
from trivsel_tui.screens.case_view import CaseViewScreen
from trivsel_tui.settings import Settings
from trivsel_tui.store.demo import generate_demo
from trivsel_tui.store.models import AuditEntry, Workplace
from trivsel_tui.store.store import Store

SIZE = (120, 40)


def make_app(store: Store, settings: Settings, rules: Rules, clock: Callable[[], datetime]) -> TrivselApp:
    return TrivselApp(store=store, settings=settings, rules=rules, clock=clock)


def as_text(content: object) -> str:
    if isinstance(content, str | Text):
        return str(content)
    console = Console(width=200, record=True, file=io.StringIO())
    console.print(content)
    return console.export_text()


def screen_text(app: TrivselApp) -> str:
    """Everything the user can read: static texts and table cells on the current screen."""
    parts = [as_text(w.content) for w in app.screen.query(Static) if w.display]
    for table in app.screen.query(DataTable):
        for row in range(table.row_count):
            parts.append(" ".join(str(cell) for cell in table.get_row_at(row)))
    return "\n".join(parts)


async def test_empty_database_shows_how_to_begin(store: Store, settings: Settings, rules: Rules, clock) -> None:
    app = make_app(store, settings, rules, clock)
    async with app.run_test(size=SIZE) as pilot:
        await app.workers.wait_for_complete()
        await pilot.pause()
        text = screen_text(app)
        assert "Der er ingen sager endnu" in text
        assert "trivsel --demo" in text
        assert not app.screen.query_one("#due", DataTable).display


async def test_demo_database_shows_deadlines_overdue_first(
    store: Store, settings: Settings, rules: Rules, clock
) -> None:
    generate_demo(store, rules, 150, 1, NOW)
    app = make_app(store, settings, rules, clock)
    async with app.run_test(size=SIZE) as pilot:
        await app.workers.wait_for_complete()
        await pilot.pause()
        table = app.screen.query_one("#due", DataTable)
        assert table.display and table.row_count > 0
        first_due = str(table.get_row_at(0)[0])
        assert first_due.startswith("▲"), "the most overdue case comes first, with a non-colour marker"
        assert "over frist" in screen_text(app)


async def test_add_workplace_by_keyboard(store: Store, settings: Settings, rules: Rules, clock) -> None:
    app = make_app(store, settings, rules, clock)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("a")
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert "Der er ingen arbejdspladser endnu" in screen_text(app)
        await pilot.press("plus")
        await pilot.pause()
        assert isinstance(app.screen, WorkplaceFormScreen)
        await pilot.press(*"Jobcenter Køge")
        await pilot.press("tab", *"Jobcenter", "tab", *"Lokal MED")
        for _ in range(6):  # leader, AMR, TR, arbejdsmiljøgruppen, HR consultant, then the first checkbox
            await pilot.press("tab")
        await pilot.press("space")  # at risk of violence from citizens
        await pilot.press("tab", "tab", *"15-03-2026")
        await pilot.press("ctrl+s")
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert not isinstance(app.screen, WorkplaceFormScreen)
        assert "Jobcenter Køge" in screen_text(app)
    with store.read() as session:
        saved = session.exec(select(Workplace)).one()
        audit = session.exec(select(AuditEntry)).one()
    assert (saved.name, saved.unit, saved.med_level) == ("Jobcenter Køge", "Jobcenter", "Lokal MED")
    assert saved.risk_violence_citizens is True and saved.risk_sexual_citizens is False
    assert saved.last_wellbeing_survey is not None and saved.last_wellbeing_survey.isoformat() == "2026-03-15"
    assert (audit.entity, audit.action, audit.actor) == ("workplace", "create", "tester")


async def test_workplace_form_refuses_bad_input_and_keeps_it(
    store: Store, settings: Settings, rules: Rules, clock
) -> None:
    app = make_app(store, settings, rules, clock)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("a")
        await pilot.pause()
        await pilot.press("plus")
        await pilot.pause()
        form = app.screen
        survey = form.query_one("#survey", Input)
        survey.value = "31-02-2026"
        await pilot.pause()
        assert "kan ikke læses" in str(form.query_one("#survey-error", Static).render())
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert app.screen is form, "the form stays open"
        assert "mangler" in str(form.query_one("#name-error", Static).render())
        assert form.focused is form.query_one("#name", Input), "focus goes to the first wrong field"
        survey.value = "01-01-2027"  # after the fixed now
        await pilot.pause()
        assert "fremtiden" in str(form.query_one("#survey-error", Static).render())
        assert survey.value == "01-01-2027", "nothing typed is lost"
        await pilot.press("escape")
        await pilot.pause()
        assert app.screen is form, "the first Escape only warns about unsaved changes"
        await pilot.press("escape")
        await pilot.pause()
        assert app.screen is not form
    with store.read() as session:
        assert session.exec(select(Workplace)).all() == []


async def test_duplicate_workplace_name_is_shown_on_the_field(
    store: Store, settings: Settings, rules: Rules, clock
) -> None:
    from trivsel_tui.store.queries import save_workplace

    save_workplace(store, {"name": "Skolen"})
    app = make_app(store, settings, rules, clock)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("a")
        await pilot.pause()
        await pilot.press("plus")
        await pilot.pause()
        await pilot.press(*"Skolen", "ctrl+s")
        await pilot.pause()
        assert isinstance(app.screen, WorkplaceFormScreen)
        assert "findes allerede" in str(app.screen.query_one("#name-error", Static).render())


async def test_help_lists_global_and_screen_keys(store: Store, settings: Settings, rules: Rules, clock) -> None:
    app = make_app(store, settings, rules, clock)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("a")
        await pilot.pause()
        await pilot.press("question_mark")
        await pilot.pause()
        assert isinstance(app.screen, HelpScreen)
        text = screen_text(app)
        for words in ("Ny episode", "Sager", "Arbejdspladser", "Afslut", "Ny arbejdsplads"):
            assert words in text
        await pilot.press("escape")
        await pilot.pause()
        assert not isinstance(app.screen, HelpScreen)


async def test_cases_screen_filters_as_you_type(store: Store, settings: Settings, rules: Rules, clock) -> None:
    generate_demo(store, rules, 60, 1, NOW)
    with store.read() as session:
        from trivsel_tui.store.models import Case

        target = session.exec(select(Case).order_by(Case.id)).first()
    assert target is not None
    app = make_app(store, settings, rules, clock)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("s")
        await app.workers.wait_for_complete()
        await pilot.pause()
        table = app.screen.query_one(DataTable)
        assert table.row_count == 60
        await pilot.press(*target.ref)
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert table.row_count == 1
        assert str(table.get_row_at(0)[0]) == target.ref
        await pilot.press("enter", "enter")
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert isinstance(app.screen, CaseViewScreen) and app.screen.case_id == target.id
        await pilot.press("escape")
        await pilot.pause()
        app.screen.query_one(Input).value = "ingen-sag-hedder-sådan"
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert "Ingen sager matcher" in screen_text(app)


async def test_command_palette_jumps_to_a_case_by_person(store: Store, settings: Settings, rules: Rules, clock) -> None:
    generate_demo(store, rules, 30, 1, NOW)
    with store.read() as session:
        from trivsel_tui.store.models import Case

        target = session.exec(select(Case).order_by(Case.id)).first()
    assert target is not None
    app = make_app(store, settings, rules, clock)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("ctrl+p")
        await pilot.pause()
        await pilot.press(*target.ref)
        # The palette searches in the background; wait until the hit is listed.
        command_list = app.screen.query_one(CommandList)
        for _ in range(100):
            await pilot.pause(0.02)
            if command_list.option_count and target.ref in str(command_list.get_option_at_index(0).prompt):
                break
        assert target.ref in str(command_list.get_option_at_index(0).prompt)
        await pilot.press("down", "enter")
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert isinstance(app.screen, CaseViewScreen)
        assert app.screen.case_id == target.id
