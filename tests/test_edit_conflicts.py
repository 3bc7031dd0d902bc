"""Two consultants saving the same case or task: the second save is refused, nothing is overwritten,
and what the second one typed stays in the dialog."""

from __future__ import annotations

import itertools
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

import pytest
from textual.widgets import DataTable, Input, TextArea

from tests.conftest import NOW, settle, showing
from trivsel_tui.app import TrivselApp
from trivsel_tui.dialogs.item_form import ItemFormScreen
from trivsel_tui.dialogs.postpone_form import PostponeFormScreen
from trivsel_tui.dialogs.prompt import TextPromptScreen
from trivsel_tui.dialogs.task_done import TaskDoneScreen
from trivsel_tui.domain.rules import Rules
from trivsel_tui.settings import Settings
from trivsel_tui.store.cases import EpisodeInput, add_task, complete_task, notes_for, register_episode, set_case_status
from trivsel_tui.store.dashboard import postpone_item, postpone_task
from trivsel_tui.store.errors import EditConflictError
from trivsel_tui.store.parties import PartyInput, parties_for, save_party
from trivsel_tui.store.plans import (
    ItemInput,
    PlanHeaderInput,
    open_or_create_case_plan,
    plan_detail,
    save_item,
    save_plan_header,
    set_item_status,
)
from trivsel_tui.store.queries import case_detail, save_workplace
from trivsel_tui.store.store import Location, Store
from trivsel_tui.store.task_terms import abandon_task, close_case, set_owner, set_reminder
from trivsel_tui.texts import t


def ticking() -> Callable[[], datetime]:
    """A clock that moves a second per call, as two people's saves do."""
    seconds = itertools.count()
    return lambda: NOW + timedelta(seconds=next(seconds))


@pytest.fixture
def consultants(db_location: Location) -> Iterator[tuple[Store, Store, int, int]]:
    """Lene and Bo on the same database, one case with one open task."""
    clock = ticking()
    lene = Store.open(db_location, "Lene", clock)
    bo = Store.open(db_location, "Bo", clock)
    workplace = save_workplace(lene, {"name": "Plejecentret"})
    case_id, _episode = register_episode(lene, EpisodeInput(workplace.id or 0, NOW, "Ida", "citizen"))
    task_id = add_task(lene, case_id, "Tal med lederen", NOW + timedelta(days=3))
    yield lene, bo, case_id, task_id
    lene.close()
    bo.close()


def _seen(store: Store, case_id: int) -> tuple[datetime | None, datetime | None]:
    detail = case_detail(store, case_id)
    assert detail is not None
    return detail.case.updated_at, detail.tasks[0].updated_at


@pytest.mark.both_databases
def test_the_second_save_of_the_same_task_is_refused(consultants: tuple[Store, Store, int, int]) -> None:
    lene, bo, case_id, task_id = consultants
    _case_seen, task_seen = _seen(lene, case_id)
    complete_task(bo, task_id, "Bo talte med lederen", seen=_seen(bo, case_id)[1])
    with pytest.raises(EditConflictError):
        complete_task(lene, task_id, "Lene talte også med lederen", seen=task_seen)
    detail = case_detail(lene, case_id)
    assert detail is not None and detail.tasks[0].note == "Bo talte med lederen"


@pytest.mark.both_databases
def test_closing_a_case_someone_changed_meanwhile_is_refused(consultants: tuple[Store, Store, int, int]) -> None:
    lene, bo, case_id, _task_id = consultants
    case_seen, _task_seen = _seen(lene, case_id)
    set_case_status(bo, case_id, "closed", "Løst", seen=_seen(bo, case_id)[0])
    set_case_status(bo, case_id, "open", "Ny henvendelse")
    with pytest.raises(EditConflictError):
        set_case_status(lene, case_id, "closed", "Afsluttet af Lene", seen=case_seen)
    assert [note.text.split(":")[0] for note in notes_for(lene, case_id)] == [
        note.text.split(":")[0] for note in notes_for(bo, case_id)
    ]
    assert len(notes_for(lene, case_id)) == 2, "Lene's close wrote nothing"
    set_case_status(lene, case_id, "closed", "Afsluttet af Lene", seen=_seen(lene, case_id)[0])  # a fresh look


