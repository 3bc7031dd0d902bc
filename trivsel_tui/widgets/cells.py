"""How text reaches the screen: user text is shown literally, and due dates carry a symbol as well as a colour.

Textual parses a plain `str` given to Static, Label, Select, OptionList, notifications and palette hits as
markup, so `[@click=app.quit]` would run and `Skolen [/` would crash. User text is therefore only ever
passed on as a `Content` or rich `Text` built here, with control characters made visible (old rows may
still hold them; new ones are cleaned by the store).
"""

from __future__ import annotations

import os
from datetime import datetime

from rich.text import Text
from textual.content import Content

from trivsel_tui.domain.clock import danish_short, relative_days
from trivsel_tui.domain.control_chars import visible_controls
from trivsel_tui.domain.due import DUE_SOON, MARKERS, OVERDUE, URGENT, countdown, due_state
from trivsel_tui.texts import t

COLOUR_STYLES = {OVERDUE: "bold red", URGENT: "bold yellow", DUE_SOON: "yellow"}
# With NO_COLOR=1 Textual greys every colour by its brightness: bold red became dark grey on black,
# the least readable rows on screen. Without colour the marker (▲ ◆ ●) and bold carry the state.
PLAIN_STYLES = {OVERDUE: "bold", URGENT: "bold"}


def due_style(state: str) -> str:
    """The style of a due state: red and yellow, or only bold when the user asked for no colour."""
    return (PLAIN_STYLES if os.environ.get("NO_COLOR") else COLOUR_STYLES).get(state, "")


def alarm_style() -> str:
    """What is overdue or missing: bold red, or bold when the user asked for no colour."""
    return due_style(OVERDUE)


def shown(value: object) -> str:
    """Any value as a string that is safe to write to the terminal (no control characters)."""
    return visible_controls("" if value is None else str(value))


def plain(value: object, style: str = "") -> Text:
    """A table cell (or other rich text) that shows `value` literally."""
    return Text(shown(value), style=style)


def literal(value: object) -> Content:
    """Content for a Static, Label, Select option or toast that shows `value` literally."""
    return Content(shown(value))


def safe(text: Text) -> Text:
    """The same rich text with any control character in it made visible (styles stay where they were)."""
    text.plain = shown(text.plain)  # one character for one: span offsets stay valid
    return text


def literal_t(key: str, **values: object) -> Content:
    """A catalogue text with user values filled in literally; markup written in the catalogue still works."""
    template = t(key)
    if "[" not in template:
        return literal(t(key, **values))
    # Textual inserts $variables as plain text, never as markup.
    return Content.from_markup(
        t(key, **{name: f"${name}" for name in values}), **{k: shown(v) for k, v in values.items()}
    )


def due_cell(due: datetime | None, now: datetime, soon_days: int, label: str | None = None) -> Text:
    """'▲ 3 dage over · 20-11-2026 10:00' in red; '◆ om 9 t 40 min …' (under 24 hours) in bold yellow;
    '● om 2 dage …' in yellow; plain otherwise.

    The state comes from domain.due, the one rule every screen and `trivsel due` use.
    """
    if due is None:
        return Text("–")
    state = due_state(due, now, soon_days)
    text = label if label is not None else f"{relative_due(due, now, state)} · {danish_short(due)}"
    return plain(f"{MARKERS[state]} {text}", style=due_style(state))


def relative_due(due: datetime, now: datetime, state: str) -> str:
    """Under 24 hours the hours and minutes count, not the calendar day ('om 9 t 40 min')."""
    if state == URGENT:
        hours, minutes = countdown(due, now)
        return t("relative_days.in_hours", hours=hours, minutes=minutes)
    return relative_days(due, now)
