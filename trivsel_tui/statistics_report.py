"""The statistics as people read them: tables with Danish labels, built the same way for the screen,
`trivsel stats`, the exports and the annual report, so all of them show the same numbers.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from trivsel_tui.domain.clock import danish_day, local
from trivsel_tui.domain.plans import survey_due
from trivsel_tui.domain.rules import Rules
from trivsel_tui.domain.statistics import (
    DIMENSIONS,
    MULTI_VALUED,
    PERIODS,
    SharedRelease,
    Table,
    Timeliness,
    build_table,
    period_key,
    period_range,
    periods_between,
    protect_timeliness,
    share_on_time,
    suppressed_cells,
)
from trivsel_tui.store.statistics import (
    UNCLASSIFIED,
    StatFilters,
    TaskPerformance,
    WorkplacePrevention,
    count_episodes,
    open_tasks_by_action,
    prevention_status,
    task_performance,
    workplace_units,
)
from trivsel_tui.store.store import Store
from trivsel_tui.texts import t


class StatsRequestError(ValueError):
    """A --by list or filter value that is not known; the message is Danish and names it."""


def parse_by(text: str) -> tuple[str, ...]:
    """'category,quarter' → ('category', 'quarter'); at most one period and one multi-valued dimension."""
    names = tuple(n.strip() for n in text.split(",") if n.strip())
    unknown = [n for n in names if n not in DIMENSIONS]
    if unknown or not names:
        raise StatsRequestError(t("stats.bad_by", given=", ".join(unknown) or text, allowed=", ".join(DIMENSIONS)))
    if len(set(names)) != len(names) or sum(n in PERIODS for n in names) > 1:
        raise StatsRequestError(t("stats.by_twice"))
    if sum(n in MULTI_VALUED for n in names) > 1:
        raise StatsRequestError(t("stats.by_two_multi"))
    return names


def label(dimension: str, key: str, rules: Rules) -> str:
    """The Danish name of a code in a dimension (workplaces, units and periods are their own names)."""
    if key == UNCLASSIFIED:
        return t("stats.unclassified")
    names: dict[str, Any] = {
        "category": {k: v["label"] for k, v in rules.categories.items()},
        "type": {k: v["label"] for k, v in rules.types.items()},
        "perpetrator": rules.perpetrators,
        "injury": rules.injuries,
        "insurance": {**{k: v["label"] for k, v in rules.insurance_reports.items()}, "none": t("stats.no_report")},
    }.get(dimension, {})
    if dimension == "unit" and not key:
        return t("stats.no_unit")
    return str(names.get(key, key))


def header(dimension: str) -> str:
    return t(f"stats.dimension.{dimension}")


def episode_table(
    store: Store,
    rules: Rules,
    by: tuple[str, ...],
    filters: StatFilters,
    shareable: bool,
    release: SharedRelease | None = None,
) -> Table:
    """Episodes grouped by `by` for the filters; the shareable version hides small numbers, as every
    other table of the same selection does (`release`: one for several tables of one output)."""
    aggregate = count_episodes(store, by, filters, tuple(rules.categories), tuple(rules.types))
    all_periods: list[str] = []
    if len(by) == 1 and by[0] in PERIODS:
        if filters.start and filters.end:
            all_periods = periods_between(filters.start, filters.end, by[0])
        elif aggregate.groups:
            keys = sorted(g.keys[0] for g in aggregate.groups)
            all_periods = period_range(keys[0], keys[-1])
    table = build_table(by, aggregate.groups, aggregate.total, aggregate.absence_days, all_periods)
    if not shareable:
        return table
    return (release or shared_release(store, rules, filters)).table(table)


def shared_release(store: Store, rules: Rules, filters: StatFilters) -> SharedRelease:
    """The protection every shareable table of this selection takes its hidden cells from."""
    categories, types = tuple(rules.categories), tuple(rules.types)

    def count(dimensions: tuple[str, ...]) -> dict[tuple[str, ...], int]:
        aggregate = count_episodes(store, dimensions, filters, categories, types)
        if not dimensions:
            return {(): aggregate.total}
        return {g.keys: g.episodes for g in aggregate.groups}

    return SharedRelease(count, workplace_units(store))


def records(table: Table, rules: Rules) -> list[dict[str, Any]]:
    """One dict per row: each dimension's code and Danish label, episodes, absence days, change."""
    result = []
    for row in table.rows:
        record: dict[str, Any] = {}
        for dimension, key in zip(table.dimensions, row.keys, strict=True):
            record[dimension] = key
            record[f"{dimension}_label"] = label(dimension, key, rules)
        record["episodes"] = table.cell(row)
        record["absence_days"] = table.absence(row)
        if any(d in PERIODS for d in table.dimensions):
            record["change"] = table.change(row)
        result.append(record)
    return result


