"""A checkbox whose state reads without colour: an X when ticked, blank when not.

Textual's Checkbox always draws an X and shows the state by colour only, so with NO_COLOR (or on a
projector) ticked and unticked look the same.
"""

from __future__ import annotations

from textual.widgets import Checkbox


class TickBox(Checkbox):
    TICKED, UNTICKED = "X", " "

    def on_mount(self) -> None:
        self._show_tick()

    def watch_value(self) -> None:
        self._show_tick()
        super().watch_value()

    def _show_tick(self) -> None:
        self.BUTTON_INNER = self.TICKED if self.value else self.UNTICKED
        self.refresh()
