"""Ask for one piece of text (modal): a note, a reason. Ctrl+S accepts (and saves, given `save`), Escape cancels."""

from __future__ import annotations

from collections.abc import Callable
from typing import ClassVar

from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.widgets import Label, Static, TextArea

from trivsel_tui.dialogs.base import Dialog, subject_line
from trivsel_tui.seam import Save
from trivsel_tui.texts import t
from trivsel_tui.widgets.cells import literal


def _no_problems(_text: str) -> list[str]:
    return []


class TextPromptScreen(Dialog[str | None]):
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("ctrl+s", "accept", t("keys.save"), priority=True),
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
        subject: str = "",
    ) -> None:
        super().__init__()
        self.title_text = title
        self.label = label
        self.required = required
        self.problems = problems
        self.initial = text
        self.save = save
        self.subject = subject

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog wide") as box:
            box.border_title = self.title_text
            if self.subject:
                yield subject_line(self.subject)
            yield Label(self.label)
            yield TextArea(self.initial, id="prompt-text")
            yield Static("", id="prompt-error", classes="field-error")
            yield Static(t("prompt.hint"), classes="dim")

    def on_mount(self) -> None:
        area = self.query_one(TextArea)
        area.move_cursor(area.document.end)  # a text given to edit goes on where it ends
        area.focus()

    def action_accept(self) -> None:
        text = self.query_one(TextArea).text.strip()
        problems = [t("prompt.required")] if self.required and not text else self.problems(text) if text else []
        if problems:
            self.query_one("#prompt-error", Static).update(literal("\n".join(problems)))
            return
        self.save_and_dismiss(text, self.save)
