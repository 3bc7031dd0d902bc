"""The pure statistics rules: periods, change, and small numbers that totals cannot give away."""

from __future__ import annotations

from datetime import UTC, date, datetime
from itertools import product

from hypothesis import given
from hypothesis import strategies as st

from trivsel_tui.domain.statistics import (
    COMPLEMENT,
    SMALL,
    Group,
    Table,
    Timeliness,
    build_table,
    month_number,
    period_key,
    periods_between,
    previous_period,
    protect,
    protect_hierarchy,
    protect_timeliness,
    stat_fields,
    suppressed_cells,
)


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


def _hierarchy(workplaces: dict[str, tuple[str, int]]) -> tuple[Table, Table]:
    """Unit and workplace tables for {workplace: (unit, episodes)}, protected together."""
    units: dict[str, int] = {}
    for unit, count in workplaces.values():
        units[unit] = units.get(unit, 0) + count
    total = sum(units.values())
    unit_table = build_table(("unit",), [Group((u,), n) for u, n in units.items()], total, 0)
    workplace_table = build_table(("workplace",), [Group((w,), n) for w, (_, n) in workplaces.items()], total, 0)
    return protect_hierarchy(unit_table, workplace_table, {w: u for w, (u, _) in workplaces.items()})


def test_a_hidden_workplace_cannot_be_got_back_from_its_units_count() -> None:
    # Protected alone, the workplace table hides Plejehjem (3) and, as its complement, Skolen (6): the
    # unit table then shows Ældrepleje = 13 and Hjemmepleje = 10, so 13 - 10 gives Plejehjem's 3 back.
    workplaces = {"Plejehjem": ("Ældrepleje", 3), "Hjemmepleje": ("Ældrepleje", 10), "Skolen": ("Skole", 6)}
    workplaces |= {"Jobcenter": ("Job", 20)}
    alone = protect(build_table(("workplace",), [Group((w,), n) for w, (_, n) in workplaces.items()], 39, 0))
    assert {r.keys[0] for r in alone.rows if r.hidden} == {"Plejehjem", "Skolen"}, "the leak this guards against"
    units, shared = _hierarchy(workplaces)
    shown = {r.keys[0]: shared.cell(r) for r in shared.rows}
    assert shown["Plejehjem"] == SMALL
    assert shown["Hjemmepleje"] == COMPLEMENT, "the other workplace under the same unit is hidden with it"
    assert {r.keys[0]: units.cell(r) for r in units.rows}["Ældrepleje"] == 13


hierarchies = st.dictionaries(
    st.text("abcdefgh", min_size=1, max_size=2), st.tuples(st.sampled_from("XYZ"), st.integers(0, 25)), min_size=1
)


@given(hierarchies)
def test_no_shown_unit_gives_back_one_hidden_workplace(workplaces: dict[str, tuple[str, int]]) -> None:
    units, shared = _hierarchy(workplaces)
    unit_shown = {r.keys[0]: units.cell(r) for r in units.rows}
    hidden = {r.keys[0] for r in shared.rows if r.hidden and r.episodes > 0}
    assert all(w in hidden for w, (_, n) in workplaces.items() if 0 < n < 5)
    for unit, count in unit_shown.items():
        inside = [w for w, (u, _) in workplaces.items() if u == unit]
        if isinstance(count, int):
            assert len([w for w in inside if w in hidden]) != 1, f"{unit} minus its shown workplaces"
        else:
            assert any(w in hidden for w in inside if workplaces[w][1] > 0), f"{unit}'s workplaces add up to it"
