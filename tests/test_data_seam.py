"""The data seam under failure: a locked database, a slow stale search, a failing load."""

from __future__ import annotations

import sqlite3
import threading
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import event
from sqlalchemy.exc import OperationalError
from sqlmodel import select
from textual.widgets import DataTable, Input, TextArea

from tests.conftest import NOW, settle
from trivsel_tui.app import TrivselApp
from trivsel_tui.dialogs.prompt import TextPromptScreen
from trivsel_tui.domain.rules import Rules
from trivsel_tui.screens.case_view import CaseViewScreen
from trivsel_tui.settings import Settings
from trivsel_tui.store import queries
from trivsel_tui.store.demo import generate_demo
from trivsel_tui.store.models import Case, CaseNote
from trivsel_tui.store.store import Store

SIZE = (120, 40)
SHORT_BUSY_MS = 200


def make_app(store: Store, settings: Settings, rules: Rules) -> TrivselApp:
    return TrivselApp(store=store, settings=settings, rules=rules, clock=lambda: NOW)


def notices(app: TrivselApp) -> list[str]:
    return [notification.message for notification in app._notifications]


def wait_briefly(store: Store) -> None:
    """Give up on a held lock after 0.2 s instead of 10 s, so the test is quick."""

    def short(dbapi_connection: Any, _record: Any) -> None:
        dbapi_connection.execute(f"PRAGMA busy_timeout={SHORT_BUSY_MS}")

    event.listen(store.engine, "connect", short)
    store.engine.dispose()


def first_case_id(store: Store) -> int:
    with store.read() as session:
        case = session.exec(select(Case).order_by(Case.id)).first()
    assert case is not None and case.id is not None
    return case.id


def notes_of(store: Store, case_id: int) -> list[str]:
    with store.read() as session:
        return [n.text for n in session.exec(select(CaseNote).where(CaseNote.case_id == case_id))]


async def test_a_note_saved_while_another_program_holds_the_lock_is_kept_and_saved_on_retry(
    store: Store, db_path: Path, settings: Settings, rules: Rules
) -> None:
    generate_demo(store, rules, 5, 1, NOW)
    case_id = first_case_id(store)
    wait_briefly(store)
    other = sqlite3.connect(db_path, isolation_level=None)
    app = make_app(store, settings, rules)
    async with app.run_test(size=SIZE) as pilot:
        app.open_case(case_id)
        await settle(app, pilot)
        await pilot.press("m")
        await pilot.pause()
        app.screen.query_one(TextArea).text = "Talt med lederen om vagtplanen"
        other.execute("BEGIN IMMEDIATE")  # e.g. `trivsel demo --db <same file>` running beside the app
        await pilot.press("ctrl+s")
        await settle(app, pilot)
        assert isinstance(app.screen, TextPromptScreen), "the dialog must stay open"
        assert app.screen.query_one(TextArea).text == "Talt med lederen om vagtplanen"
        assert any("låst af et andet program" in notice for notice in notices(app))
        assert notes_of(store, case_id) == []
        other.execute("ROLLBACK")
        await pilot.press("ctrl+s")
        await settle(app, pilot)
        assert isinstance(app.screen, CaseViewScreen)
    other.close()
    assert notes_of(store, case_id) == ["Talt med lederen om vagtplanen"]


async def test_ctrl_s_twice_saves_one_note(store: Store, settings: Settings, rules: Rules) -> None:
    generate_demo(store, rules, 5, 1, NOW)
    case_id = first_case_id(store)
    app = make_app(store, settings, rules)
    async with app.run_test(size=SIZE) as pilot:
        app.open_case(case_id)
        await settle(app, pilot)
        await pilot.press("m")
        await pilot.pause()
        app.screen.query_one(TextArea).text = "Én gang"
        await pilot.press("ctrl+s", "ctrl+s")
        await settle(app, pilot)
    assert notes_of(store, case_id) == ["Én gang"]


async def test_a_slow_stale_search_never_overwrites_a_newer_one(
    store: Store, settings: Settings, rules: Rules, monkeypatch: pytest.MonkeyPatch
) -> None:
    generate_demo(store, rules, 30, 1, NOW)
    release_broad = threading.Event()
    real_search = queries.search_cases

    def search(store: Store, text: str, *args: Any, **kwargs: Any) -> list[queries.CaseRow]:
        if text == "Ha":  # the broad search is the slow one, as at 100k cases
            release_broad.wait(timeout=10)
        return real_search(store, text, *args, **kwargs)

    monkeypatch.setattr("trivsel_tui.screens.cases.search_cases", search)
    app = make_app(store, settings, rules)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("s")
        await settle(app, pilot)
        box = app.screen.query_one("#filter", Input)
        box.value = "Ha"
        await pilot.pause()
        box.value = "Hansen"
        await pilot.pause()
        for _ in range(50):  # the newer search answers while the older one still waits
            await pilot.pause(0.02)
            if app.screen.query_one(DataTable).row_count:
                break
        release_broad.set()
        await settle(app, pilot)
        table = app.screen.query_one(DataTable)
        people = [str(table.get_row_at(i)[2]) for i in range(table.row_count)]
    broad = [row.person for row in real_search(store, "Ha")]
    assert any("hansen" not in person.lower() for person in broad), "the stale result must be distinguishable"
    assert people, "the search for Hansen finds someone in the demo data"
    assert all("hansen" in person.lower() for person in people), people


