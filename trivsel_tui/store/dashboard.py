"""Everything with a deadline that is not done, in one query: case tasks, plan items, plan reviews,
and workplace duties (trivselsmåling, missing handleplan, undecided local adaptation).

Filtered, sorted and paged in SQL so the dashboard stays fast with 100,000 cases. The reads are
hand-written SQL through Store.rows: on SQLite the dashboard's first rows wait for neither the ORM nor
SQLAlchemy to be imported. One SQL text serves both databases; store.dialect supplies what differs.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from typing import TYPE_CHECKING, Any, NamedTuple

from trivsel_tui.domain.clock import danish_day, local
from trivsel_tui.domain.danish_text import search_key, sort_key
from trivsel_tui.store.db import SQL_TIME_FORMAT
from trivsel_tui.store.dialect import dialect_name, fixed_join, is_postgres, plus_hours, plus_months, stored_utc
from trivsel_tui.store.search_index import candidates_sql, narrows
from trivsel_tui.store.store import Store
from trivsel_tui.store.text_keys import LIKE_ESCAPE, contains_pattern
from trivsel_tui.texts import t

if TYPE_CHECKING:
    from trivsel_tui.domain.rules import Rules

COLUMNS = (
    "source",
    "source_id",
    "kind",
    "title",
    "due",
    "case_id",
    "ref",
    "workplace_id",
    "workplace",
    "responsible",
    "categories",
    "plan_id",
    "person",
    # Stored search and sort keys (store.text_keys) of the texts above: search and sort never fold per row.
    "title_search",
    "title_sort",
    "workplace_search",
    "workplace_sort",
    "responsible_search",
    "responsible_sort",
    "person_search",
    # Tasks: the owner's role, a legal deadline, the personal reminder, the case's status (a closed case
    # keeps its open legal tasks here). Unclassified episodes: when it happened (the police clock).
    "owner_role",
    "legal",
    "remind_at",
    "case_status",
    "episode_at",
)
# Typed NULLs: PostgreSQL cannot match an untyped NULL in one arm of the union with a number in another.
_NO_ID = "CAST(NULL AS INTEGER)"
_NO_TEXT = "CAST(NULL AS VARCHAR)"
_NO_MOMENT = "CAST(NULL AS TIMESTAMP)"
_NO_TASK_COLUMNS = f"{_NO_TEXT}; CAST(NULL AS BOOLEAN); {_NO_MOMENT}; {_NO_TEXT}; {_NO_MOMENT}"
_TITLES = (
    "review_title",
    "survey_title",
    "violence_plan_title",
    "sexual_plan_title",
    "adaptation_title",
    "classify_title",
)


def _arm(values: str, tail: str) -> str:
    """One arm of the union: `values` lists an expression per column in COLUMNS order."""
    expressions = [v.strip() for v in values.split(";")]
    assert len(expressions) == len(COLUMNS), values
    return "SELECT " + ", ".join(f"{e} AS {c}" for e, c in zip(expressions, COLUMNS, strict=True)) + " " + tail


_PLAN_CATEGORY = """CASE p.kind WHEN 'prevention_violence' THEN ',violence_threats,'
                   WHEN 'prevention_sexual' THEN ',sexual_harassment,' ELSE '' END"""
_MISSING_PLAN = """FROM workplace w WHERE w.{flag} AND NOT EXISTS (SELECT 1 FROM action_plan p
     WHERE p.workplace_id = w.id AND p.kind = '{kind}' AND p.status = 'adopted')"""
_WORKPLACE_TAIL = f"{_NO_ID}; {_NO_TEXT}; w.id; w.name; w.leader_name"
_WORKPLACE_KEYS = (
    f"w.name_search; w.name_sort; w.leader_name_search; w.leader_name_sort; {_NO_TEXT}; {_NO_TASK_COLUMNS}"
)


def _title_keys(param: str) -> str:
    return f":{param}_search; :{param}_sort"


def _parts(bind: Any, narrowed: bool = False) -> list[str]:
    """The union's arms in the database's SQL (store.dialect: join order hint, date arithmetic); `bind` is a
    connection or a dialect name (Store.dialect_name). `narrowed`: the task arm reads only the search
    index's candidates (store.search_index)."""
    key = (dialect_name(bind), narrowed)
    if key not in _PARTS_BY_DIALECT:
        _PARTS_BY_DIALECT[key] = _build_parts(key[0], narrowed)
    return _PARTS_BY_DIALECT[key]


