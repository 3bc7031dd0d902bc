"""What the screens and dialogs look like (pytest-textual-snapshot), with a fixed clock and fixed data.

After an intended change of UI text or layout: `pytest tests/test_snapshots.py --snapshot-update`,
then look at the changed SVGs before committing them.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Any

import pytest
from sqlmodel import select
from textual.widgets import Input

from tests.conftest import NOW, settle
from trivsel_tui.app import TrivselApp
from trivsel_tui.dialogs.confirm import ConfirmScreen
from trivsel_tui.dialogs.postpone_form import PostponeFormScreen
from trivsel_tui.domain.rules import Rules
from trivsel_tui.screens.wizard import WizardScreen
from trivsel_tui.settings import Settings
from trivsel_tui.store.demo import generate_demo
from trivsel_tui.store.models import Case, Episode
from trivsel_tui.store.store import Store

Snap = Callable[..., bool]
WIDE = (120, 40)


@pytest.fixture
def demo(store: Store, rules: Rules) -> Store:
    generate_demo(store, rules, 12, 7, NOW)
    return store


def app_for(store: Store, settings: Settings, rules: Rules) -> TrivselApp:
    # demo=True: the subtitle names no temporary path, so the picture is the same on every run.
    return TrivselApp(store=store, settings=settings, rules=rules, clock=lambda: NOW, demo=True)


async def quiet(app: Any, pilot: Any) -> None:
    """Settle until no load is under way: a screen may start a second read when its first one arrives,
    and on a busy machine a picture taken between the two differs."""
    for _ in range(20):
        await settle(app, pilot)
        if all(worker.is_finished for worker in app.workers):
            return


def steps(*keys: str, then: Callable[[Any], Awaitable[None]] | None = None) -> Callable[[Any], Awaitable[None]]:
    async def run(pilot: Any) -> None:
        await quiet(pilot.app, pilot)
        if keys:
            await pilot.press(*keys)
            await quiet(pilot.app, pilot)
        if then is not None:
            await then(pilot)
            await quiet(pilot.app, pilot)
        for field in pilot.app.screen.query("Input, TextArea"):
            field.cursor_blink = False  # a blinking cursor would make every other picture differ
        # A modal's fade-in and focus styling finish later under load; the picture waits for them.
        await pilot.wait_for_scheduled_animations()
        await pilot.pause()

    return run


def first(store: Store, model: Any) -> Any:
    with store.read() as session:
        return session.exec(select(model).order_by(model.id)).first()


def open_case(store: Store) -> Callable[[Any], Awaitable[None]]:
    async def run(pilot: Any) -> None:
        pilot.app.open_case(first(store, Case).id)

    return run


def wizard(store: Store, *answers: str) -> Callable[[Any], Awaitable[None]]:
    async def run(pilot: Any) -> None:
        pilot.app.push_screen(WizardScreen(first(store, Episode).id))
        await quiet(pilot.app, pilot)
        if answers:
            await pilot.press(*answers)

    return run


@pytest.mark.parametrize("size", [(120, 40), (80, 24)], ids=["120x40", "80x24"])
def test_dashboard(snap_compare: Snap, demo: Store, settings: Settings, rules: Rules, size: tuple[int, int]) -> None:
    assert snap_compare(app_for(demo, settings, rules), terminal_size=size, run_before=steps())


def test_dashboard_without_colour(
    snap_compare: Snap, demo: Store, settings: Settings, rules: Rules, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("NO_COLOR", "1")
    assert snap_compare(app_for(demo, settings, rules), terminal_size=WIDE, run_before=steps())


def test_case_view(snap_compare: Snap, demo: Store, settings: Settings, rules: Rules) -> None:
    assert snap_compare(app_for(demo, settings, rules), terminal_size=WIDE, run_before=steps(then=open_case(demo)))


def test_register_form_with_an_invalid_field(snap_compare: Snap, demo: Store, settings: Settings, rules: Rules) -> None:
    async def type_unknown(pilot: Any) -> None:
        pilot.app.screen.query_one("#workplace", Input).value = "Ukendt sted"
        pilot.app.screen.query_one("#occurred", Input).value = "32-13"

    app = app_for(demo, settings, rules)
    assert snap_compare(app, terminal_size=WIDE, run_before=steps("n", then=type_unknown))


def test_wizard_question(snap_compare: Snap, demo: Store, settings: Settings, rules: Rules) -> None:
    assert snap_compare(app_for(demo, settings, rules), terminal_size=WIDE, run_before=steps(then=wizard(demo)))


def test_wizard_result(snap_compare: Snap, demo: Store, settings: Settings, rules: Rules) -> None:
    async def result_shown(pilot: Any) -> None:
        await wizard(demo)(pilot)
        # The demo episode is classified: the wizard starts from its answers, and Enter keeps each one.
        for _question in range(12):
            if pilot.app.screen.result is not None:
                break
            await pilot.press("enter")
        await quiet(pilot.app, pilot)
        assert pilot.app.screen.result is not None, "the walk no longer reaches the result: update the answers"

    assert snap_compare(app_for(demo, settings, rules), terminal_size=WIDE, run_before=steps(then=result_shown))


CASE_DIALOGS = {
    "note": ("m",),  # a text prompt
    "task": ("t", "ctrl+s"),  # a form with a field error
    "help": ("question_mark",),
    "insubiz": ("i",),  # a document
}


@pytest.mark.parametrize("name", CASE_DIALOGS)
def test_case_dialogs(snap_compare: Snap, demo: Store, settings: Settings, rules: Rules, name: str) -> None:
    async def then(pilot: Any) -> None:
        await open_case(demo)(pilot)
        await quiet(pilot.app, pilot)
        await pilot.press(*CASE_DIALOGS[name])

    assert snap_compare(app_for(demo, settings, rules), terminal_size=WIDE, run_before=steps(then=then))


@pytest.mark.parametrize("name", ["filter", "confirm", "postpone"])
def test_dashboard_dialogs(snap_compare: Snap, demo: Store, settings: Settings, rules: Rules, name: str) -> None:
    async def then(pilot: Any) -> None:
        if name == "filter":
            await pilot.press("f")
        elif name == "confirm":
            pilot.app.push_screen(ConfirmScreen("Vil du slette tiltaget «Alarm i gangen»?"))
        else:
            pilot.app.push_screen(PostponeFormScreen(NOW, subject="Anmeld i Insubiz"))

    assert snap_compare(app_for(demo, settings, rules), terminal_size=WIDE, run_before=steps(then=then))


def test_plan_item_form(snap_compare: Snap, demo: Store, settings: Settings, rules: Rules) -> None:
    async def then(pilot: Any) -> None:
        await open_case(demo)(pilot)
        await quiet(pilot.app, pilot)
        await pilot.press("f")
        await quiet(pilot.app, pilot)
        await pilot.press("plus", *"Alarm", "ctrl+s")  # responsible and due are missing

    assert snap_compare(app_for(demo, settings, rules), terminal_size=WIDE, run_before=steps(then=then))
