"""Statistics rules: the episode's counting fields, periods, period-over-period change, and the
protection of small numbers in anything meant for sharing. Pure: no SQL, no Textual.

Small numbers: a count of 1–4 is shown as "<5". Because a reader could get it back by subtracting
the shown cells from a total, every group of cells that adds up to a shown total must hide either
none or at least two non-zero cells ("complementary suppression"): the extra cell is shown as
"skjult" (never as "<5", which would be untrue); a group where that cannot be done hides its total.
"""

from __future__ import annotations

from collections.abc import Hashable, Iterable, Mapping, Sequence
from dataclasses import dataclass, replace
from datetime import date, datetime
from typing import Any

from trivsel_tui.domain.clock import local

SMALL_LIMIT = 5
SMALL = "<5"
COMPLEMENT = "skjult"
PERIODS = ("month", "quarter", "year")
# Dimensions an episode can be counted by. category and type are multi-valued: an episode with
# both violence and a threat counts once under each, so their cells may add up to more than the total.
DIMENSIONS = ("category", "type", "perpetrator", "injury", "insurance", "workplace", "unit", *PERIODS)
MULTI_VALUED = frozenset({"category", "type"})

Key = tuple[str, ...]


def code_tag(codes: Iterable[str]) -> str:
    """ ",a,b," – so that one code matches with LIKE '%,a,%' in any SQL database."""
    joined = ",".join(codes)
    return f",{joined}," if joined else ""


def month_number(moment: datetime) -> int:
    """The Copenhagen calendar month as yyyymm: periods follow local time, not UTC."""
    day = local(moment)
    return day.year * 100 + day.month


def stat_fields(occurred_at: datetime, classification: Mapping[str, Any] | None) -> dict[str, Any]:
    """The episode's counting columns, derived from its time and its stored classification."""
    result = classification or {}
    police = result.get("police_report") or {}
    return {
        "occurred_month": month_number(occurred_at),
        "categories": code_tag(result.get("categories") or ()),
        "types": code_tag(result.get("types") or ()),
        "insurance_report": result.get("insurance_report"),
        "police_relevant": bool(police.get("relevant")) if classification else None,
    }


# --- periods -------------------------------------------------------------------------------------


def period_key(month: int, grain: str) -> str:
    """yyyymm → '2026-11', '2026-K4' or '2026': sortable as text and readable in a spreadsheet."""
    year, number = divmod(month, 100)
    if grain == "month":
        return f"{year}-{number:02d}"
    if grain == "quarter":
        return f"{year}-K{(number + 2) // 3}"
    if grain == "year":
        return str(year)
    raise ValueError(grain)


def previous_period(key: str) -> str:
    """The period before `key`, in the same grain."""
    if "-K" in key:
        year, quarter = int(key[:4]), int(key[-1])
        return f"{year - 1}-K4" if quarter == 1 else f"{year}-K{quarter - 1}"
    if "-" in key:
        year, month = int(key[:4]), int(key[5:])
        return f"{year - 1}-12" if month == 1 else f"{year}-{month - 1:02d}"
    return str(int(key) - 1)


def periods_between(start: date, end: date, grain: str) -> list[str]:
    """Every period from the one holding `start` to the one holding `end`, so empty ones show as 0."""
    keys: list[str] = []
    year, month = start.year, start.month
    while (year, month) <= (end.year, end.month):
        key = period_key(year * 100 + month, grain)
        if not keys or keys[-1] != key:
            keys.append(key)
        year, month = (year + 1, 1) if month == 12 else (year, month + 1)
    return keys


def period_range(first: str, last: str) -> list[str]:
    """Every period key from `first` to `last` (same grain), both included."""
    keys = [last]
    while keys[-1] > first:
        keys.append(previous_period(keys[-1]))
    return keys[::-1]


# --- tables ----------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Group:
    """One cell of an aggregate as the store returns it."""

    keys: Key
    episodes: int
    absence_days: int = 0


@dataclass(frozen=True)
class Row:
    keys: Key
    episodes: int
    absence_days: int
    change: int | None = None  # episodes minus the previous period's (same other keys); None = unknown
    hidden: str = ""  # in shareable output: "" shown, SMALL (1–4) or COMPLEMENT (hidden so SMALL stays hidden)
    change_hidden: bool = False