def _task_arm(bind: Any, tasks: str) -> str:
    """Open tasks, read from `tasks`: the task table itself, or the search index's candidates joined to it."""
    return _arm(
        "'task'; t.id; t.action_code; t.title; t.due_at; c.id; c.ref; w.id; w.name; t.owner; t.categories;"
        f" {_NO_ID}; c.affected_person; t.title_search; t.title_sort; w.name_search; w.name_sort; t.owner_search;"
        " t.owner_sort; c.affected_person_search; t.owner_role; t.legal_deadline; t.remind_at; c.status;"
        f" {_NO_MOMENT}",
        # On SQLite, CROSS JOIN fixes the join order: walk open tasks by due date through the partial
        # index ix_task_open_due and stop after a page, whatever the planner's statistics say (or, for a
        # search with few candidates, start from them). A closed case's open legal tasks stay until they
        # are done or given up with a reason.
        f"""FROM {tasks} {fixed_join(bind)} "case" c ON c.id = t.case_id {fixed_join(bind)} workplace w
           ON w.id = c.workplace_id WHERE t.done_at IS NULL AND t.due_at IS NOT NULL
           AND (c.status = 'open' OR t.legal_deadline = TRUE)""",
    )


def _build_parts(bind: Any, narrowed: bool = False) -> list[str]:
    survey_due = plus_months(bind, "w.last_wellbeing_survey", "survey_months")
    adaptation_due = plus_months(bind, "w.created_at", "adaptation_months")
    classify_due = plus_hours(bind, "e.created_at", "classify_hours")
    candidates = f"({candidates_sql(dialect_name(bind))}) AS candidate {fixed_join(bind)} task t ON t.id = candidate.id"
    return [
        _task_arm(bind, candidates if narrowed else "task t"),
        _arm(
            "'episode'; e.id; 'classify_episode'; :classify_title;"
            f" {classify_due}; c.id; c.ref; w.id; w.name;"
            f" c.consultant; ''; {_NO_ID}; c.affected_person; :classify_title_search; :classify_title_sort;"
            " w.name_search; w.name_sort; c.consultant_search; c.consultant_sort; c.affected_person_search; 'hr';"
            f" CAST(NULL AS BOOLEAN); {_NO_MOMENT};"
            " c.status; e.occurred_at",
            # A registered episode without a classification (the wizard was left): its categories are empty.
            """FROM episode e JOIN "case" c ON c.id = e.case_id JOIN workplace w ON w.id = c.workplace_id
               WHERE e.categories = '' AND c.status = 'open'""",
        ),
        _arm(
            f"'item'; i.id; 'plan_item'; i.measure; local_day_bound_utc(i.due_on, 1); c.id; c.ref; w.id; w.name;"
            f" i.responsible; CASE WHEN p.case_id IS NULL THEN {_PLAN_CATEGORY}"
            " ELSE COALESCE((SELECT t2.categories FROM task t2 WHERE t2.case_id = c.id LIMIT 1), '') END;"
            " p.id; c.affected_person; i.measure_search; i.measure_sort; w.name_search; w.name_sort;"
            f" i.responsible_search; i.responsible_sort; c.affected_person_search; {_NO_TASK_COLUMNS}",
            """FROM action_item i JOIN action_plan p ON p.id = i.plan_id LEFT JOIN "case" c ON c.id = p.case_id
               JOIN workplace w ON w.id = COALESCE(p.workplace_id, c.workplace_id)
               WHERE i.status NOT IN ('done', 'dropped') AND i.due_on IS NOT NULL AND p.status != 'archived'""",
        ),
        _arm(
            f"'review'; p.id; 'plan_review'; :review_title; local_day_bound_utc(p.next_review_on, 1); c.id; c.ref;"
            f" w.id; w.name; ''; {_PLAN_CATEGORY}; p.id; c.affected_person; {_title_keys('review_title')};"
            f" w.name_search; w.name_sort; ''; ''; c.affected_person_search; {_NO_TASK_COLUMNS}",
            """FROM action_plan p LEFT JOIN "case" c ON c.id = p.case_id
               JOIN workplace w ON w.id = COALESCE(p.workplace_id, c.workplace_id)
               WHERE p.status = 'adopted' AND p.next_review_on IS NOT NULL""",
        ),
        _arm(
            "'workplace'; w.id; 'survey_due'; :survey_title;"
            " CASE WHEN w.last_wellbeing_survey IS NULL THEN local_day_bound_utc(date(w.created_at), 0)"
            f" ELSE local_day_bound_utc({survey_due}, 1) END;"
            f" {_WORKPLACE_TAIL}; ''; {_NO_ID}; {_NO_TEXT}; {_title_keys('survey_title')}; {_WORKPLACE_KEYS}",
            "FROM workplace w",
        ),
        _arm(
            "'workplace'; w.id; 'handleplan_missing'; :violence_plan_title;"
            f" local_day_bound_utc(COALESCE(w.risk_flagged_on, date(w.created_at)), 0); {_WORKPLACE_TAIL};"
            f" ',violence_threats,'; {_NO_ID}; {_NO_TEXT}; {_title_keys('violence_plan_title')};"
            f" {_WORKPLACE_KEYS}",
            _MISSING_PLAN.format(flag="risk_violence_citizens", kind="prevention_violence"),
        ),
        _arm(
            "'workplace'; w.id; 'handleplan_missing'; :sexual_plan_title;"
            f" local_day_bound_utc(COALESCE(w.risk_flagged_on, date(w.created_at)), 0); {_WORKPLACE_TAIL};"
            f" ',sexual_harassment,'; {_NO_ID}; {_NO_TEXT}; {_title_keys('sexual_plan_title')};"
            f" {_WORKPLACE_KEYS}",
            _MISSING_PLAN.format(flag="risk_sexual_citizens", kind="prevention_sexual"),
        ),
        _arm(
            "'workplace'; w.id; 'adaptation_missing'; :adaptation_title;"
            f" local_day_bound_utc({adaptation_due}, 1); {_WORKPLACE_TAIL}; ''; {_NO_ID}; {_NO_TEXT};"
            f" {_title_keys('adaptation_title')}; {_WORKPLACE_KEYS}",
            "FROM workplace w WHERE w.local_adaptation_decided_on IS NULL",
        ),
    ]


