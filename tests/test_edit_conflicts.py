"""Two consultants saving the same case or task: the second save is refused, nothing is overwritten,
and what the second one typed stays in the dialog."""

from __future__ import annotations

import itertools
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

import pytest
from sqlalchemy.orm.exc import StaleDataError
from textual.widgets import DataTable, Input, TextArea

from tests.conftest import NOW, settle, showing
from tests.test_episode_flow import walk_wizard_kick_with_injury
from trivsel_tui.app import TrivselApp
from trivsel_tui.dialogs.item_form import ItemFormScreen
from trivsel_tui.dialogs.postpone_form import PostponeFormScreen
from trivsel_tui.dialogs.prompt import TextPromptScreen
from trivsel_tui.dialogs.task_done import TaskDoneScreen
from trivsel_tui.dialogs.workplace_form import WorkplaceFormScreen
from trivsel_tui.domain.classify import classify
from trivsel_tui.domain.facts import parse_facts
from trivsel_tui.domain.meetings import Attendee, Body
from trivsel_tui.domain.rules import Rules
from trivsel_tui.screens.wizard import WizardScreen
from trivsel_tui.settings import Settings
from trivsel_tui.store.cases import (
    EpisodeInput,
    add_task,
    complete_task,
    notes_for,
    record_dispensation,
    register_episode,
    save_classification,
    set_case_status,
)
from trivsel_tui.store.dashboard import postpone_item, postpone_task
from trivsel_tui.store.errors import NOT_YET_SAVED, EditConflictError, failure_text_key
from trivsel_tui.store.meeting_view import MeetingDetail, correct_minutes, meeting_detail, minutes_versions
from trivsel_tui.store.meetings import (
    DecisionInput,
    add_free_item,
    close_meeting,
    create_meeting,
    move_meeting_item,
    record_decision,
    remove_meeting_item,
)
from trivsel_tui.store.models import Task
from trivsel_tui.store.outcomes import OutcomeInput, outcomes_for, save_outcome
from trivsel_tui.store.parties import PartyInput, parties_for, remove_party, save_party
from trivsel_tui.store.plans import (
    ItemInput,
    PlanHeaderInput,
    delete_item,
    move_item,
    open_or_create_case_plan,
    plan_detail,
    save_item,
    save_plan_header,
    set_item_status,
)
from trivsel_tui.store.queries import case_detail, get_workplace, save_workplace
from trivsel_tui.store.retention import discard_case, release_hold, retention_rows, set_hold
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


def _seen(store: Store, case_id: int) -> tuple[int, int]:
    detail = case_detail(store, case_id)
    assert detail is not None
    return detail.case.version, detail.tasks[0].version


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
    rules: Rules
    case_id: int
    task_id: int
    plan_id: int
    item_id: int
    party_id: int
    episode_id: int
    workplace_id: int
    meeting_id: int
    agenda_item_id: int


def _rows(lene: Store, rules: Rules, case_id: int, task_id: int) -> Rows:
    plan_id = open_or_create_case_plan(lene, case_id)
    item_id = save_item(lene, plan_id, ItemInput("Alarm i gangen", "short", "prevention", "Leder", DAY))
    party_id = save_party(lene, case_id, PartyInput("witness", "Åse Ørum"))
    detail = case_detail(lene, case_id)
    assert detail is not None
    set_hold(lene, case_id, "litigation", "Retssag")
    body = Body("arbejdsmiljoegruppe", "Plejecentret", (detail.case.workplace_id,))
    meeting_id = create_meeting(lene, rules, body, DAY, [Attendee("Lene", "member")], NOW)
    agenda_item_id = add_free_item(lene, meeting_id, "Alarmer")
    episode_id = detail.episodes[0].id
    return Rows(
        rules,
        case_id,
        task_id,
        plan_id,
        item_id,
        party_id,
        episode_id,
        detail.case.workplace_id,
        meeting_id,
        agenda_item_id,
    )


def _meeting(store: Store, rows: Rows) -> MeetingDetail:
    meeting = meeting_detail(store, rows.rules, rows.meeting_id, NOW)
    assert meeting is not None
    return meeting


