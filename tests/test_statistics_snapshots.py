"""How the statistics screen looks, in colour and with NO_COLOR=1 (table beside its chart, the own-use
marking, and the shareable view with <5). SVG snapshots: update with `pytest --snapshot-update -k statistics`."""

from __future__ import annotations

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
