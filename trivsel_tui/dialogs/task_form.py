"""Add a manual task to a case (modal): what, and an optional due date."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from typing import ClassVar

from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.widgets import Input, Static

from trivsel_tui.dialogs.base import Dialog
from trivsel_tui.domain.clock import local, local_day_bound
from trivsel_tui.seam import Save
from trivsel_tui.texts import t
from trivsel_tui.widgets.fields import DanishDate, DanishDateInput, FieldRow, Required, first_invalid, not_before


@dataclass(frozen=True)
class NewTask:
    title: str
    due_at: datetime | None


class TaskFormScreen(Dialog[NewTask | None]):
    BINDINGS: ClassVar[list[BindingType]] = [Binding("ctrl+s", "save", t("keys.save"), priority=True)]

    def __init__(self, now: datetime, save: Save[NewTask] | None = None) -> None:
        super().__init__()
        self.save = save
        self.now = now

    def _today(self) -> date:
        return local(self.now).date()

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog") as box:
            box.border_title = t("task_form.title")
            yield FieldRow(t("task_form.what"), Input(id="task-title"), [Required(t("task_form.missing"))])
            due = DanishDateInput(today=self._today, placeholder=t("task_form.due_placeholder"), id="task-due")
            yield FieldRow(
                t("task_form.due"),
                due,
                [DanishDate(self._today, not_before(self._today, t("task_form.past")), t("task_form.bad_date"))],
            )
            yield Static(t("prompt.hint"), classes="dim")

    def on_mount(self) -> None:
        self.query_one("#task-title", Input).focus()

    def action_save(self) -> None:
        wrong = first_invalid(list(self.query(FieldRow)))
        if wrong is not None:
            wrong.control.focus()
            return
        title = self.query_one("#task-title", Input).value.strip()
        day = self.query_one("#task-due", DanishDateInput).day
        self.save_and_dismiss(NewTask(title, local_day_bound(day, end=True) if day else None), self.save)
