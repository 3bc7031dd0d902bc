"""Help: the keys that work here and everywhere, read from the live bindings."""

from __future__ import annotations

from collections.abc import Callable
from typing import ClassVar

from rich.table import Table
from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import VerticalScroll
from textual.screen import Screen
from textual.widgets import Static

from trivsel_tui.dialogs.base import Dialog
from trivsel_tui.texts import t


def _key_table(title: str, bindings: list[Binding], key_display: Callable[[Binding], str]) -> Table:
    table = Table(title=title, title_justify="left", show_header=False, box=None, padding=(0, 2))
    table.add_column(style="bold")
    table.add_column()
    for binding in bindings:
        if binding.description:
            table.add_row(Text(binding.key_display or key_display(binding)), Text(binding.description))
    return table


class HelpScreen(Dialog[None]):
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "dismiss", t("keys.close")),
        Binding("question_mark", "dismiss", t("keys.close"), key_display="?"),
    ]

    def compose(self) -> ComposeResult:
        with VerticalScroll(id="help-box") as box:
            box.border_title = t("help.title")
            yield Static(t("help.intro"))
            yield Static(id="screen-keys")
            yield Static(id="global-keys")
            yield Static(t("help.palette"))
            yield Static(t("help.tables"))
            yield Static(t("help.forms"))
            yield Static(t("help.legend"))
            yield Static(t("help.close"), classes="dim")

    def on_mount(self) -> None:
        underneath = self._screen_below()
        here = [b for b in underneath.BINDINGS if isinstance(b, Binding)] if underneath else []
        app_bindings = [b for b in self.app.BINDINGS if isinstance(b, Binding)]
        self.query_one("#screen-keys", Static).update(_key_table(t("help.here"), here, self.app.get_key_display))
        self.query_one("#global-keys", Static).update(
            _key_table(t("help.global"), app_bindings, self.app.get_key_display)
        )

    def _screen_below(self) -> Screen[object] | None:
        stack = self.app.screen_stack
        return stack[-2] if len(stack) >= 2 else None
