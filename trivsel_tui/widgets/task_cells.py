"""Cells for a task's terms, the same on the dashboard and in the case view: the owner (person and role),
a legal deadline's §, and a personal reminder beside the deadline (never instead of it)."""

from __future__ import annotations

from datetime import datetime

from rich.text import Text

from trivsel_tui.domain.clock import danish_day, local
from trivsel_tui.domain.due import OVERDUE, URGENT, countdown, due_state
from trivsel_tui.domain.rules import Rules
from trivsel_tui.store.views import TaskView
from trivsel_tui.texts import t
from trivsel_tui.widgets.cells import due_cell


def owner_text(person: str, role: str | None, rules: Rules) -> str:
    """'Hanne Holm (leder)'; the role alone where nobody is named; '–' for neither."""
    role_text = t(f"owner_short.{role}") if role in rules.owners else ""
    if person and role_text and not person.endswith(")"):  # 'Lene Holm (HR)' says its role already
        return t("owner.column", person=person, role=role_text)
    return person or role_text or "–"


def task_owner_text(task: TaskView, rules: Rules) -> str:
    return owner_text(task.owner, task.owner_role, rules)


COUNTDOWN_KINDS = ("police_report", "classify_episode")  # hour-precise deadlines count down beyond 24 hours


def with_countdown(cell: Text, due: datetime, now: datetime, soon_days: int) -> Text:
    """'(59 t 10 min)' after 'om 3 dage' for an hour-precise deadline (under 24 hours the cell counts already)."""
    if due_state(due, now, soon_days) not in (OVERDUE, URGENT):
        hours, minutes = countdown(due, now)
        cell.append(f" ({hours} t {minutes} min)")
    return cell


def with_reminder(cell: Text, remind_at: datetime | None) -> Text:
    if remind_at is not None:
        cell.append(" · " + t("legal_deadline.reminder_short", day=danish_day(local(remind_at).date())))
    return cell


def task_due_cell(task: TaskView, now: datetime, soon_days: int) -> Text:
    cell = due_cell(task.due_at, now, soon_days)
    if task.action_code in COUNTDOWN_KINDS and task.due_at is not None:
        with_countdown(cell, task.due_at, now, soon_days)
    if task.legal_deadline:
        cell.append(" " + t("legal_deadline.legal_mark"), style="bold")
    return with_reminder(cell, task.remind_at)
