"""Dialogs: fields, validation, Escape, naming the row they act on, placement."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from textual.screen import ModalScreen
from textual.widgets import DataTable, Input, Select, Static

from tests.conftest import NOW, settle
from trivsel_tui.app import TrivselApp
from trivsel_tui.dialogs.cause_form import CauseFormScreen
from trivsel_tui.dialogs.confirm import ConfirmScreen
from trivsel_tui.dialogs.document import DocumentScreen
from trivsel_tui.dialogs.effect_form import EffectFormScreen
from trivsel_tui.dialogs.filter_form import FilterFormScreen
from trivsel_tui.dialogs.help import HelpScreen
from trivsel_tui.dialogs.item_form import ItemFormScreen
from trivsel_tui.dialogs.override import OverrideScreen
from trivsel_tui.dialogs.plan_header import PlanHeaderScreen
from trivsel_tui.dialogs.plan_new import NewPlanScreen
from trivsel_tui.dialogs.postpone_form import PostponeFormScreen
from trivsel_tui.dialogs.prompt import TextPromptScreen
from trivsel_tui.dialogs.task_form import TaskFormScreen
from trivsel_tui.dialogs.workplace_form import WorkplaceFormScreen
from trivsel_tui.domain.rules import Rules
from trivsel_tui.settings import Settings
from trivsel_tui.store.dashboard import DueFilters
from trivsel_tui.store.demo import generate_demo
from trivsel_tui.store.plans import ItemInput, add_cause, list_plans, open_or_create_case_plan, plan_detail, save_item
from trivsel_tui.store.queries import list_workplaces
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


async def open_case_plan(app: TrivselApp, pilot: Any) -> int:
    """The first open case, and its follow-up plan (f) with one cause and one item."""
    with app.store.read() as session:
        case_id = int(session.connection().exec_driver_sql('SELECT min(id) FROM "case"').scalar_one())
    plan_id = open_or_create_case_plan(app.store, case_id)
    cause = add_cause(app.store, plan_id, "Travlhed", "other")
    item = ItemInput("Alarm i gangen", "short", "solution", "Ole", NOW.date(), (cause,))
    save_item(app.store, plan_id, item)
    app.open_case(case_id)
    await settle(app, pilot)
    return case_id


@pytest.mark.parametrize(
    ("where", "key", "typed"),
    [
        ("case", "m", "En note"),  # a note (TextPromptScreen)
        ("case", "l", "Afsluttet"),  # a close reason
        ("case", "t", "Ring til leder"),  # a manual task
        ("plan", "c", "Travlhed"),  # a cause
        ("plan", "H", "Alle"),  # the plan header: employees involved
        ("plan", "g", ""),  # the effect question: a choice is made
    ],
)
async def test_escape_warns_before_it_discards_what_was_typed(
    store: Store, settings: Settings, rules: Rules, where: str, key: str, typed: str
) -> None:
    generate_demo(store, rules, 3, 1, NOW)
    app = make_app(store, settings, rules)
    async with app.run_test(size=SIZE) as pilot:
        await settle(app, pilot)
        await open_case_plan(app, pilot)
        if where == "plan":
            await pilot.press("f")
            await settle(app, pilot)
        under = app.screen
        await pilot.press(key)
        await settle(app, pilot)
        dialog = app.screen
        if key == "H":
            await pilot.press("tab")
        if typed:
            await pilot.press(*typed)
        else:
            app.screen.query_one(Select).value = "yes"
        await pilot.pause()
        await pilot.press("escape")
        await settle(app, pilot)
        assert app.screen is dialog, "the first Escape only warns"
        assert any("Escape igen" in n.message for n in app._notifications)
        await pilot.press("escape")
        await settle(app, pilot)
        assert app.screen is under


async def test_escape_closes_at_once_when_nothing_was_typed(store: Store, settings: Settings, rules: Rules) -> None:
    generate_demo(store, rules, 3, 1, NOW)
    app = make_app(store, settings, rules)
    async with app.run_test(size=SIZE) as pilot:
        await settle(app, pilot)
        await open_case_plan(app, pilot)
        under = app.screen
        await pilot.press("m")
        await settle(app, pilot)
        await pilot.press("escape")
        await settle(app, pilot)
        assert app.screen is under


def dialogs(store: Store) -> list[ModalScreen[Any]]:
    workplaces = list_workplaces(store)
    detail = plan_detail(store, list_plans(store)[0].id)
    assert detail is not None
    plan = detail.plan
    return [
        PostponeFormScreen(NOW, subject="Anmeld i Insubiz"),
        FilterFormScreen(DueFilters(), [(w.name, w.id or 0) for w in workplaces], [], ["Ole"], []),
        CauseFormScreen(),
        EffectFormScreen(subject="Alarm"),
        ItemFormScreen(plan.id, ()),
        PlanHeaderScreen(plan, NOW.date()),
        NewPlanScreen(),
        ConfirmScreen("Slette?"),
        TextPromptScreen("Note", "Skriv"),
        TaskFormScreen(NOW),
        OverrideScreen(),
        WorkplaceFormScreen(None),
        DocumentScreen("Dokument", "# Overskrift", Path("x.md")),
        HelpScreen(),
    ]


async def test_every_dialog_is_centred(store: Store, settings: Settings, rules: Rules) -> None:
    generate_demo(store, rules, 3, 1, NOW)
    app = make_app(store, settings, rules)
    async with app.run_test(size=SIZE) as pilot:
        await settle(app, pilot)
        for dialog in dialogs(store):
            app.push_screen(dialog)
            await settle(app, pilot)
            box = dialog.children[0].region
            left, right = box.x, SIZE[0] - box.right
            top, bottom = box.y, SIZE[1] - box.bottom
            assert abs(left - right) <= 1 and abs(top - bottom) <= 1, f"{type(dialog).__name__} at {box}"
            dialog.dismiss(None)
            await settle(app, pilot)


async def test_done_and_postpone_name_the_row_they_act_on(store: Store, settings: Settings, rules: Rules) -> None:
    generate_demo(store, rules, 3, 1, NOW)
    app = make_app(store, settings, rules)
    async with app.run_test(size=SIZE) as pilot:
        await settle(app, pilot)
        rows = app.screen.rows  # type: ignore[attr-defined]
        index = next(i for i, row in enumerate(rows) if row.source == "item")
        title = rows[index].title
        app.screen.query_one("#due", DataTable).move_cursor(row=index)
        for key in ("d", "u"):
            await pilot.press(key)
            await settle(app, pilot)
            assert f"Gælder: {title}" in str(app.screen.query_one(".dialog-subject", Static).content)
            await pilot.press("escape")
            await settle(app, pilot)


async def test_an_invalid_compact_field_still_shows_its_text(store: Store, settings: Settings, rules: Rules) -> None:
    app = make_app(store, settings, rules)
    async with app.run_test(size=SIZE) as pilot:
        await settle(app, pilot)
        await pilot.press("n")
        await settle(app, pilot)
        field = app.screen.query_one("#occurred", Input)
        field.focus()
        await pilot.press(*"32-13-2026 10:")
        await settle(app, pilot)
        assert field.has_class("-invalid")
        assert "32-13-2026 10:" in screen_line(app, field.region.y), "the typed text is hidden by the red border"


def screen_text(app: TrivselApp) -> str:
    return "\n".join("".join(segment.text for segment in strip) for strip in app.screen._compositor.render_strips())


def screen_line(app: TrivselApp, y: int) -> str:
    strip = app.screen._compositor.render_strips()[y]
    return "".join(segment.text for segment in strip)


async def test_palette_and_lists_speak_danish(store: Store, settings: Settings, rules: Rules) -> None:
    app = make_app(store, settings, rules)
    async with app.run_test(size=SIZE) as pilot:
        await settle(app, pilot)
        footer = screen_line(app, SIZE[1] - 1)
        assert "palet" in footer and "palette" not in footer
        await pilot.press("ctrl+p")
        await settle(app, pilot)
        assert "Søg efter" in app.screen.query_one(Input).placeholder
        await pilot.press(*"zzqqxx")
        await pilot.pause(0.6)  # the palette waits half a second before it says nothing matched
        await settle(app, pilot)
        assert "Ingen match" in screen_text(app) and "No matches" not in screen_text(app)
        titles = [command.title for command in app.get_system_commands(app.screen)]
        assert titles and not {"Keys", "Quit", "Theme", "Screenshot"} & set(titles)
        await pilot.press("escape")
        app.push_screen(CauseFormScreen())
        await settle(app, pilot)
        app.screen.query_one(Select).focus()
        await pilot.press("enter")  # open the list: its key hint is in the footer
        await settle(app, pilot)
        hints = [active.binding.description for active in app.screen.active_bindings.values()]
        assert "Luk listen" in hints and "Dismiss menu" not in hints
