"""The statistics' SQL: every count is a GROUP BY in the database (never a loop over cases in Python),
in SQL that runs on SQLite and PostgreSQL. Results are frozen dataclasses.

Episodes are counted by the plain counting columns each episode carries (see domain.statistics.stat_fields);
the covering index ix_episode_stats lets SQLite answer them without reading the wide episode rows.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from itertools import product
from typing import Any

from sqlalchemy import bindparam, text

from trivsel_tui.domain.clock import local_day_bound
from trivsel_tui.domain.statistics import Group, Timeliness, period_key
from trivsel_tui.store.models import AuditEntry
from trivsel_tui.store.store import Store
from trivsel_tui.store.types import UTCDateTime
from trivsel_tui.texts import t

# Task kinds whose deadline performance the MED committee follows.
TIMED_KINDS = ("insurance_report", "police_report", "offer_support", "amg_follow_up", "resolve_locally")


@dataclass(frozen=True)
class StatFilters:
    start: date | None = None  # first local day included
    end: date | None = None  # last local day included
    workplace_ids: tuple[int, ...] = ()
    categories: tuple[str, ...] = ()
    perpetrators: tuple[str, ...] = ()


@dataclass(frozen=True)
class Aggregate:
    groups: tuple[Group, ...]
    total: int  # each episode once
    absence_days: int


@dataclass(frozen=True)
class OpenTasks:
    action_code: str
    perpetrator: str
    open: int
    overdue: int
    owner_role: str = ""  # as stored on the task ('' for a task from before roles were stored)


@dataclass(frozen=True)
class TaskPerformance:
    kinds: tuple[Timeliness, ...]
    police_by_notat: int  # police tasks settled by a dispensation notat instead of a report


@dataclass(frozen=True)
class WorkplacePrevention:
    name: str
    unit: str
    risk_violence: bool
    risk_sexual: bool
    violence_plan: bool  # an adopted prevention handleplan (violence) exists
    sexual_plan: bool
    last_survey: date | None
    adaptation_decided_on: date | None


_PERIOD_SQL = {
    "month": "e.occurred_month",
    "quarter": "(e.occurred_month / 100) * 10 + (e.occurred_month % 100 + 2) / 3",
    "year": "e.occurred_month / 100",
}
_DIMENSION_SQL = {
    "perpetrator": "e.perpetrator",
    "injury": "e.injury",
    "insurance": "COALESCE(e.insurance_report, 'none')",
    "workplace": "w.name",
    "unit": "w.unit",
    **_PERIOD_SQL,
}
_TAG_COLUMNS = {"category": "categories", "type": "types"}  # multi-valued: counted by pivot columns
UNCLASSIFIED = "unclassified"


def _from(dimensions: tuple[str, ...]) -> str:
    """Episodes, and their case and workplace only when needed. CROSS JOIN (without ON, so PostgreSQL
    reads it too) makes SQLite walk the episodes first, through the covering index, and look the rest up
    by primary key."""
    tables = ["episode e"]
    if {"workplace", "unit"} & set(dimensions):
        tables += ['"case" c', "workplace w"]
    return "FROM " + " CROSS JOIN ".join(tables)


@dataclass(frozen=True)
class _Filtered:
    """The columns a selection filters on: the episode's own, or their copies on its tasks (task_episode)."""

    at: str
    case_id: str
    perpetrator: str
    categories: str


EPISODE = _Filtered("e.occurred_at", "e.case_id", "e.perpetrator", "e.categories")
TASK = _Filtered("t.episode_at", "t.case_id", "t.episode_perpetrator", "t.episode_categories")