def csv_header(table: Table) -> list[str]:
    columns = [header(d) for d in table.dimensions] + [t("stats.column.episodes"), t("stats.column.absence_days")]
    if any(d in PERIODS for d in table.dimensions):
        columns.append(t("stats.column.change"))
    return columns


def csv_rows(table: Table, rules: Rules) -> list[list[Any]]:
    """The table as spreadsheet rows (labels, not codes), with the total last."""
    rows: list[list[Any]] = []
    has_change = any(d in PERIODS for d in table.dimensions)
    for record in records(table, rules):
        row = [record[f"{d}_label"] for d in table.dimensions] + [record["episodes"], record["absence_days"]]
        if has_change:
            row.append("" if record["change"] is None else record["change"])
        rows.append(row)
    total = [t("stats.total")] + [""] * (len(table.dimensions) - 1)
    rows.append([*total, table.total_cell(), table.total_absence_cell()] + ([""] if has_change else []))
    return rows


def mode_line(shareable: bool) -> str:
    return t("stats.shareable_note") if shareable else t("stats.own_use_note")


def filters_line(filters: StatFilters, rules: Rules, workplace_names: dict[int, str]) -> str:
    """The selection in words, for headings of exports and the report."""
    parts = [
        t(
            "stats.period_line",
            start=danish_day(filters.start) if filters.start else t("stats.open_start"),
            end=danish_day(filters.end) if filters.end else t("stats.open_end"),
        )
    ]
    if filters.workplace_ids:
        names = ", ".join(workplace_names.get(i, str(i)) for i in filters.workplace_ids)
        parts.append(f"{t('stats.dimension.workplace')}: {names}")
    if filters.categories:
        parts.append(
            f"{t('stats.dimension.category')}: {', '.join(label('category', c, rules) for c in filters.categories)}"
        )
    if filters.perpetrators:
        names = ", ".join(label("perpetrator", p, rules) for p in filters.perpetrators)
        parts.append(f"{t('stats.dimension.perpetrator')}: {names}")
    return " · ".join(parts)


# --- deadlines, owners, prevention ------------------------------------------------------------------


@dataclass(frozen=True)
class TimelinessLine:
    kind: str
    label: str
    cells: dict[str, int | str]  # on_time, late, overdue, pending → number or "<5"/"skjult"
    share_on_time: str  # "93 %" or "–"


def timeliness_lines(performance: TaskPerformance, shareable: bool) -> list[TimelinessLine]:
    hidden = protect_timeliness(performance.kinds) if shareable else {}
    lines = []
    for row in performance.kinds:
        cells: dict[str, int | str] = {part: hidden.get((row.kind, part), value) for part, value in row.parts.items()}
        lines.append(TimelinessLine(row.kind, t(f"due_kinds.{row.kind}"), cells, _share(row, hidden)))
    return lines


def _share(row: Timeliness, hidden: dict[tuple[str, str], str]) -> str:
    share = share_on_time(row)
    judged = row.on_time + row.late + row.overdue
    if share is None or any((row.kind, p) in hidden for p in ("on_time", "late", "overdue")) or judged < 5:
        return "–"
    return f"{round(share * 100)} %"


TIMELINESS_PARTS = ("on_time", "late", "overdue", "pending")


def load_performance(store: Store, filters: StatFilters, now: datetime) -> TaskPerformance:
    return task_performance(store, filters, now, t("store_notes.dispensation"))


@dataclass(frozen=True)
class OwnerLoad:
    owner: str  # a role from the rules' [owners]
    open: int
    overdue: int


def owner_role(action_code: str, perpetrator: str, rules: Rules) -> str:
    """Who owns a task, by the same rule the engine uses: the action's owner, and never the leader the
    case is about. Tasks the rules do not know (manual ones) belong to the HR consultant."""
    action = rules.actions.get(action_code) or next(
        (a for a in rules.local_actions if a.code == action_code or a.deadline == action_code), None
    )
    owner = action.owner if action else "hr"
    if owner == "leader" and perpetrator in rules.routes.get("leader_is_perpetrator", ()):
        return "next_leader"
    return owner


