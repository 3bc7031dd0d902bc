"""Table cells: user text is never parsed as markup, and due dates carry a symbol as well as a colour."""

from __future__ import annotations

from datetime import datetime

from rich.text import Text

from trivsel_tui.domain.clock import danish_short, relative_days
from trivsel_tui.domain.due import DUE_SOON, MARKERS, OVERDUE, due_state

STYLES = {OVERDUE: "bold red", DUE_SOON: "yellow"}


def plain(value: object) -> Text:
    return Text("" if value is None else str(value))


def due_cell(due: datetime | None, now: datetime, soon_days: int, label: str | None = None) -> Text:
    """'▲ 3 dage over · 20-11-2026 10:00' in red; '● om 2 dage …' in yellow; plain otherwise.

    The state comes from domain.due, the one rule every screen and `trivsel due` use.
    """
    if due is None:
        return Text("–")
    state = due_state(due, now, soon_days)
    text = label if label is not None else f"{relative_days(due, now)} · {danish_short(due)}"
    return Text(f"{MARKERS[state]} {text}", style=STYLES.get(state, ""))