async def test_a_failing_load_says_so(
    store: Store, settings: Settings, rules: Rules, monkeypatch: pytest.MonkeyPatch
) -> None:
    def broken(*_args: Any, **_kwargs: Any) -> list[queries.CaseRow]:
        raise OperationalError("SELECT", {}, sqlite3.OperationalError("disk I/O error"))

    monkeypatch.setattr("trivsel_tui.screens.cases.search_cases", broken)
    app = make_app(store, settings, rules)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("s")
        await settle(app, pilot)
        assert app.is_running
        assert any("kunne ikke opdateres" in notice for notice in notices(app))


async def test_a_failing_palette_search_says_so(
    store: Store, settings: Settings, rules: Rules, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The palette's case search went past the seam: a locked or broken database was never reported."""

    def broken(*_args: Any, **_kwargs: Any) -> list[queries.CaseRow]:
        raise OperationalError("SELECT", {}, sqlite3.OperationalError("database is locked"))

    monkeypatch.setattr(queries, "find_cases", broken)
    app = make_app(store, settings, rules)
    async with app.run_test(size=SIZE) as pilot:
        await settle(app, pilot)
        await pilot.press("ctrl+p", *"Hansen")
        await settle(app, pilot)
        await pilot.pause(0.3)
        assert app.is_running
        assert any("kunne ikke opdateres" in notice for notice in notices(app)), notices(app)


async def open_plan_of_first_case(app: TrivselApp, pilot: Any) -> int:
    from trivsel_tui.store.plans import open_or_create_case_plan

    plan_id = open_or_create_case_plan(app.store, first_case_id(app.store))
    app.open_case(first_case_id(app.store))
    await settle(app, pilot)
    await pilot.press("f")
    await settle(app, pilot)
    return plan_id


def saved_text(store: Store, dialog: str) -> str:
    from trivsel_tui.store.models import ActionItem, ActionPlan, Workplace

    with store.read() as session:
        if dialog == "item":
            return ",".join(item.measure for item in session.exec(select(ActionItem)))
        if dialog == "header":
            return ",".join(plan.employees_involved for plan in session.exec(select(ActionPlan)))
        return ",".join(workplace.name for workplace in session.exec(select(Workplace)))


FORMS = {
    # dialog: (key pressed in the plan editor, or None to open it directly; field values; the saved text)
    "item": ("plus", {"#measure": "Alarm i gangen", "#responsible": "Ole", "#due": "01-12-2026"}, "Alarm i gangen"),
    "header": ("H", {"#employees": "Hele vagtholdet"}, "Hele vagtholdet"),
    "workplace": (None, {"#name": "Vaskeriet Syd"}, "Vaskeriet Syd"),
}


@pytest.mark.parametrize("dialog", FORMS)
async def test_a_form_saved_under_a_held_lock_keeps_its_text_and_saves_on_retry(
    store: Store, db_path: Path, settings: Settings, rules: Rules, dialog: str
) -> None:
    from trivsel_tui.dialogs.workplace_form import WorkplaceFormScreen

    key, values, text = FORMS[dialog]
    generate_demo(store, rules, 3, 1, NOW)
    wait_briefly(store)
    other = sqlite3.connect(db_path, isolation_level=None)
    app = make_app(store, settings, rules)
    async with app.run_test(size=SIZE) as pilot:
        await settle(app, pilot)
        if key is None:
            app.push_screen(WorkplaceFormScreen(None))
        else:
            await open_plan_of_first_case(app, pilot)
            await pilot.press(key)
        await settle(app, pilot)
        form = app.screen
        for selector, value in values.items():
            form.query_one(selector, Input).value = value
        await pilot.pause()
        other.execute("BEGIN IMMEDIATE")
        await pilot.press("ctrl+s")
        await settle(app, pilot)
        assert app.screen is form, "the dialog must stay open"
        assert all(form.query_one(s, Input).value == v for s, v in values.items()), "the typed text must stay"
        assert any("låst af et andet program" in notice for notice in notices(app)), notices(app)
        assert text not in saved_text(store, dialog)
        other.execute("ROLLBACK")
        await pilot.press("ctrl+s")
        await settle(app, pilot)
        assert app.screen is not form
    other.close()
    assert text in saved_text(store, dialog)
