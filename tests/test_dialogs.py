"""Dialogs: fields, validation, Escape, naming the row they act on, placement."""

from __future__ import annotations

from textual.widgets import Input

from tests.conftest import NOW, settle
from trivsel_tui.app import TrivselApp
from trivsel_tui.domain.rules import Rules
from trivsel_tui.settings import Settings
from trivsel_tui.store.store import Store

SIZE = (120, 40)


def make_app(store: Store, settings: Settings, rules: Rules) -> TrivselApp:
    return TrivselApp(store=store, settings=settings, rules=rules, clock=lambda: NOW)


async def test_typing_the_adaptation_decision_does_not_crash_the_workplace_form(
    store: Store, settings: Settings, rules: Rules
) -> None:
    app = make_app(store, settings, rules)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("a")
        await settle(app, pilot)
        await pilot.press("plus")
        await settle(app, pilot)
        app.screen.query_one("#adaptation_decision", Input).focus()
        await pilot.press(*"Ja")
        await settle(app, pilot)
        assert app.is_running
        assert app.screen.query_one("#adaptation_decision", Input).value == "Ja"
