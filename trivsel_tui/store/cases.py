"""Commands on cases: register an episode, store a classification and its tasks, notes, status, drafts.

Each command is one transaction; the audit log is written by the session (store.audit).
"""

from __future__ import annotations

from dataclasses import dataclass, fields
from datetime import date, datetime
from typing import Any

from sqlmodel import Session, col, select

from trivsel_tui.domain.classify import Classification, Override
from trivsel_tui.domain.clock import local
from trivsel_tui.domain.done_dates import done_moment
from trivsel_tui.domain.statistics import code_tag
from trivsel_tui.domain.task_sync import ExistingTask, plan_task_changes
from trivsel_tui.store.drafts import draft_key
from trivsel_tui.store.errors import EditConflictError, row_to_edit
from trivsel_tui.store.models import Case, CaseNote, Draft, Episode, Task
from trivsel_tui.store.refs import RefCounter, last_ref_number
from trivsel_tui.store.store import Store
from trivsel_tui.store.task_terms import apply_terms, manual_terms
from trivsel_tui.store.views import EpisodeView, NoteView, episode_view, view_of
from trivsel_tui.texts import t

FACT_FIELDS = (
    "behaviours",
    "injury",
    "intentional",
    "reflex_or_resistance",
    "regular_over_time",
    "repeated_gross",
    "target_can_defend",
    "injury_from_single_episode",
    "outside_working_hours",
    "grounds",
)


@dataclass(frozen=True)
class EpisodeInput:
    """What the episode form collects (the classification facts come later, from the wizard)."""

    workplace_id: int
    occurred_at: datetime
    affected_person: str
    perpetrator: str
    place: str = ""
    description: str = ""
    affected_job: str = ""
    witnesses: str = ""
    reported_by: str = ""
    channel: str | None = None
    first_absence_day: date | None = None
    absence_days: int | None = None


CASE_FIELDS = ("workplace_id", "affected_person", "affected_job")


def register_episode(store: Store, data: EpisodeInput, case_id: int | None = None) -> tuple[int, int]:
    """A new case with its first episode, or another episode in an existing case. Returns (case, episode)."""
    with store.write() as session:
        if case_id is None:
            created = store.clock()
            refs = RefCounter(lambda year: last_ref_number(session.connection(), year))
            case = Case(
                ref=refs.next(local(created).year),
                consultant=store.actor,
                **{name: getattr(data, name) for name in CASE_FIELDS},
            )
            session.add(case)
            session.flush()
            assert case.id is not None
            case_id = case.id
        episode_values = {f.name: getattr(data, f.name) for f in fields(data) if f.name not in CASE_FIELDS}
        episode = Episode(case_id=case_id, **episode_values)
        session.add(episode)
        session.flush()
        assert episode.id is not None
        return case_id, episode.id


def episode_facts(episode: EpisodeView) -> dict[str, Any]:
    """The engine's input from a stored episode (only the facts that are known)."""
    facts: dict[str, Any] = {"occurred_at": episode.occurred_at.isoformat(), "perpetrator": episode.perpetrator}
    if episode.channel:
        facts["channel"] = episode.channel
    if episode.first_absence_day:
        facts["first_absence_day"] = episode.first_absence_day.isoformat()
    if episode.absence_days is not None:
        facts["absence_days"] = episode.absence_days
    if episode.classification:
        for name in FACT_FIELDS:
            value = getattr(episode, name)
            if value is not None and value != ():
                facts[name] = list(value) if isinstance(value, tuple) else value
    return facts


def get_episode(store: Store, episode_id: int) -> EpisodeView | None:
    with store.read() as session:
        episode = session.get(Episode, episode_id)
        return episode_view(episode) if episode else None


def save_classification(
    store: Store,
    episode_id: int,
    facts: dict[str, Any],
    result: Classification,
    override: Override | None = None,
    *,
    seen: int | None = None,
) -> None:
    """Store the wizard's facts and the engine's result on the episode, and bring its tasks in line.
    Refused if someone saved the episode after the version `seen` (a colleague's classification stays)."""
    if "injury" not in facts or not facts.get("behaviours"):
        raise ValueError("a classification needs behaviours and injury")
    with store.write() as session:
        episode = row_to_edit(session, Episode, episode_id, seen)
        for name in FACT_FIELDS:
            setattr(episode, name, facts.get(name, [] if name in ("behaviours", "grounds") else None))
        episode.classification = result.to_json()
        episode.override_reason = override.reason if override else ""
        session.add(episode)
        existing = session.exec(select(Task).where(Task.episode_id == episode_id)).all()
        changes = plan_task_changes(
            [ExistingTask(t.id or 0, t.action_code, t.title, t.due_at, t.done_at is not None) for t in existing],
            result.actions,
        )
        by_id = {t.id: t for t in existing}
        categories = category_tag(result.categories)
        for action in changes.create:
            task = Task(
                case_id=episode.case_id,
                episode_id=episode_id,
                action_code=action.code,
                title=action.title,
                basis=action.basis,
                due_at=action.due,
                categories=categories,
            )
            apply_terms(session, task, action, episode)
            session.add(task)
        for task_id, action in changes.update:
            task = by_id[task_id]
            task.title, task.basis, task.due_at = action.title, action.basis, action.due
            task.categories = categories
            apply_terms(session, task, action, episode)
            session.add(task)
        for task_id in changes.retire:
            task = by_id[task_id]
            task.done_at, task.done_by, task.note = store.clock(), store.actor, t("store_notes.retired")
            session.add(task)