def _version(store: Store, rows: Rows, table: str) -> int:
    """What the user had in front of them: the version of the row the edit changes."""
    detail = case_detail(store, rows.case_id)
    plan = plan_detail(store, rows.plan_id)
    assert detail is not None and plan is not None
    if table == "outcome":  # the form creates it on its first save
        outcome = outcomes_for(store, rows.case_id).get(rows.episode_id)
        return outcome.version if outcome else NOT_YET_SAVED
    if table == "agenda item":
        return next(s.version for s in _meeting(store, rows).slides if s.item_id == rows.agenda_item_id)
    return {
        "task": lambda: detail.tasks[0].version,
        "case": lambda: detail.case.version,
        "episode": lambda: detail.episodes[0].version,
        "item": lambda: plan.items[0].version,
        "plan": lambda: plan.plan.version,
        "party": lambda: parties_for(store, rows.case_id)[0].version,
        "workplace": lambda: getattr(get_workplace(store, rows.workplace_id), "version", 0),
        "meeting": lambda: _meeting(store, rows).version,
    }[table]()


def _everything(store: Store, rows: Rows) -> tuple[object, ...]:
    """All a refused edit might have changed."""
    return (
        case_detail(store, rows.case_id),
        plan_detail(store, rows.plan_id),
        parties_for(store, rows.case_id),
        outcomes_for(store, rows.case_id),
        get_workplace(store, rows.workplace_id),
        retention_rows(store, DAY),
        _meeting(store, rows),
    )


def _facts(store: Store) -> dict[str, object]:
    return {
        "occurred_at": NOW.isoformat(),
        "perpetrator": "citizen",
        "behaviours": ["blow"],
        "injury": "none",
        "intentional": store.actor == "Bo",
    }


def _reclassify(s: Store, r: Rows, v: int | None) -> None:
    facts = _facts(s)
    save_classification(s, r.episode_id, facts, classify(parse_facts(facts, r.rules), r.rules), seen=v)


Edit = Callable[[Store, Rows, int | None], object]
_edit_item: Edit = lambda s, r, v: save_item(  # noqa: E731
    s, r.plan_id, ItemInput(s.actor, "short", "prevention", "", DAY), r.item_id, seen=v
)
_edit_party: Edit = lambda s, r, v: save_party(  # noqa: E731
    s, r.case_id, PartyInput("witness", "Åse Ørum", job=s.actor), r.party_id, seen=v
)
_decide: Edit = lambda s, r, v: record_decision(s, r.agenda_item_id, DecisionInput(s.actor), seen=v)  # noqa: E731
# Every edit of a row a second consultant could overwrite: (the row it changes, the edit, and the colleague's
# edit saved first where it is another: one cannot remove what the colleague removed, but what they changed).
EDITS: dict[str, tuple[str, Edit, Edit | None]] = {
    "postpone task": ("task", lambda s, r, v: postpone_task(s, r.task_id, LATER, "Ferie", seen=v), None),
    "task owner": ("task", lambda s, r, v: set_owner(s, r.task_id, f"{s.actor}s leder", seen=v), None),
    "task reminder": ("task", lambda s, r, v: set_reminder(s, r.task_id, LATER, seen=v), None),
    "give up task": ("task", lambda s, r, v: abandon_task(s, r.task_id, f"{s.actor} opgav", seen=v), None),
    "close with open tasks": (
        "case",
        lambda s, r, v: close_case(s, r.case_id, f"{s.actor} lukkede", {}, seen=v),
        None,
    ),
    "edit plan item": ("item", _edit_item, None),
    "plan item done": ("item", lambda s, r, v: set_item_status(s, r.item_id, "done", "yes", s.actor, seen=v), None),
    "postpone plan item": ("item", lambda s, r, v: postpone_item(s, r.item_id, LATER, s.actor, seen=v), None),
    "delete plan item": ("item", lambda s, r, v: delete_item(s, r.item_id, seen=v), _edit_item),
    "move plan item": ("item", lambda s, r, v: move_item(s, r.plan_id, r.item_id, -1, seen=v), _edit_item),
    "plan header": (
        "plan",
        lambda s, r, v: save_plan_header(s, r.plan_id, PlanHeaderInput(s.actor, "", None, None, "draft"), seen=v),
        None,
    ),
    "edit party": ("party", _edit_party, None),
    "remove party": ("party", lambda s, r, v: remove_party(s, r.party_id, seen=v), _edit_party),
    "reclassify": ("episode", _reclassify, None),
    "outcome": (
        "outcome",
        lambda s, r, v: save_outcome(s, r.episode_id, OutcomeInput(NOW.date(), s.actor), seen=v),
        None,
    ),
    "hold": ("case", lambda s, r, v: set_hold(s, r.case_id, "other", f"{s.actor}s grund", seen=v), None),
    "lift hold": (  # after the colleague put another hold on it
        "case",
        lambda s, r, v: release_hold(s, r.case_id, f"{s.actor} løftede", seen=v),
        lambda s, r, v: set_hold(s, r.case_id, "other", "En ny retssag", seen=v),
    ),
    "workplace": (
        "workplace",
        lambda s, r, v: save_workplace(s, {"leader_name": s.actor}, r.workplace_id, seen=v),
        None,
    ),
    "decision": ("agenda item", _decide, None),
    "remove agenda item": ("agenda item", lambda s, r, v: remove_meeting_item(s, r.agenda_item_id, seen=v), _decide),
    "move agenda item": ("agenda item", lambda s, r, v: move_meeting_item(s, r.agenda_item_id, -1, seen=v), _decide),
    "close meeting": ("meeting", lambda s, r, v: close_meeting(s, r.meeting_id, s.actor, seen=v), _decide),
}


