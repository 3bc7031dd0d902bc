"""Statistics rules: the episode's counting fields, periods, period-over-period change, and the
protection of small numbers in anything meant for sharing. Pure: no SQL, no Textual.

Small numbers: a count of 1–4 is shown as "<5". Because a reader could get it back by subtracting
the shown cells from a total, every group of cells that adds up to a shown total must hide either
none or at least two non-zero cells ("complementary suppression"): the extra cell is shown as
"skjult" (never as "<5", which would be untrue). SharedRelease does this across every table of one
selection (domain/suppress.py has the rules and the exact test).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, replace
from datetime import date, datetime
from itertools import product
from typing import Any, cast

from trivsel_tui.domain.clock import local
from trivsel_tui.domain.suppress import COMPLEMENT, Cell, Line, derivable, mark, small, suppress

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


def _with_hidden(table: Table, hidden: Mapping[Key, str], total_hidden: str) -> Table:
    rows = []
    for row in table.rows:
        # The change and this period's count together give the previous period's count.
        change_hidden = row.keys in hidden
        if row.change is not None and not change_hidden:
            change_hidden = _previous_key(table.dimensions, row.keys) in hidden
        rows.append(replace(row, hidden=hidden.get(row.keys, ""), change_hidden=change_hidden))
    return replace(table, rows=tuple(rows), shareable=True, total_hidden=total_hidden)


TOTAL: Cell = ("__total__",)


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


# --- shared releases: every table of one selection, protected together ------------------------------

Dims = tuple[str, ...]
# A finer dimension and the one its cells add up to: a unit is the sum of its workplaces, a quarter of
# its months, a year of its quarters.
COARSER = {"workplace": "unit", "month": "quarter", "quarter": "year"}


def canonical(dimensions: Sequence[str]) -> Dims:
    """The dimensions in one fixed order, so that 'quarter,workplace' and 'workplace,quarter' are one table."""
    return tuple(sorted(dimensions, key=DIMENSIONS.index))


@dataclass(frozen=True)
class Step:
    """A table one step coarser: one dimension dropped (its cells add up) or replaced by the one above it."""

    dimensions: Dims
    at: int
    up: str = ""  # the coarser dimension at `at`; "" when the dimension is dropped

    def key(self, key: Key, unit_of: Mapping[str, str]) -> Key:
        if not self.up:
            return key[: self.at] + key[self.at + 1 :]
        return (*key[: self.at], _coarser_key(self.up, key[self.at], unit_of), *key[self.at + 1 :])

    def adds_up(self, dimensions: Dims) -> bool:
        """Whether the coarser counts are sums of the finer ones (not across a multi-valued dimension)."""
        return bool(self.up) or dimensions[self.at] not in MULTI_VALUED


def _coarser_key(up: str, key: str, unit_of: Mapping[str, str]) -> str:
    if up == "unit":
        return unit_of.get(key, "")
    if up == "quarter":
        return period_key(int(key[:4]) * 100 + int(key[5:]), "quarter")
    return key[:4]


def steps(dimensions: Dims) -> list[Step]:
    result = []
    for at, dimension in enumerate(dimensions):
        result.append(Step(dimensions[:at] + dimensions[at + 1 :], at))
        up = COARSER.get(dimension)
        if up and up not in dimensions:
            result.append(Step(canonical((*dimensions[:at], up, *dimensions[at + 1 :])), at, up))
    return result


Counter = Callable[[Dims], Mapping[Key, int]]


class SharedRelease:
    """The shareable tables of one selection: the screen's views, the exports, the annual report and
    `trivsel stats --shareable` all take their hidden cells from here, so they hide the same cells.

    Each table is protected once, after every table its cells add up to (coarser first): those are then
    fixed, so a table hides the same cells whichever output it is part of, and a finer table is
    protected against all of them — a workplace × quarter cell cannot be got back from the workplace
    totals, the quarter totals, the units, or the months that add up to it.
    `count(dimensions)` gives the non-zero episode counts by those dimensions (() → {(): total}).
    """

    def __init__(self, count: Counter, unit_of: Mapping[str, str]) -> None:
        self._count = count
        self.unit_of = unit_of
        self._counts: dict[Dims, dict[Key, int]] = {}
        self._hidden: dict[Dims, dict[Key, str]] = {}

    def counts(self, dimensions: Dims) -> dict[Key, int]:
        if dimensions not in self._counts:
            self._counts[dimensions] = {k: v for k, v in self._count(dimensions).items() if v}
        return self._counts[dimensions]

    def hidden(self, dimensions: Sequence[str]) -> dict[Key, str]:
        """The table's cells to hide (canonical keys) and how each is shown ("<5" or "skjult")."""
        dims = canonical(dimensions)
        if dims not in self._hidden:
            if not dims:
                total = self.counts(()).get((), 0)
                self._hidden[dims] = {(): mark(total)} if small(total) else {}
            else:
                values = self._values(dims)
                self._hidden[dims] = {k: mark(values[k]) for k in self._protect(dims, values)}
        return self._hidden[dims]

    def table(self, table: Table) -> Table:
        """`table` (exact counts, its dimensions in any order) as it may be shared."""
        dims = canonical(table.dimensions)
        order = [dims.index(d) for d in table.dimensions]
        # The table's own counts are the release's: no second query for them or for the total.
        canonical_keys = {tuple(row.keys[order.index(i)] for i in range(len(dims))): row for row in table.rows}
        self._counts.setdefault(dims, {key: row.episodes for key, row in canonical_keys.items() if row.episodes})
        self._counts.setdefault((), {(): table.total})
        if len(dims) > 1:  # every combination, so that a hidden zero has its row and a shown one reads 0
            groups = {row.keys: Group(row.keys, row.episodes, row.absence_days) for row in table.rows}
            for key in self._values(dims):
                mine = tuple(key[i] for i in order)
                groups.setdefault(mine, Group(mine, 0, 0))
            table = build_table(table.dimensions, groups.values(), table.total, table.total_absence_days)
        marks = {tuple(key[i] for i in order): shown for key, shown in self.hidden(dims).items()}
        return _with_hidden(table, marks, self.hidden(()).get((), ""))

    def _values(self, dims: Dims) -> dict[Key, int]:
        """The table's counts; a table of two or more dimensions gets its empty combinations as 0 too."""
        values = dict(self.counts(dims))
        if len(dims) > 1:
            axes = [sorted({k[i] for k in values}) for i in range(len(dims))]
            values = {k: values.get(k, 0) for k in product(*axes)}
        return values

    def _protect(self, dims: Dims, values: dict[Key, int]) -> set[Key]:
        """The line rule against the tables one step coarser, then the exact test against all coarser ones,
        adding a complement per cell it finds until none adds up."""
        lines, margins_hidden = self._lines(dims, values)
        fixed = frozenset(line.margin for line in lines)
        closure = self._closure(dims, values)
        cells: dict[Cell, int] = {key: value for key, value in values.items()}
        hidden: set[Key] = set()
        public: set[Key] = set()  # equal to a number published elsewhere: hiding it protects nothing
        for _ in range(2 * len(values) + 2):
            found = suppress(cells, lines, hidden | margins_hidden, fixed | public)
            hidden = {k for k in found if k in values}
            leaks = self._leaks(hidden, closure)
            if not leaks:
                return hidden
            extra = self._complement(min(leaks, key=str), values, hidden | public, lines, closure)
            if extra is not None:
                hidden.add(extra)
                continue
            # Every cell near it is hidden and it still adds up: it equals numbers published in the
            # coarser tables, so hiding it protects nothing (a small one never gets here: the coarser
            # tables hide it).
            newly = {k for k in leaks if k in values and not small(values[k])} - public
            if not newly:
                break
            public |= newly
            hidden -= public
        return set(values) - public

    def _lines(self, dims: Dims, values: dict[Key, int]) -> tuple[list[Line], set[Cell]]:
        """The table's cells grouped by each table one step coarser, whose cell is the group's margin; and
        the margins those tables hide. Coarser counts that are sums of these are added up, not queried."""
        lines: list[Line] = []
        margins_hidden: set[Cell] = set()
        for step in steps(dims):
            groups = _group(values, step, self.unit_of)
            if step.adds_up(dims):
                sums = {coarse: sum(values[k] for k in cells) for coarse, cells in groups.items()}
                self._counts.setdefault(step.dimensions, {k: v for k, v in sums.items() if v})
            lines += [Line(tuple(cells), (step.dimensions, coarse)) for coarse, cells in groups.items()]
            margins_hidden |= {(step.dimensions, key) for key in self.hidden(step.dimensions)}
        return lines, margins_hidden

    def _closure(self, dims: Dims, keys: Iterable[Key]) -> dict[Dims, dict[Key, Key]]:
        """Every coarser table (transitively), with each of this table's keys mapped to its key there."""
        found: dict[Dims, dict[Key, Key]] = {}
        todo = [(dims, {key: key for key in keys})]
        while todo:
            here, to_here = todo.pop()
            for step in steps(here):
                if step.dimensions not in found:
                    found[step.dimensions] = {k: step.key(c, self.unit_of) for k, c in to_here.items()}
                    todo.append((step.dimensions, found[step.dimensions]))
        return found

    def _leaks(self, hidden: set[Key], closure: Mapping[Dims, Mapping[Key, Key]]) -> set[Cell]:
        """Hidden cells, here and in the coarser tables, that the shown numbers give back."""
        equations: list[list[Cell]] = []
        questions: dict[Cell, frozenset[Cell]] = {key: frozenset({key}) for key in hidden}
        for coarse, to_coarse in closure.items():
            coarse_hidden = self.hidden(coarse)
            groups: dict[Key, list[Cell]] = {key: [] for key in coarse_hidden}
            for key in hidden:
                groups.setdefault(to_coarse[key], []).append(key)
            for key, covered in groups.items():
                if key in coarse_hidden:
                    questions[(coarse, key)] = frozenset(covered)
                else:
                    equations.append(covered)
        return derivable(hidden, equations, questions)

    def _complement(
        self,
        leak: Cell,
        values: dict[Key, int],
        taken: set[Key],
        lines: list[Line],
        closure: Mapping[Dims, Mapping[Key, Key]],
    ) -> Key | None:
        """The cell to hide next so that `leak` stops adding up: the smallest shown cell beside it (in one
        of its lines, or under it when it is a coarser cell), a zero only when no count is left."""
        if leak in values:
            near = {c for line in lines if leak in line.cells for c in line.cells}
        else:
            coarse, key = cast(tuple[Dims, Key], leak)
            under: set[Cell] = {k for k, up in closure[coarse].items() if up == key}
            near = under | {c for line in lines if under & set(line.cells) for c in line.cells}
        free = [c for c in values if c not in taken and (values[c] or not self._known_zero(c, closure))]
        candidates = [c for c in free if c in near] or free
        if not candidates:
            return None
        return min(candidates, key=lambda c: (values[c] == 0, values[c], str(c)))

    def _known_zero(self, key: Key, closure: Mapping[Dims, Mapping[Key, Key]]) -> bool:
        """An empty cell under a shown 0 (counts are never negative): hiding it hides nothing."""
        return any(
            to_coarse[key] not in self.counts(coarse) and to_coarse[key] not in self.hidden(coarse)
            for coarse, to_coarse in closure.items()
        )


def _group(values: Mapping[Key, int], step: Step, unit_of: Mapping[str, str]) -> dict[Key, list[Key]]:
    groups: dict[Key, list[Key]] = {}
    for key in values:
        groups.setdefault(step.key(key, unit_of), []).append(key)
    return groups


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
