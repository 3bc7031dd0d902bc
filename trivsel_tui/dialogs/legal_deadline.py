"""A legal deadline cannot be postponed (modal): says why and what to do instead, and offers a personal
reminder date that is shown beside the deadline. Ctrl+S saves the reminder, Escape leaves everything as it was."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from typing import ClassVar

from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.widgets import Input, Static

from trivsel_tui.dialogs.base import Dialog, subject_line
from trivsel_tui.domain.clock import local, local_day_bound
from trivsel_tui.seam import Save
from trivsel_tui.texts import t
from trivsel_tui.widgets.cells import literal
from trivsel_tui.widgets.fields import DanishDate, DanishDateInput, FieldRow, first_invalid


@dataclass(frozen=True)
class Reminder:
    at: datetime | None  # None: no reminder


class LegalDeadlineScreen(Dialog[Reminder | None]):
    BINDINGS: ClassVar[list[BindingType]] = [Binding("ctrl+s", "save", t("keys.save"), priority=True)]

    def __init__(
        self,
        subject: str,
        explanation: str,
        now: datetime,
        due: datetime | None,
        reminder: datetime | None,
        save: Save[Reminder] | None = None,
    ) -> None:
        super().__init__()
        self.subject = subject
        self.explanation = explanation
        self.today: date = local(now).date()
        self.last_day: date | None = local(due).date() if due else None
        self.reminder = reminder
        self.save = save

    def _today(self) -> date:
        return self.today

    def _reminder_problem(self, day: date) -> str:
        if day < self.today:
            return t("legal_deadline.reminder_past")
        if self.last_day is not None and day > self.last_day:
            return t("legal_deadline.reminder_after_due")
        return ""

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog wide") as box:
            box.border_title = t("legal_deadline.title")
            yield subject_line(self.subject)
            yield Static(literal(self.explanation), id="legal-explanation")
            current = local(self.reminder).date() if self.reminder else None
            yield FieldRow(
                t("legal_deadline.reminder_label"),
                DanishDateInput(current, today=self._today, id="reminder-date"),
                [DanishDate(self._today, self._reminder_problem, t("postpone_form.date_bad"))],
            )
            yield Static(t("prompt.hint"), classes="dim")

    def on_mount(self) -> None:
        self.query_one("#reminder-date", Input).focus()

    def action_save(self) -> None:
        if first_invalid(list(self.query(FieldRow))) is not None:
            return
        day = self.query_one("#reminder-date", DanishDateInput).day
        self.save_and_dismiss(Reminder(local_day_bound(day, end=False) if day else None), self.save)
