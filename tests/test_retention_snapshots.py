"""How the retention screen looks at 120×40 and 80×24: the rule and its source, a due case, a case on hold,
and the hold dialog. SVG snapshots: update with `pytest --snapshot-update -k retention_screen`."""

from __future__ import annotations

from dataclasses import replace
from datetime import timedelta
from typing import Any

import pytest

from tests.conftest import NOW
from tests.test_retention import make_case
from tests.test_statistics_snapshots import keys
from trivsel_tui.app import TrivselApp
from trivsel_tui.domain.rules import Rules
from trivsel_tui.settings import Settings
from trivsel_tui.store.cases import set_case_status
from trivsel_tui.store.retention import set_hold
from trivsel_tui.store.store import Store

LATER = NOW + timedelta(days=365 * 21)


@pytest.mark.parametrize("size", [(120, 40), (80, 24)], ids=["120x40", "80x24"])
@pytest.mark.parametrize("pressed", [("b", "down"), ("b", "down", "down", "t")], ids=["list", "hold_dialog"])
def test_retention_screen(
    snap_compare: Any, store: Store, settings: Settings, rules: Rules, size: tuple[int, int], pressed: tuple[str, ...]
) -> None:
    due = make_case(store)
    held = make_case(store, "Holdt Tilbage", "Sag med retssag", "Ingen")
    make_case(store, "Stadig Åben", "Åben sag", "Ingen")
    for case_id in (due, held):
        set_case_status(store, case_id, "closed", "Afsluttet")
    set_hold(store, held, "archival_duty", "Rigsarkivet har bedt om sagen")
    # demo=True: the subtitle does not show the test's temporary database path; no backup reminder on top.
    quiet = replace(settings, backup_reminder_days=0)
    app = TrivselApp(store=store, settings=quiet, rules=rules, clock=lambda: LATER, demo=True)
    assert snap_compare(app, run_before=keys(*pressed), terminal_size=size)
