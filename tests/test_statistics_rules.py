"""The pure statistics rules: periods, change, and small numbers that totals cannot give away."""

from __future__ import annotations

from datetime import UTC, date, datetime
from itertools import product
from random import Random

from hypothesis import given, settings
from hypothesis import strategies as st

from tests.suppression_oracle import counter, recoverable
from trivsel_tui.domain.statistics import (
    Group,
    SharedRelease,
    Table,
    Timeliness,
    build_table,
    month_number,
    period_key,
    periods_between,
    previous_period,
    protect_timeliness,
    stat_fields,
    suppressed_cells,
)
from trivsel_tui.domain.suppress import COMPLEMENT, SMALL, derivable


def test_month_follows_copenhagen_time_not_utc() -> None:
    # 31 Oct 23:30 UTC is 1 Nov 00:30 in Copenhagen (winter time).
    assert month_number(datetime(2026, 10, 31, 23, 30, tzinfo=UTC)) == 202611
    assert month_number(datetime(2026, 10, 31, 22, 30, tzinfo=UTC)) == 202610


def test_period_keys_and_their_predecessors() -> None:
    assert [period_key(202611, g) for g in ("month", "quarter", "year")] == ["2026-11", "2026-K4", "2026"]
    assert period_key(202601, "quarter") == "2026-K1"
    assert previous_period("2026-01") == "2025-12"
    assert previous_period("2026-K1") == "2025-K4"
    assert previous_period("2026-K3") == "2026-K2"
    assert previous_period("2026") == "2025"
    assert periods_between(date(2025, 11, 15), date(2026, 2, 1), "month") == [
        "2025-11",
        "2025-12",
        "2026-01",
        "2026-02",
    ]
    assert periods_between(date(2025, 11, 15), date(2026, 4, 1), "quarter") == ["2025-K4", "2026-K1", "2026-K2"]


def test_stat_fields_from_a_classification() -> None:
    fields = stat_fields(
        datetime(2026, 3, 1, 12, tzinfo=UTC),
        {
            "types": ["physical_violence", "threat"],
            "categories": ["violence_threats"],
            "insurance_report": "work_accident",
            "police_report": {"relevant": True, "deadline": None},
        },
    )
    assert fields == {
        "occurred_month": 202603,
        "categories": ",violence_threats,",
        "types": ",physical_violence,threat,",
        "insurance_report": "work_accident",
        "police_relevant": True,
    }
    assert stat_fields(datetime(2026, 3, 1, tzinfo=UTC), None)["police_relevant"] is None


def test_change_against_the_previous_period_counts_an_empty_period_as_zero() -> None:
    groups = [Group(("2026-09",), 5, 10), Group(("2026-11",), 8, 0)]
    table = build_table(("month",), groups, 13, 10, all_periods=["2026-09", "2026-10", "2026-11"])
    assert [(r.keys[0], r.episodes, r.change) for r in table.rows] == [
        ("2026-09", 5, None),  # nothing known before the selection
        ("2026-10", 0, -5),
        ("2026-11", 8, 8),
    ]


def test_change_per_other_key_in_a_two_dimensional_table() -> None:
    groups = [Group(("a", "2026-K3"), 6), Group(("a", "2026-K4"), 9), Group(("b", "2026-K4"), 7)]
    table = build_table(("category", "quarter"), groups, 22, 0)
    changes = {r.keys: r.change for r in table.rows}
    assert changes[("a", "2026-K4")] == 3
    assert changes[("b", "2026-K4")] == 7, "b had none in K3, which is in the table"
    assert changes[("a", "2026-K3")] is None


def protect(table: Table) -> Table:
    """`table` shared alone (its cells are the only counts there are)."""
    cells = {row.keys: row.episodes for row in table.rows}

    def count(dimensions: tuple[str, ...]) -> dict[tuple[str, ...], int]:
        return cells if dimensions else {(): table.total}

    return SharedRelease(count, {}).table(table)


def test_one_small_cell_gets_a_complement_so_the_total_does_not_reveal_it() -> None:
    groups = [Group(("Jobcenter",), 12, 30), Group(("Skolen",), 7, 2), Group(("Plejecenter",), 3, 9)]
    shared = protect(build_table(("workplace",), groups, 22, 41))
    shown = {r.keys[0]: shared.cell(r) for r in shared.rows}
    assert shown == {"Jobcenter": 12, "Skolen": COMPLEMENT, "Plejecenter": SMALL}
    assert shared.total_cell() == 22
    absence = {r.keys[0]: shared.absence(r) for r in shared.rows}
    assert absence == {"Jobcenter": 30, "Skolen": COMPLEMENT, "Plejecenter": SMALL}


def test_the_consultants_own_view_keeps_exact_numbers() -> None:
    table = build_table(("workplace",), [Group(("A",), 3), Group(("B",), 9)], 12, 0)
    assert [table.cell(r) for r in table.rows] == [3, 9]


def test_a_small_total_is_hidden_too() -> None:
    shared = protect(build_table(("workplace",), [Group(("A",), 2), Group(("B",), 1)], 3, 0))
    assert shared.total_cell() == SMALL
    assert [shared.cell(r) for r in shared.rows] == [SMALL, SMALL]