LATER = NOW + timedelta(days=9)
DAY = LATER.date()


@dataclass(frozen=True)
class Rows:
    case_id: int
    task_id: int
    plan_id: int
    item_id: int
    party_id: int


def _rows(lene: Store, case_id: int, task_id: int) -> Rows:
    plan_id = open_or_create_case_plan(lene, case_id)
    item_id = save_item(lene, plan_id, ItemInput("Alarm i gangen", "short", "prevention", "Leder", DAY))
    party_id = save_party(lene, case_id, PartyInput("witness", "Åse Ørum"))
    return Rows(case_id, task_id, plan_id, item_id, party_id)


def _version(store: Store, rows: Rows, table: str) -> datetime | None:
    """What the user had in front of them: the version of the row the edit changes."""
    detail = case_detail(store, rows.case_id)
    plan = plan_detail(store, rows.plan_id)
    assert detail is not None and plan is not None
    return {
        "task": detail.tasks[0].updated_at,
        "case": detail.case.updated_at,
        "item": plan.items[0].updated_at,
        "plan": plan.plan.updated_at,
        "party": parties_for(store, rows.case_id)[0].updated_at,
    }[table]


Edit = Callable[[Store, Rows, "datetime | None"], object]
# Every edit of a case, task, plan or party a second consultant could overwrite: (the row it changes, the edit).
EDITS: dict[str, tuple[str, Edit]] = {
    "postpone task": ("task", lambda s, r, v: postpone_task(s, r.task_id, LATER, "Ferie", seen=v)),
    "task owner": ("task", lambda s, r, v: set_owner(s, r.task_id, f"{s.actor}s leder", seen=v)),
    "task reminder": ("task", lambda s, r, v: set_reminder(s, r.task_id, LATER, seen=v)),
    "give up task": ("task", lambda s, r, v: abandon_task(s, r.task_id, f"{s.actor} opgav", seen=v)),
    "close with open tasks": ("case", lambda s, r, v: close_case(s, r.case_id, f"{s.actor} lukkede", {}, seen=v)),
    "edit plan item": (
        "item",
        lambda s, r, v: save_item(s, r.plan_id, ItemInput(s.actor, "short", "prevention", "", DAY), r.item_id, seen=v),
    ),
    "plan item done": ("item", lambda s, r, v: set_item_status(s, r.item_id, "done", "yes", s.actor, seen=v)),
    "postpone plan item": ("item", lambda s, r, v: postpone_item(s, r.item_id, LATER, s.actor, seen=v)),
    "plan header": (
        "plan",
        lambda s, r, v: save_plan_header(s, r.plan_id, PlanHeaderInput(s.actor, "", None, None, "draft"), seen=v),
    ),
    "edit party": (
        "party",
        lambda s, r, v: save_party(s, r.case_id, PartyInput("witness", "Åse Ørum", job=s.actor), r.party_id, seen=v),
    ),
}


@pytest.mark.both_databases
@pytest.mark.parametrize("name", EDITS)
def test_every_edit_a_colleague_saved_first_is_refused(consultants: tuple[Store, Store, int, int], name: str) -> None:
    lene, bo, case_id, task_id = consultants
    rows = _rows(lene, case_id, task_id)
    table, edit = EDITS[name]
    lene_saw = _version(lene, rows, table)
    edit(bo, rows, _version(bo, rows, table))
    after_bo = (case_detail(bo, case_id), plan_detail(bo, rows.plan_id), parties_for(bo, case_id))
    with pytest.raises(EditConflictError):
        edit(lene, rows, lene_saw)
    assert (case_detail(lene, case_id), plan_detail(lene, rows.plan_id), parties_for(lene, case_id)) == after_bo
    edit(lene, rows, _version(lene, rows, table))  # after a fresh look it saves