_PARTS_BY_DIALECT: dict[tuple[str, bool], list[str]] = {}


def union_sql(bind: Any, narrowed: bool = False) -> str:
    """Every open row's union, in the SQL of `bind`'s database."""
    return " UNION ALL ".join(_parts(bind, narrowed))


SORTS = {
    "due": "due",
    "title": "title_sort",
    "where": "COALESCE(ref, workplace_sort)",
    "category": "categories",
    "responsible": "responsible_sort",
    "kind": "kind",
}
DUE_SORTS = ("due", "title", "where", "responsible")  # what `trivsel due --sort` offers


@dataclass(frozen=True)
class DueFilters:
    workplace_id: int | None = None
    category: str | None = None
    responsible: str | None = None
    kinds: tuple[str, ...] = ()
    search: str = ""

    def active(self) -> bool:
        return bool(self.workplace_id or self.category or self.responsible or self.kinds or self.search.strip())


class DueRow(NamedTuple):
    """One row of the dashboard, read-only. A named tuple rather than a frozen dataclass: made 70,000 times
    by `trivsel due` at 100k cases, where a frozen dataclass's field-by-field set cost more than the query."""

    source: str  # task | item | review | workplace
    source_id: int
    kind: str
    title: str
    due: datetime  # aware UTC
    case_id: int | None
    ref: str | None
    workplace_id: int
    workplace: str
    responsible: str
    categories: tuple[str, ...]
    plan_id: int | None
    person: str | None
    owner_role: str | None = None
    legal: bool = False  # a legal deadline: never postponed
    remind_at: datetime | None = None  # a personal reminder, shown beside the deadline
    case_closed: bool = False  # a closed case's open legal task
    episode_at: datetime | None = None  # an unclassified episode: when it happened

    @property
    def key(self) -> str:
        return f"{self.source}:{self.source_id}:{self.kind}:{self.title}"


