"""The small set of queries and commands the screens use. Screens get plain objects, never a live session."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from sqlalchemy import and_, func, or_
from sqlalchemy import select as sa_select
from sqlalchemy.exc import IntegrityError
from sqlmodel import col, select

from trivsel_tui.domain.clock import local
from trivsel_tui.store.models import AuditEntry, Case, Episode, Task, Workplace
from trivsel_tui.store.store import Store

PAGE = 200


class DuplicateNameError(ValueError):
    """A workplace with that name exists already."""


@dataclass(frozen=True)
class CaseRow:
    id: int
    ref: str
    workplace: str
    person: str
    status: str
    next_due: datetime | None
    open_tasks: int


@dataclass(frozen=True)
class CaseDetail:
    case: Case
    workplace: Workplace
    episodes: list[Episode]
    tasks: list[Task]
    audit: list[AuditEntry]


def _open_task_stats() -> Any:
    return (
        select(
            col(Task.case_id).label("case_id"),
            func.min(Task.due_at).label("next_due"),
            func.count().label("open_tasks"),
        )
        .where(col(Task.done_at).is_(None), col(Task.case_id).is_not(None))
        .group_by(col(Task.case_id))
        .subquery()
    )


def _case_rows(store: Store, query: Any) -> list[CaseRow]:
    with store.read() as session:
        return [
            CaseRow(r.id, r.ref, r.name, r.affected_person, r.status, r.next_due, r.open_tasks or 0)
            for r in session.exec(query).all()
        ]


def _case_query() -> Any:
    stats = _open_task_stats()
    return (
        sa_select(
            col(Case.id),
            col(Case.ref),
            col(Workplace.name),
            col(Case.affected_person),
            col(Case.status),
            stats.c.next_due,
            stats.c.open_tasks,
        )
        .join(Workplace, col(Workplace.id) == col(Case.workplace_id))
        .outerjoin(stats, stats.c.case_id == col(Case.id))
    )


def has_workplaces(store: Store) -> bool:
    with store.read() as session:
        return session.exec(select(Workplace.id).limit(1)).first() is not None


def last_change(store: Store) -> int:
    """The newest audit entry's id: every change to a case, plan or workplace moves it (any app copy)."""
    with store.read() as session:
        return session.exec(select(func.max(AuditEntry.id))).one() or 0


CASE_SORTS = ("ref", "workplace", "person", "status", "next_due")


def search_cases(
    store: Store, text: str, limit: int = PAGE, sort: str = "ref", descending: bool = True
) -> list[CaseRow]:
    """Cases whose reference, person or workplace contains `text`, sorted in SQL (newest first by default)."""
    query = _case_query()
    if text.strip():
        pattern = f"%{text.strip()}%"
        query = query.where(
            or_(
                col(Case.ref).ilike(pattern),
                col(Case.affected_person).ilike(pattern),
                col(Workplace.name).ilike(pattern),
            )
        )
    columns = query.selected_columns
    key = {
        "ref": col(Case.id),
        "workplace": columns.name,
        "person": columns.affected_person,
        "status": columns.status,
        "next_due": columns.next_due,
    }[sort]
    ordered = key.desc() if descending else key.asc()
    # Cases without an open deadline sort last either way; the id breaks ties stably.
    query = query.order_by(key.is_(None), ordered, col(Case.id).desc())
    return _case_rows(store, query.limit(limit))


def case_detail(store: Store, case_id: int) -> CaseDetail | None:
    with store.read() as session:
        case = session.get(Case, case_id)
        if case is None:
            return None
        workplace = session.get(Workplace, case.workplace_id)
        assert workplace is not None
        episodes = list(
            session.exec(select(Episode).where(Episode.case_id == case_id).order_by(col(Episode.occurred_at)))
        )
        tasks = list(
            session.exec(
                select(Task)
                .where(Task.case_id == case_id)
                .order_by(col(Task.done_at).is_not(None), col(Task.due_at).is_(None), col(Task.due_at))
            )
        )
        episode_ids = [e.id for e in episodes]
        task_ids = [t.id for t in tasks]
        audit = list(
            session.exec(
                select(AuditEntry)
                .where(
                    or_(
                        and_(col(AuditEntry.entity) == "case", col(AuditEntry.entity_id) == case_id),
                        and_(col(AuditEntry.entity) == "episode", col(AuditEntry.entity_id).in_(episode_ids)),
                        and_(col(AuditEntry.entity) == "task", col(AuditEntry.entity_id).in_(task_ids)),
                    )
                )
                .order_by(col(AuditEntry.id).desc())
            )
        )
    return CaseDetail(case, workplace, episodes, tasks, audit)


def list_workplaces(store: Store) -> list[Workplace]:
    with store.read() as session:
        return list(session.exec(select(Workplace).order_by(Workplace.name)))


WORKPLACE_FIELDS = (
    "name",
    "unit",
    "med_level",
    "risk_violence_citizens",
    "risk_sexual_citizens",
    "leader_name",
    "amr_name",
    "tr_name",
    "last_wellbeing_survey",
    "local_adaptation_decided_on",
    "local_adaptation_decision",
)


def _stamp_risk_flag(workplace: Workplace, today: date) -> None:
    """Remember the day a workplace was first flagged at risk: a missing handleplan is overdue from then."""
    at_risk = workplace.risk_violence_citizens or workplace.risk_sexual_citizens
    if at_risk and workplace.risk_flagged_on is None:
        workplace.risk_flagged_on = today
    elif not at_risk:
        workplace.risk_flagged_on = None


def save_workplace(
    store: Store, values: dict[str, str | bool | date | None], workplace_id: int | None = None
) -> Workplace:
    """Create or update a workplace; only the known fields are taken from `values`."""
    unknown = set(values) - set(WORKPLACE_FIELDS)
    if unknown:
        raise ValueError(f"unknown workplace fields: {sorted(unknown)}")
    try:
        with store.write() as session:
            workplace = Workplace(name="") if workplace_id is None else session.get(Workplace, workplace_id)
            if workplace is None:
                raise LookupError(f"workplace {workplace_id} does not exist")
            for key, value in values.items():
                setattr(workplace, key, value)
            _stamp_risk_flag(workplace, local(store.clock()).date())
            session.add(workplace)
            session.flush()
            return workplace
    except IntegrityError as exc:
        if "workplace.name" in str(exc.orig):
            raise DuplicateNameError(str(values.get("name"))) from exc
        raise
