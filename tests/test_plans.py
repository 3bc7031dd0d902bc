"""Action plans by keyboard: follow-up plan from a case, handleplan for an at-risk workplace, export."""

from __future__ import annotations

import sqlite3
from datetime import date
from pathlib import Path

import pytest
from sqlmodel import select
from textual.widgets import DataTable, Static

from tests.conftest import NOW, settle, showing
from trivsel_tui.app import TrivselApp
from trivsel_tui.dialogs.cause_form import CauseFormScreen
from trivsel_tui.dialogs.document import DocumentScreen
from trivsel_tui.dialogs.item_form import ItemFormScreen
from trivsel_tui.domain.plans import (
    ExportCause,
    ExportItem,
    ItemRuleError,
    check_status_change,
    plan_markdown,
    survey_due,
)
from trivsel_tui.domain.rules import Rules
from trivsel_tui.screens.case_view import CaseViewScreen
from trivsel_tui.screens.plan_editor import PlanEditorScreen
from trivsel_tui.settings import Settings
from trivsel_tui.store.cases import EpisodeInput, register_episode
from trivsel_tui.store.migrate import upgrade
from trivsel_tui.store.models import ActionItem, ActionPlan, AuditEntry, PlanCause
from trivsel_tui.store.queries import save_workplace
from trivsel_tui.store.store import Store

SIZE = (130, 40)


def make_app(store: Store, settings: Settings, rules: Rules) -> TrivselApp:
    return TrivselApp(store=store, settings=settings, rules=rules, clock=lambda: NOW)


def a_case(store: Store) -> int:
    workplace = save_workplace(store, {"name": "Lyngbo"})
    assert workplace.id is not None
    case_id, _ = register_episode(store, EpisodeInput(workplace.id, NOW, "Mette", "citizen"))
    return case_id


def item_rows(app: TrivselApp) -> list[list[str]]:
    table = app.screen.query_one("#items", DataTable)
    return [[str(cell) for cell in table.get_row_at(i)] for i in range(table.row_count)]


async def add_item(pilot, measure: str, who: str, due: str, tick_cause: bool = False) -> None:  # type: ignore[no-untyped-def]
    await pilot.press("plus")
    await showing(pilot, ItemFormScreen)
    await pilot.press(*measure, "tab", "tab", "tab", *who, "tab", *due)
    if tick_cause:
        await pilot.press("tab", "space")
    await pilot.press("ctrl+s")
    await pilot.pause()


async def test_follow_up_plan_from_a_case(store: Store, settings: Settings, rules: Rules) -> None:
    case_id = a_case(store)
    app = make_app(store, settings, rules)
    async with app.run_test(size=SIZE) as pilot:
        app.open_case(case_id)
        await settle(app, pilot)
        assert "tryk f" in str(app.screen.query_one("#case-header", Static).content)
        await pilot.press("f")
        await pilot.pause()
        assert isinstance(app.screen, PlanEditorScreen)
        await pilot.press("c")
        await showing(pilot, CauseFormScreen)
        await pilot.press(*"Alene", "ctrl+s")
        await pilot.pause()
        await add_item(pilot, "Makker", "Lene", "15-12-2026", tick_cause=True)
        await add_item(pilot, "Alarm", "Ole", "01-12-2026")
        await add_item(pilot, "Kursus", "Ida", "01-03-2027")
        assert [row[1] for row in item_rows(app)] == ["Makker", "Alarm", "Kursus"]
        assert item_rows(app)[0][6] == "1", "the first item answers cause 1"
        # The cursor stays on the item just added; go to the first. Done needs the effectiveness answered.
        await pilot.press("up", "up", "g")
        await pilot.pause()
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert "virkede" in str(app.screen.query_one("#effect-error", Static).content)
        await pilot.press("enter", "down", "enter", "tab", *"Godt", "ctrl+s")
        await pilot.pause()
        # Drop the second with a reason.
        await pilot.press("down", "x", *"Dyrt", "ctrl+s")
        await pilot.pause()
        # Delete the third, then undo.
        await pilot.press("down", "delete")
        await settle(app, pilot)  # the delete is a write in a worker: under load pause() returns first
        await pilot.press("j")
        await pilot.pause()
        assert [row[1] for row in item_rows(app)] == ["Makker", "Alarm"]
        await pilot.press("u")
        await settle(app, pilot)
        assert [row[1] for row in item_rows(app)] == ["Makker", "Alarm", "Kursus"]
        # Jump from the first item to the cause it answers.
        await pilot.press("up", "up", "j")
        await pilot.pause()
        assert app.screen.focused is app.screen.query_one("#causes", DataTable)
        await pilot.press("escape")
        await settle(app, pilot)
        assert isinstance(app.screen, CaseViewScreen)
        assert "1 af 2 tiltag gennemført" in str(app.screen.query_one("#case-header", Static).content)
    with store.read() as session:
        plan = session.exec(select(ActionPlan)).one()
        cause = session.exec(select(PlanCause)).one()
        items = {i.measure: i for i in session.exec(select(ActionItem))}
        deletes = session.exec(select(AuditEntry).where(AuditEntry.action == "delete")).all()
    assert (plan.kind, plan.case_id) == ("case_follow_up", case_id)
    assert items["Makker"].cause_ids == [cause.id]
    assert (items["Makker"].status, items["Makker"].effective, items["Makker"].effect_note) == ("done", "yes", "Godt")
    assert (items["Alarm"].status, items["Alarm"].drop_reason) == ("dropped", "Dyrt")
    assert items["Kursus"].status == "planned" and items["Kursus"].due_on == date(2027, 3, 1)
    assert [d.entity for d in deletes] == ["action_item"], "the delete is in the audit log, and so is the undo"


