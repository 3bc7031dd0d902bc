"""Put a case on hold (modal): why – a retssag, an erhvervssygdom claim, an archival duty or other – and a reason.

Ctrl+S saves (through the seam) and closes with the chosen kind; Escape cancels.
"""

from __future__ import annotations

from typing import ClassVar

from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Label, Select, Static, TextArea

from trivsel_tui.domain.retention import HOLD_KINDS
from trivsel_tui.seam import Save, StoreAccess
from trivsel_tui.texts import t


class HoldFormScreen(StoreAccess, ModalScreen[tuple[str, str] | None]):
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("ctrl+s", "accept", t("keys.save"), priority=True),
        Binding("escape", "cancel", t("keys.cancel")),
    ]

    def __init__(self, title: str, save: Save[tuple[str, str]]) -> None:
        super().__init__()
        self.title_text = title
        self.save = save

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog wide") as box:
            box.border_title = self.title_text
            yield Label(t("hold_form.kind_label"))
            kinds = [(t(f"hold_kinds.{kind}"), kind) for kind in HOLD_KINDS]
            yield Select(kinds, prompt=t("hold_form.kind_prompt"), id="hold-kind")
            yield Label(t("retention_screen.reason_label"))
            yield TextArea(id="hold-reason")
            yield Static("", id="hold-error", classes="field-error")
            yield Static(t("prompt.hint"), classes="dim")

    def on_mount(self) -> None:
        self.query_one("#hold-kind", Select).focus()

    def action_accept(self) -> None:
        kind = self.query_one("#hold-kind", Select).value
        reason = self.query_one("#hold-reason", TextArea).text.strip()
        problem = "" if isinstance(kind, str) else t("hold_form.kind_needed")
        problem = problem or ("" if reason else t("prompt.required"))
        if problem:
            self.query_one("#hold-error", Static).update(problem)
            return
        assert isinstance(kind, str)
        self.save_and_dismiss((kind, reason), self.save)

    def action_cancel(self) -> None:
        self.dismiss(None)
