"""How the meeting's presentation view looks at 80×24 and 120×40, in colour and with NO_COLOR=1:
a case item with its facts, deadlines (overdue spelt out, not only coloured) and a hidden narrative."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest

from tests.conftest import NOW, settle
from tests.meeting_data import build, case_ref
from trivsel_tui.app import TrivselApp
from trivsel_tui.domain.rules import Rules
from trivsel_tui.messages import OpenMeeting
from trivsel_tui.settings import Settings
from trivsel_tui.store.meetings import create_meeting
from trivsel_tui.store.store import Store

Snap = Callable[..., bool]


@pytest.mark.parametrize("colour", [True, False], ids=["colour", "no_color"])
@pytest.mark.parametrize("size", [(120, 40), (80, 24)], ids=["120x40", "80x24"])
def test_presentation_view(
    snap_compare: Snap,
    store: Store,
    settings: Settings,
    rules: Rules,
    monkeypatch: pytest.MonkeyPatch,
    size: tuple[int, int],
    colour: bool,
) -> None:
    if not colour:
        monkeypatch.setenv("NO_COLOR", "1")
    data = build(store, rules)
    meeting_id = create_meeting(store, rules, data.body, NOW.date(), data.attendees, NOW)
    heading = f"Sag {case_ref(store, data.citizen_case)}"
    app = TrivselApp(store=store, settings=settings, rules=rules, clock=lambda: NOW, demo=True)

    async def run(pilot: Any) -> None:
        await settle(pilot.app, pilot)
        pilot.app.post_message(OpenMeeting(meeting_id))
        await settle(pilot.app, pilot)
        for _ in range(10):
            if str(pilot.app.screen.query_one("#meeting-heading").render()) == heading:
                break
            await pilot.press("right")
            await settle(pilot.app, pilot)
        await settle(pilot.app, pilot)

    assert snap_compare(app, terminal_size=size, run_before=run)


def test_overdue_dates_stay_readable_without_colour(monkeypatch: pytest.MonkeyPatch) -> None:
    """Issue 14: with NO_COLOR=1 the dashboard's overdue dates were dark grey on near-black (1.4:1)."""
    from rich.style import Style
    from textual.color import Color
    from textual.filter import monochrome_style

    from trivsel_tui.domain.due import DUE_SOON, OVERDUE
    from trivsel_tui.widgets.cells import due_style

    monkeypatch.setenv("NO_COLOR", "1")
    background = Color.parse("#1e1e1e")  # the dark theme's table background
    for state in (OVERDUE, DUE_SOON):
        colour = monochrome_style(Style.parse(due_style(state))).color
        # No colour of its own: drawn in the terminal's foreground, the highest contrast there is.
        shown = Color.parse("#e0e0e0") if colour is None else Color.from_rich_color(colour)
        assert contrast(shown, background) >= 4.5, state


def contrast(one: Any, other: Any) -> float:
    def luminance(colour: Any) -> float:
        def channel(value: int) -> float:
            v = value / 255
            return v / 12.92 if v <= 0.03928 else ((v + 0.055) / 1.055) ** 2.4

        return 0.2126 * channel(colour.r) + 0.7152 * channel(colour.g) + 0.0722 * channel(colour.b)

    high, low = sorted((luminance(one), luminance(other)), reverse=True)
    return (high + 0.05) / (low + 0.05)