def test_change_is_hidden_when_it_would_give_a_hidden_count_back() -> None:
    groups = [Group(("2026-10",), 3), Group(("2026-11",), 20), Group(("2026-12",), 30)]
    shared = protect(build_table(("month",), groups, 53, 0))
    by_month = {r.keys[0]: (shared.cell(r), shared.change(r)) for r in shared.rows}
    assert by_month["2026-10"] == (SMALL, None)
    assert by_month["2026-11"] == (COMPLEMENT, COMPLEMENT)
    assert by_month["2026-12"] == (30, COMPLEMENT), "30 minus the change would give the hidden 20"


def test_timeliness_parts_are_protected_per_kind() -> None:
    rows = [Timeliness("insurance_report", 40, 3, 10, 6), Timeliness("police_report", 9, 0, 0, 0)]
    hidden = protect_timeliness(rows)
    assert hidden[("insurance_report", "late")] == SMALL
    assert hidden[("insurance_report", "pending")] == COMPLEMENT
    assert ("police_report", "on_time") not in hidden


cells_1d = st.dictionaries(st.text("abcdef", min_size=1, max_size=2), st.integers(0, 30), min_size=1, max_size=8)


@given(cells_1d)
def test_no_hidden_cell_can_be_recovered_from_the_total(cells: dict[str, int]) -> None:
    keyed = {(k,): v for k, v in cells.items()}
    hidden, total_mark = suppressed_cells(keyed, sum(cells.values()))
    assert all(k in hidden for k, v in keyed.items() if 0 < v < 5), "every 1–4 is hidden"
    non_zero_hidden = [k for k in hidden if keyed[k] > 0]
    assert total_mark or len(non_zero_hidden) != 1, "total minus the shown cells would give the one hidden cell"


@given(st.lists(st.integers(0, 12), min_size=6, max_size=6))
def test_no_line_of_a_two_dimensional_table_reveals_a_hidden_cell(values: list[int]) -> None:
    keys = list(product(("a", "b"), ("2026-K1", "2026-K2", "2026-K3")))
    cells = dict(zip(keys, values, strict=True))
    hidden, _ = suppressed_cells(cells)
    for axis in (0, 1):
        lines: dict[str, list[tuple[str, ...]]] = {}
        for key in cells:
            lines.setdefault(key[1 - axis], []).append(key)
        for line in lines.values():
            hidden_here = [k for k in line if k in hidden and cells[k] > 0]
            has_candidate = any(cells[k] > 0 for k in line if k not in hidden)
            assert len(hidden_here) != 1 or not has_candidate


UNITS = {"Plejehjem": "Ældrepleje", "Hjemmepleje": "Ældrepleje", "Skolen": "Skole", "Jobcenter": "Job"}


def release_of(cells: dict[tuple[str, str], int], unit_of: dict[str, str] = UNITS) -> SharedRelease:
    """A selection's release over episodes counted by (workplace, month)."""
    return SharedRelease(counter(cells, unit_of), unit_of)


def shown_by(release: SharedRelease, cells: dict[tuple[str, str], int], dims: tuple[str, ...]) -> dict[str, object]:
    table_counts = counter(cells, UNITS)(dims)
    groups = [Group(k, n) for k, n in table_counts.items()]
    table = release.table(build_table(dims, groups, sum(cells.values()), 0))
    return {"/".join(r.keys): table.cell(r) for r in table.rows}


def test_a_hidden_workplace_cannot_be_got_back_from_its_units_count() -> None:
    # Protected alone, the workplace table hides Plejehjem (3) and, as its complement, Skolen (6): the
    # unit table then shows Ældrepleje = 13 and Hjemmepleje = 10, so 13 - 10 gives Plejehjem's 3 back.
    cells = {("Plejehjem", "2026-01"): 3, ("Hjemmepleje", "2026-01"): 10, ("Skolen", "2026-01"): 6}
    cells |= {("Jobcenter", "2026-01"): 20}
    alone, _ = suppressed_cells({(w,): n for (w, _), n in cells.items()}, 39)
    assert set(alone) == {("Plejehjem",), ("Skolen",)}, "the leak this guards against"
    release = release_of(cells)
    shown = shown_by(release, cells, ("workplace",))
    assert shown["Plejehjem"] == SMALL
    assert shown["Hjemmepleje"] == COMPLEMENT, "the other workplace under the same unit is hidden with it"
    assert shown_by(release, cells, ("unit",))["Ældrepleje"] == 13


