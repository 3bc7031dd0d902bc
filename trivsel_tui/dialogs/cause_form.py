"""Add a possible cause to a follow-up plan (modal)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import ClassVar

from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.widgets import Input, Select, Static

from trivsel_tui.dialogs.base import Dialog
from trivsel_tui.domain.plans import vocabulary
from trivsel_tui.seam import Save
from trivsel_tui.texts import t
from trivsel_tui.widgets.fields import Choice, FieldRow, Required, first_invalid


@dataclass(frozen=True)
class NewCause:
    text: str
    kind: str


class CauseFormScreen(Dialog[NewCause | None]):
    BINDINGS: ClassVar[list[BindingType]] = [Binding("ctrl+s", "save", t("keys.save"), priority=True)]

    def __init__(self, save: Save[NewCause] | None = None) -> None:
        super().__init__()
        self.save = save

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog") as box:
            box.border_title = t("cause_form.title")
            yield FieldRow(t("cause_form.text"), Input(id="cause-text"), [Required(t("cause_form.missing"))])
            kinds = [(label, code) for code, label in vocabulary()["cause_kinds"].items()]
            yield FieldRow(t("cause_form.kind"), Choice(kinds, value="other", allow_blank=False, id="cause-kind"))
            yield Static(t("prompt.hint"), classes="dim")

    def on_mount(self) -> None:
        self.query_one("#cause-text", Input).focus()

    def action_save(self) -> None:
        wrong = first_invalid(list(self.query(FieldRow)))
        if wrong is not None:
            wrong.control.focus()
            return
        text = self.query_one("#cause-text", Input).value.strip()
        self.save_and_dismiss(NewCause(text, str(self.query_one("#cause-kind", Select).value)), self.save)