@dataclass(frozen=True)
class DueSummary:
    overdue: int
    due_this_week: int
    total: int
    open_cases: int
    workplaces_with_gaps: int


@dataclass(frozen=True)
class DueQuery:
    """The texts and intervals the query needs: titles come from the UI catalogue, intervals from the rules."""

    review_title: str
    survey_title: str
    violence_plan_title: str
    sexual_plan_title: str
    adaptation_title: str
    survey_interval_months: int
    adaptation_interval_months: int
    classify_title: str = ""
    classify_within_hours: int = 24
    params: dict[str, Any] = field(init=False)

    @classmethod
    def from_rules(cls, rules: Rules, today: date | None = None) -> DueQuery:
        """The query for these rules, shared by the dashboard and `trivsel due`."""
        from trivsel_tui.domain.intake import classify_within_hours

        return cls(
            review_title=t("due_kinds.plan_review_title"),
            survey_title=t("due_kinds.survey_due_title"),
            violence_plan_title=t("due_kinds.handleplan_violence_title"),
            sexual_plan_title=t("due_kinds.handleplan_sexual_title"),
            adaptation_title=t("due_kinds.adaptation_missing_title"),
            survey_interval_months=int(rules.prevention["wellbeing_survey_interval_months"]),
            adaptation_interval_months=int(rules.prevention["local_adaptation_due_months"]),
            classify_title=t("due_kinds.classify_episode_title"),
            classify_within_hours=classify_within_hours(rules, today or date.today()),
        )

    def __post_init__(self) -> None:
        object.__setattr__(
            self,
            "params",
            {
                "review_title": self.review_title,
                "survey_title": self.survey_title,
                "violence_plan_title": self.violence_plan_title,
                "sexual_plan_title": self.sexual_plan_title,
                "adaptation_title": self.adaptation_title,
                "survey_months": self.survey_interval_months,
                "adaptation_months": self.adaptation_interval_months,
                "classify_title": self.classify_title,
                "classify_hours": self.classify_within_hours,
                **{f"{name}_search": search_key(getattr(self, name)) for name in _TITLES},
                **{f"{name}_sort": sort_key(getattr(self, name)) for name in _TITLES},
            },
        )


def _filtered(store: Store, filters: DueFilters, params: dict[str, Any]) -> tuple[str, bool]:
    """The WHERE clause over the union's columns, and whether the task arm reads only the search index's
    candidates (a search that matches few rows: store.search_index)."""
    where = _where(filters, params)
    return where, bool(filters.search.strip()) and narrows(store, filters.search, params)


def _where(filters: DueFilters, params: dict[str, Any]) -> str:
    clauses = []
    if filters.workplace_id is not None:
        clauses.append("workplace_id = :f_workplace")
        params["f_workplace"] = filters.workplace_id
    if filters.category:
        clauses.append("categories LIKE :f_category")
        params["f_category"] = f"%,{filters.category},%"
    if filters.responsible:
        clauses.append("responsible = :f_responsible")
        params["f_responsible"] = filters.responsible
    if filters.kinds:
        names = [f"f_kind{i}" for i in range(len(filters.kinds))]
        clauses.append(f"kind IN ({', '.join(':' + n for n in names)})")
        params.update(dict(zip(names, filters.kinds, strict=True)))
    if filters.search.strip():
        like = f"LIKE :f_search ESCAPE '{LIKE_ESCAPE}'"
        columns = ("title_search", "ref", "workplace_search", "responsible_search", "person_search")
        clauses.append("(" + " OR ".join(f"{column} {like}" for column in columns) + ")")
        params["f_search"] = contains_pattern(filters.search)
    return ("WHERE " + " AND ".join(clauses)) if clauses else ""


