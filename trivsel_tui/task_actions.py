"""What the dashboard and the case view both do with a task: postpone it (or, for a legal deadline, say why
not and offer a personal reminder), give it another owner, give it up with a reason.

Screens never import each other, so the shared flows live here; each reads and writes through the seam
of the screen that asks, and hands the dialog's answer to `done` (None when nothing changed).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any, cast

from trivsel_tui.domain.clock import local
from trivsel_tui.texts import t

if TYPE_CHECKING:
    from textual.screen import Screen

    from trivsel_tui.dialogs.legal_deadline import Reminder
    from trivsel_tui.dialogs.postpone_form import Postponement
    from trivsel_tui.seam import StoreAccess
    from trivsel_tui.store.store import Store
    from trivsel_tui.store.task_terms import TaskDeadline

    TaskScreen = StoreAccess  # a Screen that mixes in StoreAccess


def _screen(screen: TaskScreen) -> Screen[Any]:
    return cast("Screen[Any]", screen)


Done = Callable[[object | None], object]


def postpone(screen: TaskScreen, task_id: int, done: Done) -> None:
    """The postpone key on a task: a local-default deadline moves with a reason; a legal one stays."""
    from trivsel_tui.store.task_terms import task_deadline

    screen.read("postpone", lambda task: _offer(screen, task, done), task_deadline, task_id)


def _offer(screen: TaskScreen, task: TaskDeadline | None, done: Done) -> None:
    from trivsel_tui.dialogs.postpone_form import PostponeFormScreen
    from trivsel_tui.store.dashboard import postpone_task

    if task is None:
        return
    if task.legal:
        _refuse(screen, task, done)
        return
    task_id, seen = task.id, task.version  # the version the dialog opened on; a later save by another wins

    def save(store: Store, postponement: Postponement) -> None:
        postpone_task(store, task_id, postponement.due, postponement.reason, seen=seen)

    def postponed(answer: Postponement | None) -> None:
        if answer is not None:
            _screen(screen).notify(t("dashboard.postponed"))
        done(answer)

    form = PostponeFormScreen(screen.trivsel.clock(), save=save, subject=task.title)
    _screen(screen).app.push_screen(form, postponed)


def _refuse(screen: TaskScreen, task: TaskDeadline, done: Done) -> None:
    from trivsel_tui.dialogs.legal_deadline import LegalDeadlineScreen
    from trivsel_tui.domain.legal_deadlines import deadline_rule, refusal
    from trivsel_tui.store.task_terms import set_reminder

    rules, now = screen.trivsel.rules, screen.trivsel.clock()
    on = local(task.occurred_at or now).date()
    rule = deadline_rule(task.action_code, task.insurance_report, on, rules)
    task_id, seen = task.id, task.version

    def save(store: Store, reminder: Reminder) -> None:
        set_reminder(store, task_id, reminder.at, seen=seen)

    def reminded(reminder: Reminder | None) -> None:
        if reminder is not None:
            _screen(screen).notify(
                t("legal_deadline.reminder_set" if reminder.at else "legal_deadline.reminder_cleared")
            )
        done(reminder)

    explanation = refusal(task.action_code, task.due_at, rule, rules)
    dialog = LegalDeadlineScreen(task.title, explanation, now, task.due_at, task.remind_at, save)
    _screen(screen).app.push_screen(dialog, reminded)