def category_tag(categories: tuple[str, ...] | list[str]) -> str:
    """ ",a,b," – so that a filter can match one category with LIKE '%,a,%'."""
    return code_tag(categories)


def complete_task(
    store: Store, task_id: int, note: str, done_on: date | None = None, *, seen: int | None = None
) -> None:
    """Mark a task done: now, or on an earlier day it was actually done (never a day in the future).
    Refused if someone marked it done already, or changed it after `seen`."""
    with store.write() as session:
        task = row_to_edit(session, Task, task_id, seen)
        if task.done_at is not None:
            raise EditConflictError(f"task {task_id} is done already")
        task.done_at, task.done_by, task.note = done_moment(done_on, store.clock()), store.actor, note.strip()
        session.add(task)


def add_task(store: Store, case_id: int, title: str, due_at: datetime | None, note: str = "") -> int:
    with store.write() as session:
        task = Task(case_id=case_id, action_code="manual", title=title.strip(), due_at=due_at, note=note)
        manual_terms(session, task)
        session.add(task)
        session.flush()
        assert task.id is not None
        return task.id


def add_note(store: Store, case_id: int, text: str, kind: str = "note") -> None:
    with store.write() as session:
        session.add(CaseNote(case_id=case_id, kind=kind, text=text.strip(), author=store.actor))


def set_case_status(store: Store, case_id: int, status: str, reason: str, *, seen: int | None = None) -> None:
    """Close or reopen a case; the reason is kept as a status note (and the change in the audit log).
    Refused if someone changed the case after `seen` (the version the user had in front of them)."""
    with store.write() as session:
        change_case_status(session, store, case_id, status, reason, seen)


def change_case_status(
    session: Session, store: Store, case_id: int, status: str, reason: str, seen: int | None = None
) -> None:
    """set_case_status inside a transaction that may change more (closing with open tasks)."""
    if status not in ("open", "closed"):
        raise ValueError(status)
    case = row_to_edit(session, Case, case_id, seen)
    case.status = status
    case.close_reason = reason.strip() if status == "closed" else ""
    case.closed_at = store.clock() if status == "closed" else None
    session.add(case)
    note = t("store_notes.closed" if status == "closed" else "store_notes.reopened", reason=reason.strip())
    session.add(CaseNote(case_id=case_id, kind="status", text=note, author=store.actor))


def record_dispensation(
    store: Store, case_id: int, task_id: int | None, text: str, replaces_id: int | None = None
) -> None:
    """A police-dispensation notat: kept as a note (who, when) and it settles the police task. A
    correction is a new version naming the one it replaces; no version is ever changed or deleted.
    Refused unless it follows the newest version (none for a first notat): one written without seeing a
    colleague's notat or correction would otherwise stand beside it as a second "current" version."""
    with store.write() as session:
        row_to_edit(session, Case, case_id, None)  # locked: two notats of one case are written one at a time
        versions = select(CaseNote.id).where(CaseNote.case_id == case_id, CaseNote.kind == "dispensation")
        newest = session.exec(versions.order_by(col(CaseNote.id).desc())).first()
        if newest != replaces_id:
            raise EditConflictError(f"the newest notat is {newest}, this one follows {replaces_id}")
        note = CaseNote(case_id=case_id, kind="dispensation", text=text.strip(), author=store.actor)
        note.replaces_id = replaces_id
        session.add(note)
        if task_id is not None:
            task = session.get(Task, task_id)
            if task is not None and task.done_at is None:
                task.done_at, task.done_by = store.clock(), store.actor
                task.note = t("store_notes.dispensation")
                session.add(task)


def notes_for(store: Store, case_id: int) -> list[NoteView]:
    with store.read() as session:
        notes = session.exec(select(CaseNote).where(CaseNote.case_id == case_id).order_by(col(CaseNote.id)))
        return [view_of(NoteView, note) for note in notes]


# --- drafts -----------------------------------------------------------------------------


def load_draft(store: Store, key: str) -> dict[str, Any] | None:
    key = draft_key(store, key)
    with store.read() as session:
        draft = session.exec(select(Draft).where(Draft.key == key)).first()
        return dict(draft.data) if draft else None


def save_draft(store: Store, key: str, data: dict[str, Any]) -> None:
    key = draft_key(store, key)
    with store.write() as session:
        draft = session.exec(select(Draft).where(Draft.key == key)).first() or Draft(key=key)
        draft.data = dict(data)
        draft.updated_at = store.clock()
        session.add(draft)


def delete_draft(store: Store, key: str) -> None:
    key = draft_key(store, key)
    with store.write() as session:
        draft = session.exec(select(Draft).where(Draft.key == key)).first()
        if draft is not None:
            session.delete(draft)