def _stored(moment: datetime, dialect: str) -> datetime | str:
    """A moment as a query parameter: naive UTC, as text in SQLite's stored form."""
    naive = moment.astimezone(UTC).replace(tzinfo=None)
    return naive if is_postgres(dialect) else naive.strftime(SQL_TIME_FORMAT)


def _moment(stored: Any) -> datetime | None:
    return stored_utc(stored) if stored else None


def _row(r: Sequence[Any]) -> DueRow:
    """A row of the union, read by position (COLUMNS order): by name it costs more than the query at 100k rows."""
    (
        source,
        source_id,
        kind,
        title,
        due,
        case_id,
        ref,
        workplace_id,
        workplace,
        responsible,
        categories,
        plan_id,
        person,
        *_keys,
        owner_role,
        legal,
        remind_at,
        case_status,
        episode_at,
    ) = r
    return DueRow(
        source,
        source_id,
        kind,
        title,
        stored_utc(due),
        case_id,
        ref,
        workplace_id,
        workplace,
        responsible or "",
        tuple(filter(None, (categories or "").split(","))),
        plan_id,
        person,
        owner_role,
        bool(legal),
        _moment(remind_at),
        case_status == "closed",
        _moment(episode_at),
    )


def has_workplaces(store: Store) -> bool:
    return bool(store.fetch("SELECT 1 FROM workplace LIMIT 1"))


def last_change(store: Store) -> int:
    """The newest audit entry's id: every change to a case, plan or workplace moves it (any app copy).
    On PostgreSQL it is read again only after a change was announced (LISTEN/NOTIFY)."""
    if store.may_have_changed() or store.last_change_seen is None:
        store.last_change_seen = int(store.fetch("SELECT max(id) FROM audit_entry")[0][0] or 0)
    return store.last_change_seen


def due_rows(
    store: Store,
    query: DueQuery,
    filters: DueFilters = DueFilters(),
    sort: str = "due",
    descending: bool = False,
    limit: int | None = 200,
    offset: int = 0,
) -> list[DueRow]:
    """A page of the dashboard's rows; the due date breaks ties, then the row's identity (stable order)."""
    if limit is None:
        return list(iter_due_rows(store, query, filters, sort, descending))
    params = dict(query.params)
    where, narrowed = _filtered(store, filters, params)
    order = _order(sort, descending)
    # Each arm is filtered, sorted and cut on its own, so the task arm can walk the open-due index
    # and stop after a page instead of sorting every open task; the arms are then merged.
    params.update(limit=limit, offset=offset, arm_limit=limit + offset)
    arms = " UNION ALL ".join(
        f"SELECT * FROM (SELECT * FROM ({part}) AS arm {where} ORDER BY {order} LIMIT :arm_limit) AS arm{n}"
        for n, part in enumerate(_parts(store.dialect_name, narrowed))
    )
    sql = f"SELECT * FROM ({arms}) AS due_rows ORDER BY {order} LIMIT :limit OFFSET :offset"
    return [_row(r) for r in store.fetch(sql, params)]


def iter_due_rows(
    store: Store, query: DueQuery, filters: DueFilters = DueFilters(), sort: str = "due", descending: bool = False
) -> Iterator[DueRow]:
    """Every row in the dashboard's order, fetched as they are read: memory stays flat for any number of rows."""
    params = dict(query.params)
    (where, narrowed), order = _filtered(store, filters, params), _order(sort, descending)
    sql = f"SELECT * FROM ({union_sql(store.dialect_name, narrowed)}) AS due_rows {where} ORDER BY {order}"
    with store.rows(sql, params) as found:
        yield from map(_row, found)


