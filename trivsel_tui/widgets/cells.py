"""Table cells: user text is never parsed as markup, and due dates carry a symbol as well as a colour."""

from __future__ import annotations

from datetime import datetime

from rich.text import Text

from trivsel_tui.domain.clock import danish_short, relative_days


def plain(value: object) -> Text:
    return Text("" if value is None else str(value))


def due_cell(due: datetime | None, now: datetime, soon_days: int) -> Text:
    """'▲ 3 dage over · 20-11-2026 10:00' in red; '● om 2 dage' in yellow; plain otherwise."""
    if due is None:
        return Text("–")
    label = f"{relative_days(due, now)} · {danish_short(due)}"
    if due < now:
        return Text(f"▲ {label}", style="bold red")
    if (due - now).total_seconds() <= soon_days * 86_400:
        return Text(f"● {label}", style="yellow")
    return Text(f"  {label}")
