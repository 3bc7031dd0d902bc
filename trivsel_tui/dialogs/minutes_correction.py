"""Correct a closed meeting's minutes (modal): why, and the corrected text, starting from the newest
version. Saved as a new version beside the old ones (the store audits it); what is typed is kept as a
draft while typing, on Escape and on a failed save, so a long correction is never lost."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, ClassVar

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.validation import ValidationResult, Validator
from textual.widgets import Input, Static, TextArea

from trivsel_tui.dialogs.base import Dialog, subject_line
from trivsel_tui.drafts import DraftKeeping
from trivsel_tui.seam import Save
from trivsel_tui.store.meeting_view import minutes_draft_key
from trivsel_tui.texts import t
from trivsel_tui.widgets.cells import shown
from trivsel_tui.widgets.fields import FieldRow, Required, first_invalid


@dataclass(frozen=True)
class MinutesCorrection:
    markdown: str
    reason: str


class _Changed(Validator):
    """A new version must differ from the one it corrects."""

    def __init__(self, before: str, message: str) -> None:
        super().__init__(failure_description=message)
        self.before = before.strip()

    def validate(self, value: str) -> ValidationResult:
        return self.failure() if value.strip() == self.before else self.success()


class MinutesCorrectionScreen(DraftKeeping, Dialog[MinutesCorrection | None]):
    BINDINGS: ClassVar[list[BindingType]] = [Binding("ctrl+s", "save", t("keys.save"), priority=True)]

    def __init__(
        self, meeting_id: int, title: str, version: int, markdown: str, save: Save[MinutesCorrection] | None = None
    ) -> None:
        super().__init__()
        # Stored minutes of an old row may hold control characters: shown as symbols, never sent raw.
        self.heading, self.version, self.markdown = title, version, shown(markdown)
        self.save = save
        self.draft_key = minutes_draft_key(meeting_id)

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog tall meeting-dialog minutes-dialog") as box:
            box.border_title = t("meeting_correction.title")
            yield subject_line(t("meeting_correction.subject", title=self.heading, version=self.version))
            reason = Input(id="reason")
            yield FieldRow(t("meeting_correction.reason"), reason, [Required(t("meeting_correction.reason_missing"))])
            text = TextArea(self.markdown, id="minutes-text", soft_wrap=True)
            unchanged = _Changed(self.markdown, t("meeting_correction.unchanged", version=self.version))
            yield FieldRow(t("meeting_correction.text"), text, [unchanged], classes="minutes-text")
            yield Static(t("meeting_correction.hint", next=self.version + 1), classes="dim")

    def on_mount(self) -> None:
        self.start_drafts()

    def first_field(self) -> Input:
        return self.query_one("#reason", Input)

    @on(Input.Changed)
    @on(TextArea.Changed)
    def _typed(self, _event: Input.Changed | TextArea.Changed) -> None:
        self.draft_changed()

    def form_values(self) -> dict[str, Any]:
        return {"reason": self.query_one("#reason", Input).value, "markdown": self.query_one(TextArea).text}

    def has_user_input(self, values: dict[str, Any]) -> bool:
        return bool(str(values["reason"]).strip()) or str(values["markdown"]).strip() != self.markdown.strip()

    def fill_form(self, values: dict[str, Any]) -> None:
        self.query_one("#reason", Input).value = str(values.get("reason", ""))
        self.query_one(TextArea).text = str(values.get("markdown", self.markdown))

    def action_save(self) -> None:
        wrong = first_invalid(list(self.query(FieldRow)))
        if wrong is not None:
            wrong.control.focus()
            return
        values = self.form_values()
        correction = MinutesCorrection(values["markdown"], values["reason"].strip())
        self.save_and_forget_draft(correction, self.save)