async def test_the_refused_note_stays_in_the_dialog(
    consultants: tuple[Store, Store, int, int], settings: Settings, rules: Rules
) -> None:
    lene, bo, case_id, task_id = consultants
    app = TrivselApp(store=lene, settings=settings, rules=rules, clock=lambda: NOW)
    async with app.run_test(size=(120, 40)) as pilot:
        await done_refused_while_open(app, pilot, case_id, lambda: complete_task(bo, task_id, "Bo nåede det først"))
    detail = case_detail(lene, case_id)
    assert detail is not None and detail.tasks[0].note == "Bo nåede det først"


async def done_refused_while_open(
    app: TrivselApp, pilot: Any, case_id: int, colleague_saves: Callable[[], object]
) -> None:
    """Lene's done dialog is open with her note when a colleague marks the task done first."""
    app.open_case(case_id)
    await settle(app, pilot)
    await pilot.press("d")
    await showing(pilot, TaskDoneScreen)
    app.screen.query_one(TextArea).text = "Lenes tekst"
    colleague_saves()
    await _refused_and_kept(app, pilot, TaskDoneScreen, lambda: app.screen.query_one(TextArea).text)


async def _refused_and_kept(app: TrivselApp, pilot: Any, dialog: type[Any], typed: Callable[[], str]) -> None:
    """Ctrl+S after a colleague's save: the dialog stays open with the text and says why, once."""
    app.clear_notifications()
    await pilot.press("ctrl+s")
    await settle(app, pilot)
    assert isinstance(app.screen, dialog), "the dialog stays open"
    assert typed() == "Lenes tekst"
    notices = [notification.message for notification in app._notifications]
    assert [notice for notice in notices if "En anden har gemt en ændring" in notice] == [
        t("data_errors.edit_conflict")
    ]


async def test_a_refused_owner_postponement_or_plan_item_keeps_what_was_typed(
    consultants: tuple[Store, Store, int, int], settings: Settings, rules: Rules
) -> None:
    lene, bo, case_id, task_id = consultants
    rows = _rows(lene, case_id, task_id)
    app = TrivselApp(store=lene, settings=settings, rules=rules, clock=lambda: NOW)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(app, pilot)
        home = app.screen
        sources = [row.source for row in home.rows]  # type: ignore[attr-defined]
        home.query_one("#due", DataTable).move_cursor(row=sources.index("task"))
        await pilot.press("u")  # postpone on the dashboard
        await showing(pilot, PostponeFormScreen)
        app.screen.query_one("#postpone-date", Input).value = "10-12-2026"
        app.screen.query_one("#postpone-reason", Input).value = "Lenes tekst"
        set_owner(bo, task_id, "Bo selv")
        await _refused_and_kept(
            app, pilot, PostponeFormScreen, lambda: app.screen.query_one("#postpone-reason", Input).value
        )
        await pilot.press("escape", "escape")
        app.open_case(case_id)
        await settle(app, pilot)
        await pilot.press("w")  # the task's owner in the case view
        await showing(pilot, TextPromptScreen)
        app.screen.query_one(TextArea).text = "Lenes tekst"
        postpone_task(bo, task_id, LATER, "Bo flyttede den")
        await _refused_and_kept(app, pilot, TextPromptScreen, lambda: app.screen.query_one(TextArea).text)
        await pilot.press("escape", "escape")  # the second one leaves what was typed
        await pilot.pause()
        await pilot.press("f")  # the case's plan; edit its item
        await settle(app, pilot)
        await pilot.press("e")
        await showing(pilot, ItemFormScreen)
        app.screen.query_one("#measure", Input).value = "Lenes tekst"
        set_item_status(bo, rows.item_id, "in_progress")
        measure = app.screen.query_one("#measure", Input)
        await _refused_and_kept(app, pilot, ItemFormScreen, lambda: measure.value)
    assert [task.owner for task in case_detail(lene, case_id).tasks] == ["Bo selv"]  # type: ignore[union-attr]
