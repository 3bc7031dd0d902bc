"""Add a possible cause to a follow-up plan (modal)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import ClassVar

from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Input, Label, Select, Static

from trivsel_tui.domain.plans import vocabulary
from trivsel_tui.seam import Save, StoreAccess
from trivsel_tui.texts import t


@dataclass(frozen=True)
class NewCause:
    text: str
    kind: str


class CauseFormScreen(StoreAccess, ModalScreen[NewCause | None]):
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("ctrl+s", "save", t("keys.save"), priority=True),
        Binding("escape", "dismiss(None)", t("keys.cancel")),
    ]

    def __init__(self, save: Save[NewCause] | None = None) -> None:
        super().__init__()
        self.save = save

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog") as box:
            box.border_title = t("cause_form.title")
            yield Label(t("cause_form.text"))
            yield Input(id="cause-text")
            yield Static("", id="cause-error", classes="field-error")
            yield Label(t("cause_form.kind"))
            kinds = [(label, code) for code, label in vocabulary()["cause_kinds"].items()]
            yield Select(kinds, value="other", allow_blank=False, id="cause-kind")
            yield Static(t("prompt.hint"), classes="dim")

    def on_mount(self) -> None:
        self.query_one("#cause-text", Input).focus()

    def action_save(self) -> None:
        text = self.query_one("#cause-text", Input).value.strip()
        if not text:
            self.query_one("#cause-error", Static).update(t("cause_form.missing"))
            return
        self.save_and_dismiss(NewCause(text, str(self.query_one("#cause-kind", Select).value)), self.save)