async def test_at_risk_workplace_without_handleplan_is_a_gap_until_one_is_adopted(
    store: Store, settings: Settings, rules: Rules
) -> None:
    save_workplace(store, {"name": "Jobcenter", "risk_violence_citizens": True})
    app = make_app(store, settings, rules)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("a")
        await settle(app, pilot)
        table = app.screen.query_one(DataTable)
        assert str(table.get_row_at(0)[3]) == "▲ mangler: vold"
        await pilot.press("H")
        await pilot.pause()
        await pilot.press("ctrl+s")  # the workplace under the cursor, violence: the defaults
        await pilot.pause()
        assert isinstance(app.screen, PlanEditorScreen)
        await add_item(pilot, "Alarm", "Ole", "01-12-2026")
        await pilot.press("H")  # the plan's header: adopted needs a date
        await pilot.pause()
        await pilot.press("tab", *"Alle", "tab", "tab", *"01-12-2027", "tab", "enter", "down", "enter", "ctrl+s")
        await pilot.pause()
        assert "vedtagelsesdato" in str(app.screen.query_one("#adopted-error", Static).content)
        await pilot.press(*"20-11-2026", "ctrl+s")  # the adopted date has the focus
        await pilot.pause()
        assert "Vedtaget" in str(app.screen.query_one("#plan-header", Static).content)
        await pilot.press("escape")
        await settle(app, pilot)
        assert str(app.screen.query_one(DataTable).get_row_at(0)[3]) == "✓ vedtaget · revision 01-12-2027"
    with store.read() as session:
        plan = session.exec(select(ActionPlan)).one()
    assert (plan.kind, plan.status, plan.adopted_on, plan.employees_involved) == (
        "prevention_violence",
        "adopted",
        date(2026, 11, 20),
        "Alle",
    )


async def test_trivselsmaaling_due_is_computed_from_the_last(store: Store, settings: Settings, rules: Rules) -> None:
    save_workplace(store, {"name": "A", "last_wellbeing_survey": date(2025, 3, 15)})
    save_workplace(store, {"name": "B", "last_wellbeing_survey": date(2024, 6, 1)})
    save_workplace(store, {"name": "C"})
    app = make_app(store, settings, rules)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("a")
        await settle(app, pilot)
        table = app.screen.query_one(DataTable)
        assert [str(table.get_row_at(i)[5]) for i in range(3)] == [
            "senest 15-03-2027",
            "▲ overskredet siden 01-06-2026",
            "▲ ingen registreret",
        ]
    assert survey_due(date(2024, 2, 29), 24) == date(2026, 2, 28)


async def test_plan_export_contains_what_was_entered(store: Store, settings: Settings, rules: Rules) -> None:
    case_id = a_case(store)
    app = make_app(store, settings, rules)
    async with app.run_test(size=SIZE) as pilot:
        app.open_case(case_id)
        await settle(app, pilot)
        await pilot.press("f")
        await pilot.pause()
        await pilot.press("c")
        await showing(pilot, CauseFormScreen)
        await pilot.press(*"Alene", "ctrl+s")
        await pilot.pause()
        await add_item(pilot, "Makker", "Lene", "15-12-2026", tick_cause=True)
        await pilot.press("m")
        await pilot.pause()
        assert isinstance(app.screen, DocumentScreen)
        markdown = app.screen.markdown
    for expected in (
        "Sag 2026-0001 · Mette",
        "1. Alene (Andet)",
        "| Makker | Kort sigt | Løsning | Lene | 15-12-2026 |",
        "Planlagt | 1 |",
    ):
        assert expected in markdown


