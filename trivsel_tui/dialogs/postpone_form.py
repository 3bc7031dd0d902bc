"""Move a deadline (modal): a new date after today, and a mandatory reason for the audit log."""

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
from trivsel_tui.widgets.fields import DanishDate, DanishDateInput, FieldRow, Required, first_invalid, not_before


@dataclass(frozen=True)
class Postponement:
    due: datetime
    reason: str


class PostponeFormScreen(Dialog[Postponement | None]):
    BINDINGS: ClassVar[list[BindingType]] = [Binding("ctrl+s", "save", t("keys.save"), priority=True)]

    def __init__(self, now: datetime, save: Save[Postponement] | None = None, subject: str = "") -> None:
        super().__init__()
        self.save = save
        self.subject = subject
        self.today: date = local(now).date()

    def _today(self) -> date:
        return self.today

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog") as box:
            box.border_title = t("dashboard.postpone_title")
            if self.subject:
                yield subject_line(self.subject)
            after_today = not_before(self._today, t("postpone_form.date_past"), allow_today=False)
            yield FieldRow(
                t("postpone_form.date"),
                DanishDateInput(today=self._today, id="postpone-date"),
                [
                    Required(t("postpone_form.date_bad")),
                    DanishDate(self._today, after_today, t("postpone_form.date_bad")),
                ],
            )
            yield FieldRow(
                t("postpone_form.reason"), Input(id="postpone-reason"), [Required(t("postpone_form.reason_missing"))]
            )
            yield Static(t("prompt.hint"), classes="dim")

    def on_mount(self) -> None:
        self.query_one("#postpone-date", Input).focus()

    def action_save(self) -> None:
        wrong = first_invalid(list(self.query(FieldRow)))
        day = self.query_one("#postpone-date", DanishDateInput).day
        if wrong is not None or day is None:
            (wrong.control if wrong else self.query_one("#postpone-date")).focus()
            return
        reason = self.query_one("#postpone-reason", Input).value.strip()
        self.save_and_dismiss(Postponement(local_day_bound(day, end=True), reason), self.save)
