"""Two consultants saving the same case or task: the second save is refused, nothing is overwritten,
and what the second one typed stays in the dialog."""

from __future__ import annotations

import itertools
from collections.abc import Callable, Iterator
from datetime import datetime, timedelta

import pytest
from textual.widgets import TextArea

from tests.conftest import NOW, settle
from trivsel_tui.app import TrivselApp
from trivsel_tui.dialogs.task_done import TaskDoneScreen
from trivsel_tui.domain.rules import Rules
from trivsel_tui.settings import Settings
from trivsel_tui.store.cases import EpisodeInput, add_task, complete_task, notes_for, register_episode, set_case_status
from trivsel_tui.store.errors import EditConflictError
from trivsel_tui.store.queries import case_detail, save_workplace
from trivsel_tui.store.store import Location, Store


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
    set_case_status(bo, case_id, "closed", "Løst", _seen(bo, case_id)[0])
    set_case_status(bo, case_id, "open", "Ny henvendelse")
    with pytest.raises(EditConflictError):
        set_case_status(lene, case_id, "closed", "Afsluttet af Lene", case_seen)
    assert [note.text.split(":")[0] for note in notes_for(lene, case_id)] == [
        note.text.split(":")[0] for note in notes_for(bo, case_id)
    ]
    assert len(notes_for(lene, case_id)) == 2, "Lene's close wrote nothing"
    set_case_status(lene, case_id, "closed", "Afsluttet af Lene", _seen(lene, case_id)[0])  # after a fresh look


async def test_the_refused_note_stays_in_the_dialog(
    consultants: tuple[Store, Store, int, int], settings: Settings, rules: Rules
) -> None:
    lene, bo, case_id, task_id = consultants
    app = TrivselApp(store=lene, settings=settings, rules=rules, clock=lambda: NOW)
    async with app.run_test(size=(120, 40)) as pilot:
        app.open_case(case_id)
        await settle(app, pilot)
        await pilot.press("d")
        await pilot.pause()
        app.screen.query_one(TextArea).text = "Lederen lovede en alarm"
        complete_task(bo, task_id, "Bo nåede det først")
        await pilot.press("ctrl+s")
        await settle(app, pilot)
        assert isinstance(app.screen, TaskDoneScreen), "the dialog stays open"
        assert app.screen.query_one(TextArea).text == "Lederen lovede en alarm"
        notices = [notification.message for notification in app._notifications]
        assert any("En anden har gemt en ændring" in notice for notice in notices), notices
    detail = case_detail(lene, case_id)
    assert detail is not None and detail.tasks[0].note == "Bo nåede det først"
