"""Add a manual task to a case (modal): what, and an optional due date."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
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
class NewTask:
    title: str
    due_at: datetime | None


class TaskFormScreen(StoreAccess, ModalScreen[NewTask | None]):
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("ctrl+s", "save", t("keys.save")),
        Binding("escape", "dismiss(None)", t("keys.cancel")),
    ]

    def __init__(self, now: datetime, save: Save[NewTask] | None = None) -> None:
        super().__init__()
        self.save = save
        self.now = now

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog") as box:
            box.border_title = t("task_form.title")
            yield Label(t("task_form.what"))
            yield Input(id="task-title")
            yield Static("", id="task-title-error", classes="field-error")
            yield Label(t("task_form.due"))
            yield Input(id="task-due", placeholder=t("task_form.due_placeholder"))
            yield Static("", id="task-due-error", classes="field-error")
            yield Static(t("prompt.hint"), classes="dim")

    def on_mount(self) -> None:
        self.query_one("#task-title", Input).focus()

    def _due(self) -> tuple[datetime | None, str]:
        text = self.query_one("#task-due", Input).value.strip()
        if not text:
            return None, ""
        today = local(self.now).date()
        try:
            day = parse_danish_date(text, today)
        except DanishDateError:
            return None, t("task_form.bad_date")
        if day < today:
            return None, t("task_form.past")
        return local_day_bound(day, end=True), ""

    def action_save(self) -> None:
        title = self.query_one("#task-title", Input).value.strip()
        due, due_error = self._due()
        self.query_one("#task-title-error", Static).update("" if title else t("task_form.missing"))
        self.query_one("#task-due-error", Static).update(due_error)
        if not title:
            self.query_one("#task-title", Input).focus()
        elif due_error:
            self.query_one("#task-due", Input).focus()
        else:
            self.save_and_dismiss(NewTask(title, due), self.save)
