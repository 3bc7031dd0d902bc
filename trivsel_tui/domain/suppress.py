"""Protection of small numbers across tables that are shared together. Pure: no SQL, no Textual.

A count of 1–4 is hidden ("<5"). A reader who sees several tables of the same episodes can subtract:
a unit minus its shown workplaces, a quarter minus its shown months, a workplace's total minus its shown
quarters. Two tools keep that from working:

- `suppress`: the fast rule per line (cells that add up to a margin): a line whose margin is shown hides
  none or at least two of its non-zero cells; a line whose margin is hidden does not show all of them.
- `derivable`: the exact test. The hidden cells are unknowns; every shown number that covers some of them
  is an equation. A hidden number can be got back by subtraction exactly when its unknowns are a linear
  combination of the equations — which line rules alone cannot rule out (two blocks of hidden cells joined
  by one cell give that cell back). Solved by elimination modulo a large prime: exact for 0/1 equations
  of this size unless the prime divides a minor, which for sums of a few thousand cells it cannot in
  practice.
"""

from __future__ import annotations

from collections.abc import Hashable, Iterable, Mapping, Sequence
from dataclasses import dataclass

SMALL_LIMIT = 5
SMALL = "<5"
COMPLEMENT = "skjult"

Cell = Hashable
_PRIME = (1 << 61) - 1


def small(value: int) -> bool:
    return 0 < value < SMALL_LIMIT


def mark(value: int) -> str:
    """How a cell that must be hidden is shown: "<5" only when that is true."""
    return SMALL if small(value) else COMPLEMENT


@dataclass(frozen=True)
class Line:
    """Cells that add up to a margin a reader can see: a published cell, or None for a number known
    from elsewhere that cannot be hidden here."""

    cells: tuple[Cell, ...]
    margin: Cell | None = None


def suppress(
    values: Mapping[Cell, int],
    lines: Sequence[Line],
    hidden: Iterable[Cell] = (),
    fixed: frozenset[Cell] = frozenset(),
) -> set[Cell]:
    """The cells to hide: the small ones and `hidden`, then complements until no line gives one back.

    A line whose margin is shown must hide none or at least two of its non-zero cells; a line whose
    margin is hidden must not show all its non-zero cells either, or their sum would give it back. The
    complement is the visible non-zero cell that leaves the fewest other lines with a single hidden cell
    (so hidden cells close up in rectangles instead of spreading), the smallest of those; the margin itself
    when there is none. Cells in `fixed` (published in a table protected before this one) are never added.
    """
    result = {cell for cell, value in values.items() if small(value) and cell not in fixed} | set(hidden)
    lines_of: dict[Cell, list[int]] = {}
    for i, line in enumerate(lines):
        for cell in line.cells:
            lines_of.setdefault(cell, []).append(i)
    count = [sum(1 for c in line.cells if values[c] > 0 and c in result) for line in lines]

    def margin_hidden(line: Line) -> bool:
        return line.margin is not None and line.margin in result

    def needs_more(i: int) -> bool:
        if margin_hidden(lines[i]):
            return count[i] == 0 and any(values[c] > 0 for c in lines[i].cells)
        return count[i] == 1

    def opened(cell: Cell, here: int) -> int:
        return sum(1 for i in lines_of[cell] if i != here and count[i] == 0 and not margin_hidden(lines[i]))

    def hide(cell: Cell) -> None:
        result.add(cell)
        for i in lines_of.get(cell, ()):
            count[i] += values[cell] > 0

    changed = True
    while changed:
        changed = False
        for i, line in enumerate(lines):
            if not needs_more(i):
                continue
            candidates = [c for c in line.cells if values[c] > 0 and c not in result and c not in fixed]
            if candidates:
                hide(min(candidates, key=lambda c: (opened(c, i), values[c], str(c))))
            elif line.margin is not None and not margin_hidden(line) and line.margin not in fixed:
                hide(line.margin)
            else:
                continue
            changed = True
    return result


def derivable(
    unknowns: Iterable[Cell], equations: Iterable[Iterable[Cell]], questions: Mapping[Cell, frozenset[Cell]]
) -> set[Cell]:
    """Which hidden numbers a reader can work out by adding and subtracting shown ones.

    `unknowns`: the hidden cells of the finest table (everything else a reader sees is a sum of them and
    of shown cells). `equations`: for each shown number, the unknowns it covers (its value minus the shown
    cells under it is their sum). `questions`: each hidden number and the unknowns it covers; it is
    derivable when that set is a combination of the equations (an empty set: it is the sum of shown cells).
    """
    index = {cell: i for i, cell in enumerate(unknowns)}
    basis: dict[int, dict[int, int]] = {}  # pivot → row with that pivot as its smallest index, pivot coefficient 1
    for equation in equations:
        row = _reduce({index[c]: 1 for c in equation}, basis)
        if row:
            pivot = min(row)
            inverse = pow(row[pivot], _PRIME - 2, _PRIME)
            basis[pivot] = {k: v * inverse % _PRIME for k, v in row.items()}
    return {cell for cell, covers in questions.items() if not _reduce({index[c]: 1 for c in covers}, basis)}


def _reduce(row: dict[int, int], basis: Mapping[int, Mapping[int, int]]) -> dict[int, int]:
    """`row` minus multiples of the basis rows, until none of its indices is a pivot."""
    row = dict(row)
    while True:
        pivot = next((k for k in sorted(row) if k in basis), None)
        if pivot is None:
            return row
        factor = row[pivot]
        for k, v in basis[pivot].items():
            value = (row.get(k, 0) - factor * v) % _PRIME
            if value:
                row[k] = value
            else:
                row.pop(k, None)
