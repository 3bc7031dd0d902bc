"""An independent check of shared statistics: can any hidden number be got back by subtraction?

Written without the production code's elimination: every published cell is a sum of the finest cells
(workplace × month); shown cells are equations, a shown 0 makes every cell under it known (counts are
never negative), and a hidden cell can be got back exactly when its sum is in the span of the equations
(rank with exact fractions).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from fractions import Fraction
from itertools import product

from trivsel_tui.domain.statistics import period_key


def attributes(workplace: str, month: str, unit_of: Mapping[str, str]) -> dict[str, str]:
    quarter = period_key(int(month[:4]) * 100 + int(month[5:]), "quarter")
    return {"workplace": workplace, "unit": unit_of[workplace], "month": month, "quarter": quarter, "year": month[:4]}


def counter(cells: Mapping[tuple[str, str], int], unit_of: Mapping[str, str]):  # type: ignore[no-untyped-def]
    """Counts by any dimensions, from episodes counted by (workplace, month)."""

    def count(dimensions: Sequence[str]) -> dict[tuple[str, ...], int]:
        out: dict[tuple[str, ...], int] = {}
        for (workplace, month), n in cells.items():
            where = attributes(workplace, month, unit_of)
            key = tuple(where[d] for d in dimensions)
            out[key] = out.get(key, 0) + n
        return {k: v for k, v in out.items() if v} if dimensions else {(): out.get((), 0)}

    return count


def _rank(rows: list[list[Fraction]]) -> int:
    rows = [r[:] for r in rows if any(r)]
    rank, width = 0, len(rows[0]) if rows else 0
    for column in range(width):
        pivot = next((i for i in range(rank, len(rows)) if rows[i][column]), None)
        if pivot is None:
            continue
        rows[rank], rows[pivot] = rows[pivot], rows[rank]
        for i in range(len(rows)):
            if i != rank and rows[i][column]:
                factor = rows[i][column] / rows[rank][column]
                rows[i] = [a - factor * b for a, b in zip(rows[i], rows[rank], strict=True)]
        rank += 1
    return rank


def recoverable(
    cells: Mapping[tuple[str, str], int],
    unit_of: Mapping[str, str],
    published: Mapping[tuple[str, ...], Mapping[tuple[str, ...], str]],
) -> list[tuple[tuple[str, ...], tuple[str, ...]]]:
    """(table, key) of every hidden cell a reader of all `published` tables ({dims: hidden keys}) can get back."""
    atoms = list(product(sorted(unit_of), sorted({m for _, m in cells})))
    count = counter(cells, unit_of)
    rows: list[list[Fraction]] = []
    questions = []
    for dims, hidden in published.items():
        values = count(dims)
        groups: dict[tuple[str, ...], list[int]] = {}
        for i, (workplace, month) in enumerate(atoms):
            where = attributes(workplace, month, unit_of)
            groups.setdefault(tuple(where[d] for d in dims), []).append(i)
        for key, under in groups.items():
            vector = [Fraction(int(i in under)) for i in range(len(atoms))]
            if key in hidden:
                questions.append(((dims, key), vector))
            elif values.get(key, 0) == 0:
                rows += [[Fraction(int(i == j)) for i in range(len(atoms))] for j in under]
            else:
                rows.append(vector)
    base = _rank(rows)
    return [where for where, vector in questions if _rank([*rows, vector]) == base]
