"""Continue with a draft, or discard it? (modal). Asked before the form takes any input.

Nothing typed for the form can throw the draft away: letters and Tab do nothing here, Enter
continues with the draft, Escape keeps it for later. Discarding takes Ctrl+K (or a click).
"""

from __future__ import annotations

from typing import ClassVar

from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical
from textual.widgets import Button, Static

from trivsel_tui.dialogs.base import Dialog
from trivsel_tui.texts import t

CONTINUE = "continue"
DISCARD = "discard"
LATER = "later"


class DraftPromptScreen(Dialog[str]):
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("enter", f"dismiss('{CONTINUE}')", t("drafts.continue"), id="continue", priority=True),
        Binding("ctrl+k", f"dismiss('{DISCARD}')", t("drafts.discard"), id="discard", priority=True),
        Binding("escape", f"dismiss('{LATER}')", t("drafts.later"), id="later"),
        Binding("tab,shift+tab", "nothing", show=False, priority=True),
    ]

    def __init__(self, question: str) -> None:
        super().__init__()
        self.question = question

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog"):
            yield Static(self.question)
            with Horizontal(classes="buttons"):
                yield Button(t("drafts.continue"), id=CONTINUE, variant="primary")
                yield Button(t("drafts.discard"), id=DISCARD, variant="error")
            yield Static(t("drafts.hint"), classes="dim")

    def on_mount(self) -> None:
        self.query_one(f"#{CONTINUE}", Button).focus()

    def action_nothing(self) -> None:
        """Tab belongs to the form the user meant to type in; it must not move towards "discard"."""

    def on_button_pressed(self, event: Button.Pressed) -> None:
        self.dismiss(event.button.id or LATER)