@dataclass(frozen=True)
class Table:
    dimensions: tuple[str, ...]
    rows: tuple[Row, ...]
    total: int  # episodes in the selection (each once, even when counted under two categories)
    total_absence_days: int
    shareable: bool = False
    total_hidden: str = ""

    def shown(self, value: int, hidden: str) -> int | str:
        return hidden if hidden and self.shareable else value

    def cell(self, row: Row) -> int | str:
        return self.shown(row.episodes, row.hidden)

    def absence(self, row: Row) -> int | str:
        return self.shown(row.absence_days, row.hidden)

    def change(self, row: Row) -> int | str | None:
        if row.change is None:
            return None
        return COMPLEMENT if self.shareable and row.change_hidden else row.change

    def total_cell(self) -> int | str:
        return self.shown(self.total, self.total_hidden)

    def total_absence_cell(self) -> int | str:
        return self.shown(self.total_absence_days, self.total_hidden)


def build_table(
    dimensions: Sequence[str],
    groups: Iterable[Group],
    total: int,
    total_absence_days: int,
    all_periods: Sequence[str] = (),
) -> Table:
    """Rows sorted by key, with period-over-period change when a period is among the dimensions.

    `all_periods` (one-dimensional period tables only) adds the empty periods as 0 rows, so a chart
    over time has no gaps and the change after an empty period is right.
    """
    by_key = {g.keys: g for g in groups}
    if len(dimensions) == 1 and all_periods:
        for period in all_periods:
            by_key.setdefault((period,), Group((period,), 0, 0))
    period_at = next((i for i, d in enumerate(dimensions) if d in PERIODS), None)
    known_periods = set(all_periods)
    if period_at is not None and not known_periods:
        known_periods = {k[period_at] for k in by_key}
    rows = []
    for key in sorted(by_key):
        group = by_key[key]
        change = None
        if period_at is not None:
            before = _previous_key(dimensions, key)
            if before in by_key:
                change = group.episodes - by_key[before].episodes
            elif before[period_at] in known_periods:
                change = group.episodes
        rows.append(Row(key, group.episodes, group.absence_days, change))
    return Table(tuple(dimensions), tuple(rows), total, total_absence_days)


def _previous_key(dimensions: Sequence[str], key: Key) -> Key:
    at = next(i for i, d in enumerate(dimensions) if d in PERIODS)
    return (*key[:at], previous_period(key[at]), *key[at + 1 :])


def protect(table: Table) -> Table:
    """The shareable version: small counts hidden, with complements, so no total gives them away."""
    hidden, total_hidden = suppressed_cells({row.keys: row.episodes for row in table.rows}, table.total)
    return _with_hidden(table, hidden, total_hidden)


def _with_hidden(table: Table, hidden: Mapping[Key, str], total_hidden: str) -> Table:
    rows = []
    for row in table.rows:
        # The change and this period's count together give the previous period's count.
        change_hidden = row.keys in hidden
        if row.change is not None and not change_hidden:
            change_hidden = _previous_key(table.dimensions, row.keys) in hidden
        rows.append(replace(row, hidden=hidden.get(row.keys, ""), change_hidden=change_hidden))
    return replace(table, rows=tuple(rows), shareable=True, total_hidden=total_hidden)


def small(value: int) -> bool:
    return 0 < value < SMALL_LIMIT


def mark(value: int) -> str:
    """How a cell that must be hidden is shown: "<5" only when that is true."""
    return SMALL if small(value) else COMPLEMENT


Cell = Hashable
TOTAL: Cell = ("__total__",)


@dataclass(frozen=True)
class Line:
    """Cells that add up to a margin a reader can see: a published cell, or None for a number known
    from elsewhere (a total in another table) that cannot be hidden here."""

    cells: tuple[Cell, ...]
    margin: Cell | None = None


def suppress(values: Mapping[Cell, int], lines: Sequence[Line]) -> set[Cell]:
    """The cells to hide: the small ones, then complements until no line gives one back.

    A line whose margin is shown must hide none or at least two of its non-zero cells: the smallest
    visible non-zero cell is the complement, or the margin itself when there is none. A line whose
    margin is hidden must not show all its non-zero cells either, or their sum would give it back.
    """
    hidden = {cell for cell, value in values.items() if small(value)}
    changed = True
    while changed:
        changed = False
        for line in lines:
            nonzero = [c for c in line.cells if values[c] > 0]
            hidden_here = [c for c in nonzero if c in hidden]
            margin_hidden = line.margin is not None and line.margin in hidden
            needs_more = len(hidden_here) == 1 if not margin_hidden else not hidden_here and nonzero
            if not needs_more:
                continue
            candidates = sorted((values[c], str(c), c) for c in nonzero if c not in hidden)
            if candidates:
                hidden.add(candidates[0][2])
            elif line.margin is not None and not margin_hidden:
                hidden.add(line.margin)
            else:
                continue
            changed = True
    return hidden