@pytest.mark.both_databases
@pytest.mark.parametrize("name", EDITS)
def test_every_edit_a_colleague_saved_first_is_refused(
    consultants: tuple[Store, Store, int, int], rules: Rules, name: str
) -> None:
    lene, bo, case_id, task_id = consultants
    rows = _rows(lene, rules, case_id, task_id)
    table, edit, colleague_edit = EDITS[name]
    lene_saw = _version(lene, rows, table)
    if colleague_edit is None:
        edit(bo, rows, _version(bo, rows, table))
    else:
        colleague_edit(bo, rows, None)
    after_bo = _everything(bo, rows)
    with pytest.raises(EditConflictError):
        edit(lene, rows, lene_saw)
    assert _everything(lene, rows) == after_bo
    edit(lene, rows, _version(lene, rows, table))  # after a fresh look it saves


@pytest.mark.both_databases
def test_a_correction_written_from_minutes_a_colleague_corrected_meanwhile_is_refused(
    consultants: tuple[Store, Store, int, int], rules: Rules
) -> None:
    lene, bo, case_id, task_id = consultants
    rows = _rows(lene, rules, case_id, task_id)
    close_meeting(lene, rows.meeting_id, "# Referat\n")
    assert correct_minutes(bo, rows.meeting_id, "# Referat\nBos rettelse\n", "Bo", seen=1) == 2
    with pytest.raises(EditConflictError):
        correct_minutes(lene, rows.meeting_id, "# Referat\nLenes rettelse\n", "Lene", seen=1)
    assert [v.markdown for v in minutes_versions(lene, rows.meeting_id)][-1] == "# Referat\nBos rettelse\n"
    assert correct_minutes(lene, rows.meeting_id, "# Referat\nBos og Lenes\n", "Lene", seen=2) == 3


@pytest.mark.both_databases
def test_kassation_of_a_case_a_colleague_changed_after_the_list_was_read_is_refused(
    consultants: tuple[Store, Store, int, int],
) -> None:
    lene, bo, case_id, _task_id = consultants
    set_case_status(lene, case_id, "closed", "Løst")
    lene_saw = next(row for row in retention_rows(lene, DAY) if row.case_id == case_id).version
    set_case_status(bo, case_id, "open", "Ny henvendelse")
    set_case_status(bo, case_id, "closed", "Løst igen")
    with pytest.raises(EditConflictError):
        discard_case(lene, case_id, "Udløbet", DAY, early=True, seen=lene_saw)
    assert [row.case_id for row in retention_rows(lene, DAY)] == [case_id]


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
    rows = _rows(lene, rules, case_id, task_id)
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


