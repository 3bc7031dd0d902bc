"""Human case references: YYYY-NNNN, a running number per year (more digits when needed)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from sqlalchemy import text

from trivsel_tui.store.dialect import lock_case_numbers


def format_ref(year: int, number: int) -> str:
    return f"{year}-{number:04d}"


def last_ref_number(connection: Any, year: int) -> int:
    """The highest running number used in `year` (0 if none). Call inside a write transaction: the
    numbers stay locked until it ends, so two consultants never draw the same one."""
    lock_case_numbers(connection)
    rows = connection.execute(text('SELECT ref FROM "case" WHERE ref LIKE :prefix'), {"prefix": f"{year}-%"})
    numbers = [int(ref.split("-", 1)[1]) for (ref,) in rows if ref.split("-", 1)[1].isdigit()]
    return max(numbers, default=0)


class RefCounter:
    """Hands out the next reference per year, asking the database once per year."""

    def __init__(self, last_used: Callable[[int], int]) -> None:
        self._last_used = last_used
        self._next: dict[int, int] = {}

    def next(self, year: int) -> str:
        if year not in self._next:
            self._next[year] = self._last_used(year) + 1
        number = self._next[year]
        self._next[year] = number + 1
        return format_ref(year, number)
