"""How the statistics screen looks, in colour and with NO_COLOR=1 (table beside its chart, the own-use
marking, and the shareable view with <5). SVG snapshots: update with `pytest --snapshot-update -k statistics`."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

import pytest

from tests import statistics_data as known
from tests.conftest import NOW, settle
from trivsel_tui.app import TrivselApp
from trivsel_tui.domain.rules import Rules
from trivsel_tui.settings import Settings
from trivsel_tui.store.store import Store


def app_on_known_data(store: Store, settings: Settings, rules: Rules) -> TrivselApp:
    known.build(store, rules)
    return app_on(store, settings, rules)


def app_on(store: Store, settings: Settings, rules: Rules) -> TrivselApp:
    # demo=True: the subtitle does not show the test's temporary database path.
    return TrivselApp(store=store, settings=settings, rules=rules, clock=lambda: NOW, demo=True)


def keys(*pressed: str) -> Any:
    async def run_before(pilot: Any) -> None:
        for key in pressed:
            await pilot.press(key)
            await settle(pilot.app, pilot)

    return run_before


@pytest.mark.parametrize(
    ("size", "no_color"),
    [((120, 40), False), ((80, 24), False), ((120, 40), True)],
    ids=["120x40", "80x24", "120x40_no_color"],
)
@pytest.mark.parametrize(
    "pressed",
    [("v",), ("v", "7", "d")],
    ids=["by_month_for_own_use", "by_workplace_shareable"],
)
def test_statistics_screen(
    snap_compare: Any,
    store: Store,
    settings: Settings,
    rules: Rules,
    monkeypatch: pytest.MonkeyPatch,
    pressed: tuple[str, ...],
    size: tuple[int, int],
    no_color: bool,
) -> None:
    if no_color:
        monkeypatch.setenv("NO_COLOR", "1")
    app = app_on_known_data(store, settings, rules)
    assert snap_compare(app, run_before=keys(*pressed), terminal_size=size)


def test_month_chart_bars_stay_apart_at_80_columns_without_colour(
    snap_compare: Any, store: Store, settings: Settings, rules: Rules, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Twelve months in the 80-column chart: each bar has two or three columns, and without colour the
    bars ran into one block; neighbours now alternate full and shaded blocks."""
    monkeypatch.setenv("NO_COLOR", "1")
    skolen = known.build(store, rules)[known.SKOLEN]
    for month in range(9):  # December 2025 to August 2026, one to three episodes each
        when = datetime(2025, 12, 10, 9, tzinfo=UTC) + timedelta(days=31 * month)
        for _ in range(month % 3 + 1):
            known.add_episode(store, rules, skolen, when, "ridicule", "colleague")
    assert snap_compare(app_on(store, settings, rules), run_before=keys("v"), terminal_size=(80, 24))