async def test_a_refused_workplace_edit_or_reclassification_keeps_what_was_typed_and_answered(
    consultants: tuple[Store, Store, int, int], settings: Settings, rules: Rules
) -> None:
    """The two edits that do not save through a dialog's save_and_dismiss: the workplace form's own save
    and the wizard, a whole screen of answers."""
    lene, bo, case_id, task_id = consultants
    rows = _rows(lene, rules, case_id, task_id)
    app = TrivselApp(store=lene, settings=settings, rules=rules, clock=lambda: NOW)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(app, pilot)
        app.push_screen(WorkplaceFormScreen(get_workplace(lene, rows.workplace_id)))
        await showing(pilot, WorkplaceFormScreen)
        app.screen.query_one("#leader_name", Input).value = "Lenes tekst"
        save_workplace(bo, {"leader_name": "Bos leder"}, rows.workplace_id)
        leader = app.screen.query_one("#leader_name", Input)
        await _refused_and_kept(app, pilot, WorkplaceFormScreen, lambda: leader.value)
        await pilot.press("escape", "escape")
        app.push_screen(WizardScreen(rows.episode_id))
        await showing(pilot, WizardScreen)
        await settle(app, pilot)
        wizard = app.screen
        _reclassify(bo, rows, None)
        await walk_wizard_kick_with_injury(pilot)
        answered = wizard.result  # type: ignore[attr-defined]
        assert answered is not None
        app.clear_notifications()
        await pilot.press("enter")
        await settle(app, pilot)
        assert app.screen is wizard and wizard.result == answered, "the wizard stays with its answers"  # type: ignore[attr-defined]
        assert t("data_errors.edit_conflict") in [notice.message for notice in app._notifications]
    assert get_workplace(lene, rows.workplace_id).leader_name == "Bos leder"  # type: ignore[union-attr]
    assert case_detail(lene, case_id).episodes[0].intentional is True  # type: ignore[union-attr]


@pytest.mark.both_databases
def test_a_save_stamped_in_the_same_clock_tick_as_the_colleagues_is_still_refused(db_location: Location) -> None:
    """The version is a counter, not updated_at: two saves in one clock tick (or from a laptop whose clock is
    behind) carried the same time, and the second overwrote the first without a word."""
    lene, bo = Store.open(db_location, "Lene", lambda: NOW), Store.open(db_location, "Bo", lambda: NOW)
    workplace = save_workplace(lene, {"name": "Plejecentret"})
    case_id, _episode = register_episode(lene, EpisodeInput(workplace.id or 0, NOW, "Ida", "citizen"))
    task_id = add_task(lene, case_id, "Tal med lederen", NOW + timedelta(days=3))
    lene_saw = _seen(lene, case_id)[1]
    set_owner(bo, task_id, "Bo selv", seen=_seen(bo, case_id)[1])
    with pytest.raises(EditConflictError):
        set_owner(lene, task_id, "Lene selv", seen=lene_saw)
    assert [task.owner for task in case_detail(lene, case_id).tasks] == ["Bo selv"]  # type: ignore[union-attr]
    lene.close()
    bo.close()


@pytest.mark.postgres_only
def test_a_write_that_read_the_row_before_a_colleagues_commit_fails_instead_of_overwriting(
    consultants: tuple[Store, Store, int, int],
) -> None:
    """Every UPDATE names the version it read, so even a write that took no lock (as the meeting's and the
    outcome's settling of tasks do) cannot overwrite a save committed after its read."""
    lene, bo, case_id, task_id = consultants
    with pytest.raises(StaleDataError) as refused, lene.write() as session:
        task = session.get(Task, task_id)
        assert task is not None
        set_owner(bo, task_id, "Bo selv")  # commits while Lene's transaction has the old row in hand
        task.owner = "Lene selv"
    assert failure_text_key(refused.value) == "data_errors.edit_conflict"
    assert [task.owner for task in case_detail(lene, case_id).tasks] == ["Bo selv"]  # type: ignore[union-attr]


@pytest.mark.both_databases
def test_a_dispensation_notat_written_without_seeing_a_colleagues_is_refused(
    consultants: tuple[Store, Store, int, int],
) -> None:
    """Every notat version is kept, so nothing is overwritten, but a second first version (or two corrections
    of one version) would stand beside the other as the current notat; the second must start from it."""
    lene, bo, case_id, _task_id = consultants
    record_dispensation(bo, case_id, None, "Bos notat")
    with pytest.raises(EditConflictError):
        record_dispensation(lene, case_id, None, "Lenes notat")  # her form opened before Bo saved
    bos = notes_for(lene, case_id)[-1]
    record_dispensation(bo, case_id, None, "Bos rettelse", replaces_id=bos.id)
    with pytest.raises(EditConflictError):
        record_dispensation(lene, case_id, None, "Lenes rettelse", replaces_id=bos.id)
    assert [note.text for note in notes_for(lene, case_id) if note.kind == "dispensation"] == [
        "Bos notat",
        "Bos rettelse",
    ]