def suppressed_cells(cells: Mapping[Key, int], total: int | None = None) -> tuple[dict[Key, str], str]:
    """Which cells of one table to hide and how to show them, and how to show the total ("" = as it is).

    Every line of cells that shares all keys but one adds up to a margin a reader can know (the total,
    or a total from another table). A one-dimensional table's line is its total, which is hidden when
    nothing else can protect a hidden cell.
    """
    width = len(next(iter(cells), ()))
    values: dict[Cell, int] = {key: value for key, value in cells.items()}
    if width == 1 and total is not None:
        values[TOTAL] = total
        lines = [Line(tuple(cells), TOTAL)]
    else:
        lines = [Line(tuple(line)) for axis in range(width) for line in _lines(cells, axis)]
    hidden = suppress(values, lines)
    if total is not None and small(total):
        hidden.add(TOTAL)
    total_mark = mark(total) if total is not None and TOTAL in hidden else ""
    return {key: mark(cells[key]) for key in cells if key in hidden}, total_mark


def _lines(cells: Mapping[Key, int], axis: int) -> list[list[Key]]:
    lines: dict[Key, list[Key]] = {}
    for key in cells:
        lines.setdefault(key[:axis] + key[axis + 1 :], []).append(key)
    return list(lines.values())


def protect_hierarchy(units: Table, workplaces: Table, unit_of: Mapping[str, str]) -> tuple[Table, Table]:
    """Shareable unit and workplace tables that hide the same people: each unit's workplaces add up to
    the unit's shown count, so a workplace hidden in one table cannot be got back through the other."""
    values: dict[Cell, int] = {("unit", *r.keys): r.episodes for r in units.rows}
    values.update({("workplace", *r.keys): r.episodes for r in workplaces.rows})
    values[TOTAL] = units.total
    members: dict[str, list[Cell]] = {}
    for row in workplaces.rows:
        members.setdefault(unit_of.get(row.keys[0], ""), []).append(("workplace", *row.keys))
    # Within units first: a complement found next to the hidden workplace keeps the unit shown.
    lines = [
        *(Line(tuple(cells), ("unit", unit)) for unit, cells in members.items() if ("unit", unit) in values),
        Line(tuple(("workplace", *r.keys) for r in workplaces.rows), TOTAL),
        Line(tuple(("unit", *r.keys) for r in units.rows), TOTAL),
    ]
    hidden = suppress(values, lines)
    if small(units.total):
        hidden.add(TOTAL)

    def shown(table: Table, kind: str) -> Table:
        marked = {row.keys: mark(row.episodes) for row in table.rows if (kind, *row.keys) in hidden}
        return _with_hidden(table, marked, mark(table.total) if TOTAL in hidden else "")

    return shown(units, "unit"), shown(workplaces, "workplace")


# --- rates ---------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Timeliness:
    """How one kind of task went: done by its deadline, done late, still open past it, not yet due."""

    kind: str
    on_time: int
    late: int
    overdue: int
    pending: int

    @property
    def total(self) -> int:
        return self.on_time + self.late + self.overdue + self.pending

    @property
    def parts(self) -> dict[str, int]:
        return {"on_time": self.on_time, "late": self.late, "overdue": self.overdue, "pending": self.pending}


def share_on_time(row: Timeliness) -> float | None:
    """Done on time out of those whose deadline has passed or that are done; None when nothing to judge."""
    judged = row.on_time + row.late + row.overdue
    return row.on_time / judged if judged else None


def protect_timeliness(rows: Sequence[Timeliness]) -> dict[tuple[str, str], str]:
    """(kind, part) → "<5" or "skjult" for the parts to hide. Each kind's parts add up to its number of
    tasks, so each kind is one line; no column total is published, so columns are not lines."""
    result: dict[tuple[str, str], str] = {}
    for row in rows:
        hidden, _ = suppressed_cells({(part,): value for part, value in row.parts.items()}, row.total)
        result.update({(row.kind, key[0]): shown for key, shown in hidden.items()})
    return result