def _where(
    filters: StatFilters, params: dict[str, Any], dimensions: tuple[str, ...] = (), on: _Filtered = EPISODE
) -> str:
    clauses = ["1 = 1"]
    if {"workplace", "unit"} & set(dimensions):
        clauses += ["c.id = e.case_id", "w.id = c.workplace_id"]
    if filters.start:
        clauses.append(f"{on.at} >= :start")
        params["start"] = local_day_bound(filters.start, end=False)
    if filters.end:
        clauses.append(f"{on.at} < :end")
        params["end"] = local_day_bound(filters.end, end=False).add(days=1)
    if filters.workplace_ids:
        # The workplaces' cases as a set the index is checked against: no case row read per episode or task.
        cases = f'SELECT wc.id FROM "case" wc WHERE wc.workplace_id IN ({_names("wp", filters.workplace_ids, params)})'
        clauses.append(f"{on.case_id} IN ({cases})")
    if filters.perpetrators:
        clauses.append(f"{on.perpetrator} IN ({_names('pp', filters.perpetrators, params)})")
    if filters.categories:
        alternatives = []
        for i, category in enumerate(filters.categories):
            params[f"fc{i}"] = f"%,{category},%"
            alternatives.append(f"{on.categories} LIKE :fc{i}")
        clauses.append(f"({' OR '.join(alternatives)})")
    return " WHERE " + " AND ".join(clauses)


def _names(prefix: str, values: tuple[Any, ...], params: dict[str, Any]) -> str:
    """Bind `values` as :prefix0, :prefix1, … and return that list for an IN (…)."""
    names = [f"{prefix}{i}" for i in range(len(values))]
    params.update(zip(names, values, strict=True))
    return ", ".join(":" + n for n in names)


def _execute(session: Any, sql: str, params: dict[str, Any]) -> Any:
    statement = text(sql)
    for name in ("start", "end", "now"):
        if name in params:
            statement = statement.bindparams(bindparam(name, type_=UTCDateTime))
    return session.connection().execute(statement, params)


def _key(dimension: str, value: Any) -> str:
    if value is None:
        return ""
    if dimension == "month":
        return period_key(int(value), "month")
    if dimension == "quarter":
        return f"{int(value) // 10}-K{int(value) % 10}"
    return str(value)


def _tag_condition(dimension: str, code: str, params: dict[str, Any]) -> str:
    column = _TAG_COLUMNS[dimension]
    if code == UNCLASSIFIED:
        return f"e.{column} = ''"
    name = f"tag{len(params)}"
    params[name] = f"%,{code},%"
    return f"e.{column} LIKE :{name}"


def count_episodes(
    store: Store,
    dimensions: tuple[str, ...],
    filters: StatFilters,
    categories: tuple[str, ...] = (),
    types: tuple[str, ...] = (),
) -> Aggregate:
    """Episodes (and their absence days) grouped by `dimensions`, plus the selection's total, in one scan.

    Category and type are multi-valued, so they are not GROUP BY columns: each code (and 'unclassified')
    gets a pair of conditional sums, and the rows are unfolded into groups afterwards.
    `categories`/`types`: the codes to count by (from the rules).
    """
    params: dict[str, Any] = {}
    where = _where(filters, params, dimensions)
    plain = [d for d in dimensions if d not in _TAG_COLUMNS]
    codes = {"category": (*categories, UNCLASSIFIED), "type": (*types, UNCLASSIFIED)}
    combos = list(product(*[[(d, c) for c in codes[d]] for d in dimensions if d in _TAG_COLUMNS]))
    pivots = []
    for i, combo in enumerate(combos):
        condition = " AND ".join(_tag_condition(d, c, params) for d, c in combo) or "1 = 1"
        pivots.append(f"sum(CASE WHEN {condition} THEN 1 ELSE 0 END) AS n{i}")
        pivots.append(f"sum(CASE WHEN {condition} THEN COALESCE(e.absence_days, 0) ELSE 0 END) AS a{i}")
    selected = [f"{_DIMENSION_SQL[d]} AS d{i}" for i, d in enumerate(plain)]
    measures = ["count(*) AS episodes", "COALESCE(sum(e.absence_days), 0) AS absence_days"]
    sql = f"SELECT {', '.join(selected + measures + pivots)} {_from(dimensions)}{where}"
    if plain:
        grouped = ", ".join(_DIMENSION_SQL[d] for d in plain)
        sql += f" GROUP BY {grouped} ORDER BY {grouped}"  # SQLite sorts groups anyway; PostgreSQL need not
    with store.read() as session:
        rows = _execute(session, sql, params).all()
    total = sum(int(r.episodes) for r in rows)
    absence = sum(int(r.absence_days) for r in rows)
    groups: list[Group] = []
    if dimensions:
        for r in rows:
            plain_keys = {d: _key(d, r[i]) for i, d in enumerate(plain)}
            for i, combo in enumerate(combos):
                count = int(getattr(r, f"n{i}") or 0)
                if count:
                    keys = {**plain_keys, **dict(combo)}
                    groups.append(Group(tuple(keys[d] for d in dimensions), count, int(getattr(r, f"a{i}") or 0)))
    return Aggregate(tuple(groups), total, absence)