def load_owners(store: Store, rules: Rules, filters: StatFilters, now: datetime) -> tuple[OwnerLoad, ...]:
    """Open and overdue tasks per owner role, in the order the rules list the roles."""
    totals: dict[str, list[int]] = {}
    for group in open_tasks_by_action(store, filters, now):
        role = group.owner_role or owner_role(group.action_code, group.perpetrator, rules)
        counts = totals.setdefault(role, [0, 0])
        counts[0] += group.open
        counts[1] += group.overdue
    order = list(rules.owners)
    ranked = sorted(totals.items(), key=lambda item: order.index(item[0]) if item[0] in order else len(order))
    return tuple(OwnerLoad(owner, counts[0], counts[1]) for owner, counts in ranked)


@dataclass(frozen=True)
class PreventionLine:
    workplace: WorkplacePrevention
    handleplan: str  # Danish status words
    survey: str
    survey_overdue: bool
    adaptation: str

    @property
    def at_risk(self) -> bool:
        return self.workplace.risk_violence or self.workplace.risk_sexual

    @property
    def covered(self) -> bool:
        """Every handleplan the workplace's risks require is adopted."""
        w = self.workplace
        return (not w.risk_violence or w.violence_plan) and (not w.risk_sexual or w.sexual_plan)


def prevention_lines(
    store: Store, rules: Rules, today: date, workplace_ids: tuple[int, ...] = ()
) -> list[PreventionLine]:
    interval = int(rules.prevention["wellbeing_survey_interval_months"])
    return [_prevention_line(w, interval, today) for w in prevention_status(store, workplace_ids)]


def _prevention_line(w: WorkplacePrevention, interval: int, today: date) -> PreventionLine:
    required = [(w.risk_violence, w.violence_plan, "violence"), (w.risk_sexual, w.sexual_plan, "sexual")]
    plans = [t(f"stats.plan_{kind}_{'ok' if has else 'missing'}") for at_risk, has, kind in required if at_risk]
    due = survey_due(w.last_survey, interval)
    overdue = due is None or due < today
    if w.last_survey is None:
        survey = t("stats.survey_never")
    else:
        survey = t("stats.survey_overdue" if overdue else "stats.survey_ok", last=danish_day(w.last_survey))
    adaptation = (
        t("stats.adaptation_decided", day=danish_day(w.adaptation_decided_on))
        if w.adaptation_decided_on
        else t("stats.adaptation_missing")
    )
    return PreventionLine(w, ", ".join(plans) or t("stats.plan_not_required"), survey, overdue, adaptation)


@dataclass(frozen=True)
class PreventionSummary:
    at_risk: int
    at_risk_covered: int  # every required handleplan adopted
    survey_overdue: int
    adaptation_decided: int
    workplaces: int


def prevention_summary(lines: list[PreventionLine]) -> PreventionSummary:
    at_risk = [line for line in lines if line.at_risk]
    return PreventionSummary(
        len(at_risk),
        sum(1 for line in at_risk if line.covered),
        sum(1 for line in lines if line.survey_overdue),
        sum(1 for line in lines if line.workplace.adaptation_decided_on),
        len(lines),
    )


def current_period(today: date, grain: str) -> str:
    return period_key(today.year * 100 + today.month, grain)


# --- views: what the screen shows, one table and its chart at a time --------------------------------

EPISODE_VIEWS = ("period", "category", "type", "perpetrator", "injury", "insurance", "workplace", "unit")
VIEWS = (*EPISODE_VIEWS, "deadlines", "owners", "prevention")
CHART_BARS = 15  # more bars than this do not fit beside the table; the chart then shows the largest

Point = tuple[str, int | None]  # (label, value); None = hidden in shareable output, the label says how


def _point(name: str, value: int, hidden: str) -> Point:
    """A bar: a hidden value has no bar, and its label carries the table's mark ("<5" or "skjult")."""
    return (f"{name} ({hidden})", None) if hidden else (name, value)


@dataclass(frozen=True)
class StatsView:
    """One table and the chart beside it, built from the same numbers."""

    key: str
    title: str
    header: tuple[str, ...]
    rows: tuple[tuple[Any, ...], ...]  # the first cell is a label, numbers (or "<5"/"skjult") after it
    chart_title: str
    chart: tuple[Point, ...]
    note: str = ""


