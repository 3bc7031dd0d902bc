"""A legal deadline cannot be postponed (modal): says why and what to do instead, and offers a personal
reminder date that is shown beside the deadline. Ctrl+S saves the reminder, Escape leaves everything as it was."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from typing import ClassVar

from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Input, Label, Static

from trivsel_tui.domain.clock import danish_day, local, local_day_bound
from trivsel_tui.domain.danish_dates import DanishDateError, parse_danish_date
from trivsel_tui.seam import Save, StoreAccess
from trivsel_tui.texts import t
from trivsel_tui.widgets.cells import literal


@dataclass(frozen=True)
class Reminder:
    at: datetime | None  # None: no reminder


class LegalDeadlineScreen(StoreAccess, ModalScreen[Reminder | None]):
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("ctrl+s", "save", t("keys.save"), priority=True),
        Binding("escape", "dismiss(None)", t("keys.cancel")),
    ]

    def __init__(
        self,
        explanation: str,
        now: datetime,
        due: datetime | None,
        reminder: datetime | None,
        save: Save[Reminder] | None = None,
    ) -> None:
        super().__init__()
        self.explanation = explanation
        self.today: date = local(now).date()
        self.due = due
        self.reminder = reminder
        self.save = save

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog wide") as box:
            box.border_title = t("legal_deadline.title")
            yield Static(literal(self.explanation), id="legal-explanation")
            yield Label(t("legal_deadline.reminder_label"))
            current = danish_day(local(self.reminder).date()) if self.reminder else ""
            yield Input(current, placeholder=t("form.date_placeholder"), id="reminder-date")
            yield Static("", id="reminder-error", classes="field-error")
            yield Static(t("prompt.hint"), classes="dim")

    def on_mount(self) -> None:
        self.query_one("#reminder-date", Input).focus()

    def action_save(self) -> None:
        text = self.query_one("#reminder-date", Input).value.strip()
        error, at = "", None
        if text:
            try:
                day = parse_danish_date(text, self.today)
            except DanishDateError:
                day, error = None, t("postpone_form.date_bad")
            if day is not None and day < self.today:
                error = t("legal_deadline.reminder_past")
            elif day is not None and self.due is not None and day > local(self.due).date():
                error = t("legal_deadline.reminder_after_due")
            at = local_day_bound(day, end=False) if day is not None and not error else None
        self.query_one("#reminder-error", Static).update(error)
        if not error:
            self.save_and_dismiss(Reminder(at), self.save)