def task_performance(store: Store, filters: StatFilters, now: datetime, dispensation_note: str) -> TaskPerformance:
    """Per task kind: done by the deadline, done late, open past it, not yet due. For the episodes selected.

    An Insubiz report counts as made on its recorded report date (episode_outcome), when there is
    one; otherwise, and for the other kinds, when its task was marked done. Tasks retired by a new
    classification are left out (they were never needed).
    """
    params: dict[str, Any] = {"now": now, "dispensation": dispensation_note}
    where = _where(filters, params, on=TASK)
    kinds = [f"k{i}" for i in range(len(TIMED_KINDS))]
    params.update(zip(kinds, TIMED_KINDS, strict=True))
    # A date compares with a timestamp as its midnight (PostgreSQL) or as its ISO prefix (SQLite): on
    # time up to and including the deadline's day. The outcome is joined once, to Insubiz tasks only, and
    # `done` computed once in a derived table (as correlated subqueries it was looked up twelve times a task).
    # The tasks are filtered by their copy of the episode's fields, read kind by kind from ix_task_deadlines.
    # The four parts split every task (a comparison with NULL is never true), so the last one is what is
    # left of the count: one condition fewer per task (about 20 ms of 130 at 100k cases).
    done = "COALESCE(o.insubiz_reported_on, t.done_at)"
    sql = f"""SELECT kind, count(*) AS tasks,
        sum(CASE WHEN done <= due_at OR (due_at IS NULL AND done IS NOT NULL) THEN 1 ELSE 0 END) AS on_time,
        sum(CASE WHEN done > due_at THEN 1 ELSE 0 END) AS late,
        sum(CASE WHEN done IS NULL AND due_at < :now THEN 1 ELSE 0 END) AS overdue,
        sum(CASE WHEN note = :dispensation THEN 1 ELSE 0 END) AS by_notat
        FROM (SELECT t.action_code AS kind, t.due_at AS due_at, t.note AS note, {done} AS done
            FROM task t LEFT JOIN episode_outcome o
                ON o.episode_id = t.episode_id AND t.action_code = 'insurance_report'
            {where} AND t.episode_id IS NOT NULL AND t.note != :retired
            AND t.action_code IN ({", ".join(":" + k for k in kinds)})) AS timed
        GROUP BY kind"""
    params["retired"] = t("store_notes.retired")
    with store.read() as session:
        found = {r.kind: r for r in _execute(session, sql, params)}
    rows = tuple(_timeliness(kind, found.get(kind)) for kind in TIMED_KINDS)
    police = found.get("police_report")
    return TaskPerformance(rows, int(police.by_notat) if police else 0)


def _timeliness(kind: str, row: Any) -> Timeliness:
    if row is None:
        return Timeliness(kind, 0, 0, 0, 0)
    on_time, late, overdue = (int(n) for n in (row.on_time, row.late, row.overdue))
    return Timeliness(kind, on_time, late, overdue, int(row.tasks) - on_time - late - overdue)