def _order(sort: str, descending: bool) -> str:
    """The sort column, then the due date, then the row's identity: a stable order."""
    return f"{SORTS[sort]} {'DESC' if descending else 'ASC'}, due ASC, source, source_id, kind, title_sort"


def due_summary(
    store: Store, query: DueQuery, now: datetime, filters: DueFilters = DueFilters(), soon_days: int = 7
) -> DueSummary:
    """Counts for the dashboard's summary line; "soon" is the same interval that marks rows ● (due_soon_days)."""
    dialect = store.dialect_name
    params = dict(query.params, now=_stored(now, dialect), week=_stored(now + timedelta(days=soon_days), dialect))
    where, narrowed = _filtered(store, filters, params)
    sql = (
        "SELECT count(*), count(CASE WHEN due < :now THEN 1 END), count(CASE WHEN due >= :now AND due <= :week"
        " THEN 1 END), count(DISTINCT CASE WHEN kind = 'handleplan_missing' THEN workplace_id END)"
        f" FROM ({union_sql(dialect, narrowed)}) AS due_rows {where}"
    )
    ((total, overdue, week, gaps),) = store.fetch(sql, params)
    ((open_cases,),) = store.fetch("SELECT count(*) FROM \"case\" WHERE status = 'open'")
    return DueSummary(overdue or 0, week or 0, total or 0, open_cases, gaps or 0)


def responsibles(store: Store, query: DueQuery) -> list[str]:
    """Everyone responsible for something open, for the filter."""
    sql = (
        f"SELECT DISTINCT responsible, responsible_sort FROM ({union_sql(store.dialect_name)}) AS due_rows"
        " WHERE responsible != '' ORDER BY responsible_sort, responsible"
    )
    return [r[0] for r in store.fetch(sql, query.params)]


def _postponed_note(note: str, new_due: datetime, reason: str) -> str:
    """The row's note with the postponement appended, so the audit entry carries date and reason together."""
    line = t("store_notes.postponed", day=danish_day(local(new_due)), reason=reason.strip())
    return f"{note}\n{line}".strip()


def postpone_task(store: Store, task_id: int, new_due: datetime, reason: str, *, seen: int | None = None) -> None:
    """Move a task's deadline, with the reason in its note. A legal deadline is refused (LegalDeadlineError),
    and so is a task someone saved after the version `seen` (EditConflictError)."""
    from trivsel_tui.store.errors import row_to_edit
    from trivsel_tui.store.models import Task  # the ORM loads on the first write, not before the first rows
    from trivsel_tui.store.task_terms import refuse_if_legal

    with store.write() as session:
        task = row_to_edit(session, Task, task_id, seen)
        refuse_if_legal(task)
        task.note = _postponed_note(task.note, new_due, reason)
        task.due_at = new_due
        session.add(task)


def postpone_item(store: Store, item_id: int, new_due: datetime, reason: str, *, seen: int | None = None) -> None:
    """Move a plan item's due date (a calendar day), with the reason in its note."""
    from trivsel_tui.store.errors import row_to_edit
    from trivsel_tui.store.models import ActionItem

    with store.write() as session:
        item = row_to_edit(session, ActionItem, item_id, seen)
        item.note = _postponed_note(item.note, new_due, reason)
        item.due_on = local(new_due).date()
        session.add(item)


VERSIONED = {"task": "task", "item": "action_item"}  # a dashboard row's source -> its table


def row_version(store: Store, source: str, row_id: int) -> int | None:
    """The row's version now: a dialog opened from the dashboard saves only over this one
    (store.errors.row_to_edit), so a save made by someone else while it is open is never overwritten."""
    found = store.fetch(f"SELECT version FROM {VERSIONED[source]} WHERE id = :id", {"id": row_id})
    return int(found[0][0]) if found else None