def test_a_workplace_quarter_cell_cannot_be_got_back_from_the_workplace_and_quarter_tables() -> None:
    # `trivsel stats --by workplace,quarter --shareable` protected its table alone and hid Hjemmepleje K1 (4),
    # Jobcenter K1 (4) and, as their complement, Jobcenter K2 (12): two hidden cells in every line. But the
    # quarter table shared beside it shows K2 = 12, Jobcenter's only K2 cell, so the workplace table's
    # Jobcenter = 16 gives Jobcenter K1 = 16 - 12 = 4, and the quarter table's K1 = 18 gives Hjemmepleje
    # K1 = 18 - 10 - 4 = 4.
    cells = {("Hjemmepleje", "2026-01"): 4, ("Skolen", "2026-01"): 10}
    cells |= {("Jobcenter", "2026-01"): 4, ("Jobcenter", "2026-04"): 12}
    count = counter(cells, UNITS)
    alone, _ = suppressed_cells(count(("workplace", "quarter")))
    assert set(alone) == {("Hjemmepleje", "2026-K1"), ("Jobcenter", "2026-K1"), ("Jobcenter", "2026-K2")}
    one_dimensional = {("quarter",): {}, ("workplace",): {("Hjemmepleje",): SMALL, ("Skolen",): COMPLEMENT}}
    old = {("workplace", "quarter"): alone, **one_dimensional}
    assert (("workplace", "quarter"), ("Jobcenter", "2026-K1")) in recoverable(cells, UNITS, old), "the old leak"
    release = release_of(cells)
    tables = [("workplace", "quarter"), ("workplace",), ("quarter",), ("unit",), ("unit", "quarter"), ()]
    published = {dims: release.hidden(dims) for dims in tables}
    assert published[("workplace", "quarter")][("Jobcenter", "2026-K1")] == SMALL
    assert recoverable(cells, UNITS, published) == []
    shown = shown_by(release, cells, ("quarter", "workplace"))  # either order of --by: the same table
    assert (shown["2026-K1/Jobcenter"], shown["2026-K2/Jobcenter"], shown["2026-K2/Hjemmepleje"]) == (
        SMALL,
        COMPLEMENT,
        0,
    )


periods = st.sampled_from(["2026-01", "2026-02", "2026-04", "2026-05", "2027-01"])
small_counts = st.dictionaries(st.tuples(st.sampled_from(sorted(UNITS)), periods), st.integers(0, 12), min_size=1)
TWO_DIMENSIONAL = [
    ("workplace", "month"),
    ("workplace", "quarter"),
    ("workplace", "year"),
    ("unit", "month"),
    ("unit", "quarter"),
    ("unit", "year"),
]
ONE_DIMENSIONAL = [("workplace",), ("unit",), ("month",), ("quarter",), ("year",), ()]


@settings(max_examples=150, deadline=None)
@given(small_counts, st.lists(st.sampled_from(TWO_DIMENSIONAL), max_size=3, unique=True), st.randoms())
def test_no_hidden_cell_of_tables_shared_together_can_be_got_back(
    cells: dict[tuple[str, str], int], extra: list[tuple[str, ...]], order: Random
) -> None:
    """The screen's, the report's and the exports' tables of one selection, with any --by tables, asked
    for in any order (each output builds its own release): no hidden number adds up from shown ones, every
    line with a hidden cell hides two or its margin, and each table hides the same cells in every output."""
    wanted = [*ONE_DIMENSIONAL, *extra]
    order.shuffle(wanted)
    release = release_of(cells)
    published = {dims: release.hidden(dims) for dims in wanted}
    for (workplace, month), n in cells.items():
        if 0 < n < 5:
            assert published.get(("workplace", "month"), {(workplace, month): SMALL})[(workplace, month)] == SMALL
    assert recoverable(cells, UNITS, published) == []
    alone = release_of(cells)
    assert all(alone.hidden(dims) == hidden for dims, hidden in published.items()), "the same in every output"
    for dims in extra:
        _each_line_hides_two_or_its_margin(release, dims)


def _each_line_hides_two_or_its_margin(release: SharedRelease, dims: tuple[str, ...]) -> None:
    values = release.counts(dims)
    hidden = release.hidden(dims)
    for axis in range(len(dims)):
        margin_dims = dims[:axis] + dims[axis + 1 :]
        margin_hidden = release.hidden(margin_dims)
        lines: dict[tuple[str, ...], list[tuple[str, ...]]] = {}
        for key in {*values, *hidden}:  # a hidden zero counts: the reader cannot tell it from a small one
            lines.setdefault(key[:axis] + key[axis + 1 :], []).append(key)
        for margin, line in lines.items():
            hidden_here = [k for k in line if k in hidden]
            assert len(hidden_here) != 1 or margin in margin_hidden, (dims, margin, hidden_here)


def test_elimination_finds_a_cell_between_two_hidden_blocks() -> None:
    """Two 2×2 blocks of hidden cells joined by one hidden cell: every row and column hides two or more,
    yet the joining cell is rows 1–2 minus columns 1–2 — the line rule alone would miss it."""
    block_a = [(r, c) for r in "12" for c in "12"]
    block_b = [(r, c) for r in "34" for c in "34"]
    bridge = ("2", "3")
    unknowns = [*block_a, *block_b, bridge]
    rows = [[u for u in unknowns if u[0] == r] for r in "1234"]
    columns = [[u for u in unknowns if u[1] == c] for c in "1234"]
    questions = {u: frozenset({u}) for u in unknowns}
    assert derivable(unknowns, rows + columns, questions) == {bridge}