def open_tasks_by_action(store: Store, filters: StatFilters, now: datetime) -> tuple[OpenTasks, ...]:
    """Open tasks in open cases per action and perpetrator role (who owns them follows from those two)."""
    params: dict[str, Any] = {"now": now}
    where = _where(filters, params, on=TASK)
    # The open tasks of ix_task_open_owners, already in the groups' order; the case only for its status.
    grouped = "t.action_code, t.episode_perpetrator, t.owner_role"
    sql = f"""SELECT t.action_code AS code, t.episode_perpetrator AS perpetrator, t.owner_role AS role,
        count(*) AS open_tasks, sum(CASE WHEN t.due_at < :now THEN 1 ELSE 0 END) AS overdue
        FROM task t CROSS JOIN "case" c
        {where} AND t.episode_id IS NOT NULL AND c.id = t.case_id AND t.done_at IS NULL AND c.status = 'open'
        GROUP BY {grouped} ORDER BY {grouped}"""
    with store.read() as session:
        return tuple(
            OpenTasks(r.code, r.perpetrator, int(r.open_tasks), int(r.overdue or 0), r.role or "")
            for r in _execute(session, sql, params)
        )


def prevention_status(store: Store, workplace_ids: tuple[int, ...] = ()) -> tuple[WorkplacePrevention, ...]:
    """Each workplace's risk flags, adopted handleplaner, last trivselsmåling and local-adaptation decision."""
    params: dict[str, Any] = {}
    where = ""
    if workplace_ids:
        where = f" WHERE w.id IN ({_names('wp', workplace_ids, params)})"
    plan = """EXISTS (SELECT 1 FROM action_plan p WHERE p.workplace_id = w.id AND p.kind = '{kind}'
        AND p.status = 'adopted')"""
    sql = f"""SELECT w.name, w.unit, w.risk_violence_citizens, w.risk_sexual_citizens,
        {plan.format(kind="prevention_violence")} AS violence_plan,
        {plan.format(kind="prevention_sexual")} AS sexual_plan,
        w.last_wellbeing_survey, w.local_adaptation_decided_on
        FROM workplace w{where} ORDER BY w.name_sort, w.id"""
    with store.read() as session:
        return tuple(
            WorkplacePrevention(
                r.name,
                r.unit,
                bool(r.risk_violence_citizens),
                bool(r.risk_sexual_citizens),
                bool(r.violence_plan),
                bool(r.sexual_plan),
                _as_date(r.last_wellbeing_survey),
                _as_date(r.local_adaptation_decided_on),
            )
            for r in session.connection().execute(text(sql), params)
        )


def _as_date(value: Any) -> date | None:
    if value is None or isinstance(value, date):
        return value
    return date.fromisoformat(str(value)[:10])


def workplace_choices(store: Store) -> tuple[tuple[int, str], ...]:
    """(id, name) of every workplace, for the filters."""
    with store.read() as session:
        return tuple(
            (r.id, r.name)
            for r in session.connection().execute(text("SELECT id, name FROM workplace ORDER BY name_sort, id"))
        )


def record_export(store: Store, what: str, path: str, shareable: bool, selection: str) -> None:
    """An export is written to the audit log: what, where, for sharing or own use, and the selection."""
    entry = {
        "what": [None, what],
        "path": [None, path],
        "shareable": [None, shareable],
        "selection": [None, selection],
    }
    with store.write() as session:
        session.add(
            AuditEntry(
                at=store.clock(), actor=store.actor, entity="export", entity_id=0, action="export", changes=entry
            )
        )


def workplace_units(store: Store) -> dict[str, str]:
    """Each workplace's unit by name, as the statistics group them ('' for none): a unit adds up its workplaces."""
    with store.read() as session:
        rows = session.connection().execute(text("SELECT name, unit FROM workplace"))
        return {str(r.name): str(r.unit or "") for r in rows}
