"""The small set of queries and commands the screens use. Screens get plain objects, never a live session."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from sqlalchemy import and_, func, or_
from sqlalchemy import select as sa_select
from sqlalchemy.exc import IntegrityError
from sqlmodel import col, select

from trivsel_tui.domain.clock import local
from trivsel_tui.domain.danish_text import closeness
from trivsel_tui.domain.documents import EpisodeSummary
from trivsel_tui.store.dialect import is_unique_violation
from trivsel_tui.store.errors import DuplicateNameError, row_to_edit
from trivsel_tui.store.models import AuditEntry, Case, Episode, Task, Workplace
from trivsel_tui.store.store import Store
from trivsel_tui.store.text_keys import LIKE_ESCAPE, contains_pattern, typo_patterns
from trivsel_tui.store.views import (
    AuditView,
    CaseView,
    EpisodeView,
    TaskView,
    WorkplaceView,
    episode_view,
    view_of,
)

PAGE = 200


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
    case: CaseView
    workplace: WorkplaceView
    episodes: tuple[EpisodeView, ...]
    tasks: tuple[TaskView, ...]
    audit: tuple[AuditView, ...]

    def summary(self) -> EpisodeSummary | None:
        """The latest episode with its case, as the documents (Insubiz summary, notat) need it."""
        if not self.episodes:
            return None
        case, workplace, episode = self.case, self.workplace, self.episodes[-1]
        report = next(
            (task for task in self.tasks if task.episode_id == episode.id and task.action_code == "insurance_report"),
            None,
        )
        return EpisodeSummary(
            ref=case.ref,
            workplace=workplace.name,
            unit=workplace.unit,
            person=case.affected_person,
            job=case.affected_job,
            occurred_at=episode.occurred_at,
            place=episode.place,
            description=episode.description,
            behaviours=episode.behaviours,
            perpetrator=episode.perpetrator,
            injury=episode.injury,
            insurance_report=episode.classification.insurance_report if episode.classification else None,
            first_absence_day=episode.first_absence_day,
            absence_days=episode.absence_days,
            witnesses=episode.witnesses,
            reported_by=episode.reported_by,
            rules_version=episode.classification.rules_version if episode.classification else "",
            report_due=report.due_at if report else None,
            report_due_legal=report.legal_deadline if report else False,
        )


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


CASE_SORTS = ("ref", "workplace", "person", "status", "next_due")


def search_cases(
    store: Store, text: str, limit: int = PAGE, sort: str = "ref", descending: bool = True
) -> list[CaseRow]:
    """Cases whose reference, person or workplace contains `text` (any case, æ ø å too), sorted in SQL
    in Danish order (newest first by default)."""
    query = _case_query()
    if text.strip():
        pattern = contains_pattern(text)
        query = query.where(
            or_(
                col(Case.ref).like(pattern, escape=LIKE_ESCAPE),
                col(Case.affected_person_search).like(pattern, escape=LIKE_ESCAPE),
                col(Workplace.name_search).like(pattern, escape=LIKE_ESCAPE),
            )
        )
    return _case_rows(store, _ordered(query, sort, descending).limit(limit))


def _ordered(query: Any, sort: str, descending: bool) -> Any:
    columns = query.selected_columns
    key = {
        "ref": col(Case.id),
        "workplace": col(Workplace.name_sort),
        "person": col(Case.affected_person_sort),
        "status": columns.status,
        "next_due": columns.next_due,
    }[sort]
    ordered = key.desc() if descending else key.asc()
    # Cases without an open deadline sort last either way; the id breaks ties stably.
    return query.order_by(key.is_(None), ordered, col(Case.id).desc())


TYPO_CLOSENESS = 0.8  # "jensn" → "Jensen" is 0.91, "jansen" → "Jensen" 0.83; unrelated names stay below
TYPO_CANDIDATES = 2_000


def find_cases(store: Store, text: str, limit: int) -> list[CaseRow]:
    """Cases for a jump (the palette): every case containing `text` first, then, while there is room,
    cases whose person or workplace is `text` with one typo (a letter missing, extra or wrong)."""
    found = search_cases(store, text, limit)
    if len(found) >= limit or not (patterns := typo_patterns(text)):
        return found
    people = _close_names(store, text, col(Case.affected_person), col(Case.affected_person_search), patterns)
    places = _close_names(store, text, col(Workplace.name), col(Workplace.name_search), patterns)
    if not people and not places:
        return found
    query = _case_query().where(
        col(Case.id).not_in([row.id for row in found]),
        or_(col(Case.affected_person).in_(people), col(Workplace.name).in_(places)),
    )
    return found + _case_rows(store, _ordered(query, "ref", True).limit(limit - len(found)))


def _close_names(store: Store, text: str, name: Any, search: Any, patterns: list[str]) -> list[str]:
    """Distinct names that loosely contain `text` in SQL, kept only if they are really close to it."""
    query = (
        sa_select(name)
        .distinct()
        .where(or_(*(search.like(p, escape=LIKE_ESCAPE) for p in patterns)))
        .limit(TYPO_CANDIDATES)
    )
    with store.read() as session:
        names: Sequence[str] = session.connection().execute(query).scalars().all()
    return [n for n in names if closeness(text, n) >= TYPO_CLOSENESS]


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
        return CaseDetail(
            view_of(CaseView, case),
            view_of(WorkplaceView, workplace),
            tuple(episode_view(e) for e in episodes),
            tuple(view_of(TaskView, t) for t in tasks),
            tuple(view_of(AuditView, a) for a in audit),
        )


def list_workplaces(store: Store) -> list[WorkplaceView]:
    with store.read() as session:
        workplaces = session.exec(select(Workplace).order_by(col(Workplace.name_sort), col(Workplace.id)))
        return [view_of(WorkplaceView, w) for w in workplaces]


def get_workplace(store: Store, workplace_id: int) -> WorkplaceView | None:
    with store.read() as session:
        workplace = session.get(Workplace, workplace_id)
        return view_of(WorkplaceView, workplace) if workplace else None


WORKPLACE_FIELDS = (
    "name",
    "unit",
    "med_level",
    "risk_violence_citizens",
    "risk_sexual_citizens",
    "leader_name",
    "amr_name",
    "tr_name",
    "amg_members",
    "hr_consultant",
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
    store: Store,
    values: dict[str, str | bool | date | None],
    workplace_id: int | None = None,
    *,
    seen: int | None = None,
) -> WorkplaceView:
    """Create or update a workplace; only the known fields are taken from `values`. A change is refused if
    someone saved the workplace after the version `seen`."""
    unknown = set(values) - set(WORKPLACE_FIELDS)
    if unknown:
        raise ValueError(f"unknown workplace fields: {sorted(unknown)}")
    try:
        with store.write() as session:
            workplace = (
                Workplace(name="") if workplace_id is None else row_to_edit(session, Workplace, workplace_id, seen)
            )
            for key, value in values.items():
                setattr(workplace, key, value)
            _stamp_risk_flag(workplace, local(store.clock()).date())
            session.add(workplace)
            session.flush()
            return view_of(WorkplaceView, workplace)
    except IntegrityError as exc:
        if is_unique_violation(exc, "workplace", "name"):
            raise DuplicateNameError(str(values.get("name"))) from exc
        raise