def test_status_rules() -> None:
    with pytest.raises(ItemRuleError, match="virkede"):
        check_status_change("done", None, "")
    with pytest.raises(ItemRuleError, match="opgives"):  # review §4.1: "droppes" was slang
        check_status_change("dropped", None, " ")
    check_status_change("done", "partly", "")
    text = plan_markdown(
        "T",
        "case_follow_up",
        "lokal_med",
        "",
        None,
        None,
        [ExportCause(1, "X", "other")],
        [ExportItem("M", "long", "training", "R", None, "dropped", (1,), None, "", "Dyrt")],
    )
    assert "Opgivet – Dyrt" in text and "Lokal MED-udvalget" in text


def test_migration_turns_a_yes_no_effect_into_words(tmp_path: Path) -> None:
    path = tmp_path / "old.sqlite3"
    old = Store(path, "tester")
    upgrade(old.engine, "0003")
    old.close()
    raw = sqlite3.connect(path)
    raw.execute(
        "INSERT INTO action_plan (id, kind, made_by, employees_involved, status, created_at, updated_at)"
        " VALUES (1, 'case_follow_up', '', '', 'draft', '2026-01-01', '2026-01-01')"
    )
    for item_id, effective in ((1, 1), (2, 0), (3, None)):
        raw.execute(
            "INSERT INTO action_item (id, plan_id, measure, horizon, kind, responsible, status, drop_reason,"
            " cause_ids, effective, effect_note, position, created_at, updated_at) VALUES"
            " (?, 1, 'm', 'short', 'solution', '', 'done', '', '[]', ?, '', 0, '2026-01-01', '2026-01-01')",
            (item_id, effective),
        )
    raw.commit()
    raw.close()
    upgraded = Store.open(path, "tester", lambda: NOW)
    with upgraded.read() as session:
        effects = [i.effective for i in session.exec(select(ActionItem).order_by(ActionItem.id))]
    upgraded.close()
    assert effects == ["yes", "no", None]


async def test_items_reorder_by_keyboard(store: Store, settings: Settings, rules: Rules) -> None:
    case_id = a_case(store)
    app = make_app(store, settings, rules)
    async with app.run_test(size=SIZE) as pilot:
        app.open_case(case_id)
        await settle(app, pilot)
        await pilot.press("f")
        await pilot.pause()
        await add_item(pilot, "A", "X", "01-12-2026")
        await add_item(pilot, "B", "X", "02-12-2026")
        await add_item(pilot, "C", "X", "03-12-2026")
        await pilot.press("shift+up", "shift+up")  # C to the top
        await pilot.pause()
        assert [row[1] for row in item_rows(app)] == ["C", "A", "B"]
        await pilot.press("ctrl+o")  # sorted by due date instead; moving is off while sorted
        await pilot.pause()
        assert [row[1] for row in item_rows(app)] == ["A", "B", "C"]
    with store.read() as session:
        order = [i.measure for i in session.exec(select(ActionItem).order_by(ActionItem.position))]
    assert order == ["C", "A", "B"]


async def test_plan_editor_and_dashboard_agree_on_due_soon(store: Store, settings: Settings, rules: Rules) -> None:
    """An item due 3 December ends 23:59 that day: more than 7 days after NOW, so not 'due soon' anywhere."""
    case_id = a_case(store)
    app = make_app(store, settings, rules)
    async with app.run_test(size=SIZE) as pilot:
        app.open_case(case_id)
        await settle(app, pilot)
        await pilot.press("f")
        await pilot.pause()
        await add_item(pilot, "Grænse", "X", "03-12-2026")
        await add_item(pilot, "Snart", "X", "02-12-2026")
        cells = {row[1]: row[0] for row in item_rows(app)}
        assert cells["Grænse"].startswith("  03-12-2026")
        assert cells["Snart"].startswith("● 02-12-2026")
    from trivsel_tui.store.dashboard import DueFilters, DueQuery, due_rows
    from trivsel_tui.widgets.cells import due_cell

    rows = {r.title: r for r in due_rows(store, DueQuery.from_rules(rules), DueFilters(kinds=("plan_item",)))}
    assert str(due_cell(rows["Grænse"].due, NOW, settings.due_soon_days)).startswith("  ")
    assert str(due_cell(rows["Snart"].due, NOW, settings.due_soon_days)).startswith("●")
