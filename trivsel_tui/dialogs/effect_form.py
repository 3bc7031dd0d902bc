"""Close an action item: did it work? (modal). An item is not closed before this is answered."""

from __future__ import annotations

from dataclasses import dataclass
from typing import ClassVar

from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.widgets import Input, Select, Static

from trivsel_tui.dialogs.base import Dialog, subject_line
from trivsel_tui.domain.plans import vocabulary
from trivsel_tui.seam import Save
from trivsel_tui.texts import t
from trivsel_tui.widgets.fields import Choice, FieldRow, Required, first_invalid


@dataclass(frozen=True)
class Effect:
    effect: str
    note: str


class EffectFormScreen(Dialog[Effect | None]):
    BINDINGS: ClassVar[list[BindingType]] = [Binding("ctrl+s", "save", t("keys.save"), priority=True)]

    def __init__(self, save: Save[Effect] | None = None, subject: str = "") -> None:
        super().__init__()
        self.save = save
        self.subject = subject

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog") as box:
            box.border_title = t("effect_form.title")
            if self.subject:
                yield subject_line(self.subject)
            answers = [(label, code) for code, label in vocabulary()["effect"].items()]
            yield FieldRow(
                t("effect_form.effect"), Choice(answers, prompt="–", id="effect"), [Required(t("effect_form.pick"))]
            )
            yield FieldRow(t("effect_form.note"), Input(id="effect-note"))
            yield Static(t("prompt.hint"), classes="dim")

    def on_mount(self) -> None:
        self.query_one("#effect", Select).focus()

    def action_save(self) -> None:
        wrong = first_invalid(list(self.query(FieldRow)))
        if wrong is not None:
            wrong.control.focus()
            return
        effect = str(self.query_one("#effect", Select).value)
        self.save_and_dismiss(Effect(effect, self.query_one("#effect-note", Input).value.strip()), self.save)
