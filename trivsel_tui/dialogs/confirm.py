"""A yes/no question (modal). j/y = yes, n/Escape = no."""

from __future__ import annotations

from typing import ClassVar

from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical
from textual.widgets import Button, Static

from trivsel_tui.dialogs.base import Dialog
from trivsel_tui.texts import t
from trivsel_tui.widgets.cells import literal


class ConfirmScreen(Dialog[bool]):
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("j,y", "answer(True)", t("confirm.yes")),
        Binding("n,escape", "answer(False)", t("confirm.no")),
    ]

    def __init__(self, question: str) -> None:
        super().__init__()
        self.question = question

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog"):
            yield Static(literal(self.question))
            with Horizontal(classes="buttons"):
                yield Button(t("confirm.yes"), id="yes", variant="primary")
                yield Button(t("confirm.no"), id="no")
            yield Static(t("confirm.hint"), classes="dim")

    def on_mount(self) -> None:
        self.query_one("#yes", Button).focus()

    def on_button_pressed(self, event: Button.Pressed) -> None:
        self.dismiss(event.button.id == "yes")

    def action_answer(self, value: bool) -> None:
        self.dismiss(value)
