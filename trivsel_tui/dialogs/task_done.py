"""Mark a task done (modal): the day it was actually done – today unless an earlier day is given, never
a day in the future – and an optional note. The task is named at the top."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import ClassVar

from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.widgets import Static, TextArea

from trivsel_tui.dialogs.base import Dialog, subject_line
from trivsel_tui.seam import Save
from trivsel_tui.texts import t
from trivsel_tui.widgets.fields import DanishDate, DanishDateInput, FieldRow, first_invalid, not_after_today


@dataclass(frozen=True)
class TaskDone:
    note: str
    done_on: date | None  # None: now


class TaskDoneScreen(Dialog[TaskDone | None]):
    BINDINGS: ClassVar[list[BindingType]] = [Binding("ctrl+s", "save", t("keys.save"), priority=True)]

    def __init__(self, today: date, subject: str, save: Save[TaskDone] | None = None) -> None:
        super().__init__()
        self.today = today
        self.subject = subject
        self.save = save

    def _today(self) -> date:
        return self.today

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog wide") as box:
            box.border_title = t("case_actions.done_title")
            yield subject_line(self.subject)
            yield FieldRow(t("case_actions.done_label"), TextArea(id="done-note"))
            day = DanishDateInput(today=self._today, placeholder=t("task_done.placeholder"), id="done-on")
            rule = not_after_today(self._today, t("task_done.future"))
            yield FieldRow(t("task_done.day"), day, [DanishDate(self._today, rule)])
            yield Static(t("prompt.hint"), classes="dim")

    def on_mount(self) -> None:
        self.query_one("#done-note", TextArea).focus()

    def action_save(self) -> None:
        wrong = first_invalid(list(self.query(FieldRow)))
        if wrong is not None:
            wrong.control.focus()
            return
        note = self.query_one("#done-note", TextArea).text.strip()
        self.save_and_dismiss(TaskDone(note, self.query_one("#done-on", DanishDateInput).day), self.save)
