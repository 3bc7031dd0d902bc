"""A task's terms beyond its title and date: who owns it (role and person), whether its deadline is legal,
a personal reminder, and giving it up. Every change goes through the audited session.

The legal flag and the owner are set when the classification creates or updates a task
(store.cases.save_classification calls `apply_terms`), so the dashboard reads them as plain columns.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from functools import cache
from typing import Any

from sqlmodel import Session, col, select

from trivsel_tui.domain.classify import Action
from trivsel_tui.domain.clock import local
from trivsel_tui.domain.legal_deadlines import LegalDeadlineError, deadline_is_legal
from trivsel_tui.domain.owners import default_owner, people_of
from trivsel_tui.domain.rules import Rules, load_rules
from trivsel_tui.store.errors import row_to_edit
from trivsel_tui.store.models import Case, Episode, Task, Workplace
from trivsel_tui.store.store import Store
from trivsel_tui.texts import t


@cache
def _shipped_rules() -> Rules:
    # Whether a deadline is legal is the law's, not a local adaptation's: an adaptation can shorten a
    # legal deadline but never make it movable, so the shipped rules answer for every adaptation.
    return load_rules()


def apply_terms(session: Session, task: Task, action: Action, episode: Episode) -> None:
    """Owner role, default owner and legal flag for a task the classification asks for."""
    classification = episode.classification or {}
    occurred = local(episode.occurred_at).date()
    task.legal_deadline = deadline_is_legal(
        action.code, classification.get("insurance_report"), occurred, _shipped_rules()
    )
    if task.owner_role != action.owner_role:
        task.owner_role = action.owner_role
        if not task.owner_chosen:
            task.owner = _default_for(session, task)


def _default_for(session: Session, task: Task) -> str:
    case = session.get(Case, task.case_id) if task.case_id is not None else None
    workplace = session.get(Workplace, case.workplace_id) if case is not None else None
    if case is None or workplace is None:
        return ""
    return default_owner(task.owner_role, people_of(case, workplace))


def set_owner(store: Store, task_id: int, owner: str, *, seen: int | None = None) -> None:
    """Another person for this one task (audited); empty goes back to the workplace's default.
    Refused (EditConflictError) if someone saved the task after the version `seen`, as every edit below."""
    with store.write() as session:
        task = row_to_edit(session, Task, task_id, seen)
        task.owner_chosen = bool(owner.strip())
        task.owner = owner.strip() or _default_for(session, task)
        session.add(task)


def set_reminder(store: Store, task_id: int, remind_at: datetime | None, *, seen: int | None = None) -> None:
    """A personal reminder date beside the deadline; the deadline itself does not move."""
    with store.write() as session:
        task = row_to_edit(session, Task, task_id, seen)
        task.remind_at = remind_at
        session.add(task)


def refuse_if_legal(task: Task) -> None:
    """The store's own guard: a legal deadline is never moved, whatever screen asks."""
    if task.legal_deadline:
        raise LegalDeadlineError(task.id)


def abandon_task(store: Store, task_id: int, reason: str, *, seen: int | None = None) -> None:
    """Give a task up without doing it: closed with the reason, and never counted as done on time."""
    if not reason.strip():
        raise ValueError("abandoning a task needs a reason")
    with store.write() as session:
        task = row_to_edit(session, Task, task_id, seen)
        task.done_at, task.done_by = store.clock(), store.actor
        task.abandon_reason = reason.strip()
        task.note = f"{task.note}\n{t('store_notes.abandoned', reason=reason.strip())}".strip()
        session.add(task)


@dataclass(frozen=True)
class TaskDeadline:
    """What the postpone key needs to know about a task before it offers anything."""

    id: int
    action_code: str
    title: str
    due_at: datetime | None
    legal: bool
    remind_at: datetime | None
    insurance_report: str | None
    occurred_at: datetime | None
    version: int = 0  # the version the dialog opens on (store.errors.row_to_edit)


def task_deadline(store: Store, task_id: int) -> TaskDeadline | None:
    with store.read() as session:
        task = session.get(Task, task_id)
        if task is None or task.id is None:
            return None
        episode = session.get(Episode, task.episode_id) if task.episode_id is not None else None
        classification: dict[str, Any] = (episode.classification if episode else None) or {}
        return TaskDeadline(
            task.id,
            task.action_code,
            task.title,
            task.due_at,
            task.legal_deadline,
            task.remind_at,
            classification.get("insurance_report"),
            episode.occurred_at if episode else None,
            task.version,
        )


MANUAL_ROLE = "hr"  # a task the consultant adds by hand is theirs until they give it to someone else


def manual_terms(session: Session, task: Task) -> None:
    task.owner_role = MANUAL_ROLE
    task.owner = _default_for(session, task)


def close_case(
    store: Store, case_id: int, reason: str, legal_reasons: dict[int, str], *, seen: int | None = None
) -> None:
    """Close a case that still has open tasks. Each open task with a legal deadline needs its own reason,
    written on the task (audited); those tasks stay on the dashboard, marked, until done or given up."""
    from trivsel_tui.store.cases import change_case_status

    with store.write() as session:
        open_legal = session.exec(
            select(Task).where(Task.case_id == case_id, col(Task.done_at).is_(None), col(Task.legal_deadline))
        ).all()
        for task in open_legal:
            why = legal_reasons.get(task.id or 0, "").strip()
            if not why:
                raise ValueError(f"open legal task {task.id} needs a reason to close the case")
            task.note = f"{task.note}\n{t('store_notes.open_at_close', reason=why)}".strip()
            session.add(task)
        change_case_status(session, store, case_id, "closed", reason, seen)
