"""Ask for one piece of text (modal): a note, a reason. Ctrl+S accepts (and saves, given `save`), Escape cancels."""

from __future__ import annotations

from collections.abc import Callable
from typing import ClassVar

from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Label, Static, TextArea

from trivsel_tui.seam import Save, StoreAccess
from trivsel_tui.texts import t
from trivsel_tui.widgets.cells import literal


def _no_problems(_text: str) -> list[str]:
    return []


class TextPromptScreen(StoreAccess, ModalScreen[str | None]):
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("ctrl+s", "accept", t("keys.save")),
        Binding("escape", "cancel", t("keys.cancel")),
    ]

    def __init__(
        self,
        title: str,
        label: str,
        *,
        required: bool = True,
        problems: Callable[[str], list[str]] = _no_problems,
        text: str = "",
        save: Save[str] | None = None,
    ) -> None:
        super().__init__()
        self.title_text = title
        self.label = label
        self.required = required
        self.problems = problems
        self.initial = text
        self.save = save

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog wide") as box:
            box.border_title = self.title_text
            yield Label(self.label)
            yield TextArea(self.initial, id="prompt-text")
            yield Static("", id="prompt-error", classes="field-error")
            yield Static(t("prompt.hint"), classes="dim")

    def on_mount(self) -> None:
        self.query_one(TextArea).focus()

    def action_accept(self) -> None:
        text = self.query_one(TextArea).text.strip()
        problems = [t("prompt.required")] if self.required and not text else self.problems(text) if text else []
        if problems:
            self.query_one("#prompt-error", Static).update(literal("\n".join(problems)))
            return
        self.save_and_dismiss(text, self.save)

    def action_cancel(self) -> None:
        self.dismiss(None)