def load_view(
    store: Store,
    rules: Rules,
    view: str,
    filters: StatFilters,
    shareable: bool,
    grain: str,
    now: datetime,
) -> StatsView:
    """The numbers for one view of the statistics screen (also what it exports)."""
    if view in EPISODE_VIEWS:
        by = grain if view == "period" else view
        table = episode_table(store, rules, (by,), filters, shareable)
        return _episode_view(view, table, rules)
    if view == "deadlines":
        return _deadline_view(load_performance(store, filters, now), shareable)
    if view == "owners":
        return _owner_view(load_owners(store, rules, filters, now), rules, shareable)
    return _prevention_view(prevention_lines(store, rules, local(now).date(), filters.workplace_ids))


def _episode_view(view: str, table: Table, rules: Rules) -> StatsView:
    dimension = table.dimensions[0]
    points = [
        _point(label(dimension, row.keys[0], rules), row.episodes, row.hidden if table.shareable else "")
        for row in table.rows
    ]
    chart_title = t("stats.chart_episodes")
    if len(points) > CHART_BARS:
        points = sorted(points, key=lambda p: -(p[1] or 0))[:CHART_BARS]
        chart_title = t("stats.chart_largest", count=CHART_BARS)
    return StatsView(
        view,
        t(f"stats.view.{view}"),
        tuple(csv_header(table)),
        tuple(tuple(row) for row in csv_rows(table, rules)),
        chart_title,
        tuple(points),
    )


def _deadline_view(performance: TaskPerformance, shareable: bool) -> StatsView:
    lines = timeliness_lines(performance, shareable)
    header = (
        t("stats.column.kind"),
        *(t(f"stats.column.{p}") for p in TIMELINESS_PARTS),
        t("stats.column.share_on_time"),
    )
    rows = tuple((line.label, *(line.cells[p] for p in TIMELINESS_PARTS), line.share_on_time) for line in lines)
    chart = tuple((line.label, _percent(line.share_on_time)) for line in lines)
    notat = performance.police_by_notat
    note = (
        t("report.timeliness_intro")
        + " "
        + t("report.police_notat", count="<5" if shareable and 0 < notat < 5 else notat)
    )
    return StatsView("deadlines", t("stats.view.deadlines"), header, rows, t("stats.chart_on_time"), chart, note)


def _percent(share: str) -> int | None:
    return int(share.split()[0]) if share[:1].isdigit() else None


def _owner_view(owners: tuple[OwnerLoad, ...], rules: Rules, shareable: bool) -> StatsView:
    open_hidden: dict[Any, str] = {}
    overdue_hidden: dict[Any, str] = {}
    if shareable:
        open_hidden, _ = suppressed_cells({(o.owner,): o.open for o in owners})
        overdue_hidden, _ = suppressed_cells({(o.owner,): o.overdue for o in owners})
    rows = tuple(
        (
            rules.owners.get(o.owner, o.owner),
            open_hidden.get((o.owner,), o.open),
            overdue_hidden.get((o.owner,), o.overdue),
        )
        for o in owners
    )
    chart = tuple((str(row[0]), row[1] if isinstance(row[1], int) else None) for row in rows)
    header = (t("stats.column.owner"), t("stats.column.open"), t("stats.column.overdue_tasks"))
    return StatsView(
        "owners", t("stats.view.owners"), header, rows, t("stats.chart_open_tasks"), chart, t("stats.owner_note")
    )


def _prevention_view(lines: list[PreventionLine]) -> StatsView:
    summary = prevention_summary(lines)
    header = tuple(t(f"stats.column.{c}") for c in ("workplace", "unit", "handleplan", "survey", "adaptation"))
    rows = tuple(
        (line.workplace.name, line.workplace.unit, line.handleplan, line.survey, line.adaptation) for line in lines
    )
    chart: tuple[Point, ...] = (
        (t("stats.chart_covered"), summary.at_risk_covered),
        (t("stats.chart_not_covered"), summary.at_risk - summary.at_risk_covered),
        (t("stats.chart_survey_overdue"), summary.survey_overdue),
        (t("stats.chart_adaptation_decided"), summary.adaptation_decided),
    )
    note = t(
        "report.prevention_intro",
        at_risk=summary.at_risk,
        covered=summary.at_risk_covered,
        overdue=summary.survey_overdue,
        decided=summary.adaptation_decided,
        workplaces=summary.workplaces,
    )
    return StatsView("prevention", t("stats.view.prevention"), header, rows, t("stats.chart_workplaces"), chart, note)
