"""Close an action item: did it work? (modal). An item is not closed before this is answered."""

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
class Effect:
    effect: str
    note: str


class EffectFormScreen(StoreAccess, ModalScreen[Effect | None]):
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("ctrl+s", "save", t("keys.save"), priority=True),
        Binding("escape", "dismiss(None)", t("keys.cancel")),
    ]

    def __init__(self, save: Save[Effect] | None = None) -> None:
        super().__init__()
        self.save = save

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog") as box:
            box.border_title = t("effect_form.title")
            yield Label(t("effect_form.effect"))
            answers = [(label, code) for code, label in vocabulary()["effect"].items()]
            yield Select(answers, prompt="–", id="effect")
            yield Static("", id="effect-error", classes="field-error")
            yield Label(t("effect_form.note"))
            yield Input(id="effect-note")
            yield Static(t("prompt.hint"), classes="dim")

    def on_mount(self) -> None:
        self.query_one("#effect", Select).focus()

    def action_save(self) -> None:
        effect = self.query_one("#effect", Select).value
        if effect is Select.NULL:
            self.query_one("#effect-error", Static).update(t("effect_form.pick"))
            return
        self.save_and_dismiss(Effect(str(effect), self.query_one("#effect-note", Input).value.strip()), self.save)
