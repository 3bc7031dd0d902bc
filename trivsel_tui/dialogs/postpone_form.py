"""Move a deadline (modal): a new date after today, and a mandatory reason for the audit log."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from typing import ClassVar

from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Input, Label, Static

from trivsel_tui.domain.clock import local, local_day_bound
from trivsel_tui.domain.danish_dates import DanishDateError, parse_danish_date
from trivsel_tui.seam import Save, StoreAccess
from trivsel_tui.texts import t


@dataclass(frozen=True)
class Postponement:
    due: datetime
    reason: str


class PostponeFormScreen(StoreAccess, ModalScreen[Postponement | None]):
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("ctrl+s", "save", t("keys.save"), priority=True),
        Binding("escape", "dismiss(None)", t("keys.cancel")),
    ]

    def __init__(self, now: datetime, save: Save[Postponement] | None = None) -> None:
        super().__init__()
        self.save = save
        self.today: date = local(now).date()

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog") as box:
            box.border_title = t("dashboard.postpone_title")
            yield Label(t("postpone_form.date"))
            yield Input(placeholder=t("form.date_placeholder"), id="postpone-date")
            yield Label(t("postpone_form.reason"))
            yield Input(id="postpone-reason")
            yield Static("", id="postpone-error", classes="field-error")
            yield Static(t("prompt.hint"), classes="dim")

    def on_mount(self) -> None:
        self.query_one("#postpone-date", Input).focus()

    def action_save(self) -> None:
        error = ""
        day: date | None = None
        try:
            day = parse_danish_date(self.query_one("#postpone-date", Input).value, self.today)
        except DanishDateError:
            error = t("postpone_form.date_bad")
        reason = self.query_one("#postpone-reason", Input).value.strip()
        if not error and day is not None and day <= self.today:
            error = t("postpone_form.date_past")
        if not error and not reason:
            error = t("postpone_form.reason_missing")
        self.query_one("#postpone-error", Static).update(error)
        if error or day is None:
            return
        self.save_and_dismiss(Postponement(local_day_bound(day, end=True), reason), self.save)
