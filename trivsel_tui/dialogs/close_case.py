"""Close a case that still has open tasks (modal): the open tasks are listed, the closing needs a reason,
and each open task with a legal deadline needs its own. Ctrl+S closes, Escape leaves the case open."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import ClassVar

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical, VerticalScroll
from textual.widgets import Input, Static

from trivsel_tui.dialogs.base import Dialog
from trivsel_tui.domain.clock import danish_short
from trivsel_tui.seam import Save
from trivsel_tui.texts import t
from trivsel_tui.widgets.cells import safe
from trivsel_tui.widgets.fields import FieldRow, Required, first_invalid


@dataclass(frozen=True)
class OpenTask:
    id: int
    title: str
    due_at: datetime | None
    legal: bool


@dataclass(frozen=True)
class Closing:
    reason: str
    legal_reasons: tuple[tuple[int, str], ...]  # (task id, why the case closes while it is open)


class CloseCaseScreen(Dialog[Closing | None]):
    BINDINGS: ClassVar[list[BindingType]] = [Binding("ctrl+s", "close_case", t("keys.save"), priority=True)]

    def __init__(self, open_tasks: Sequence[OpenTask], save: Save[Closing] | None = None) -> None:
        super().__init__()
        self.open_tasks = tuple(open_tasks)
        self.legal = tuple(task for task in self.open_tasks if task.legal)
        self.save = save

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog wide") as box:
            box.border_title = t("close_case.title")
            with VerticalScroll(id="close-case-body"):
                count = len(self.open_tasks)
                yield Static(t("close_case.open_tasks", count=count))
                yield Static(safe(self._task_list()), id="close-case-tasks")
                if self.legal:
                    yield Static(t("close_case.legal_note"), classes="dim")
                    missing = [Required(t("close_case.legal_reason_missing"))]
                    for task in self.legal:
                        label = t("close_case.legal_reason", title=task.title)
                        yield FieldRow(label, Input(id=f"legal-reason-{task.id}"), missing, classes="legal-reason")
                if len(self.legal) < count:
                    yield Static(t("close_case.other_note"), classes="dim")
                yield FieldRow(
                    t("close_case.reason_label"), Input(id="close-reason"), [Required(t("close_case.reason_missing"))]
                )
            yield Static(t("close_case.confirm"), classes="dim")

    def _task_list(self) -> Text:
        text = Text()
        for task in self.open_tasks:
            due = danish_short(task.due_at) if task.due_at else "–"
            mark = t("legal_deadline.legal_mark") if task.legal else " " * len(t("legal_deadline.legal_mark"))
            text.append(f"  {mark}  {due:<16}  ", "bold" if task.legal else "")
            text.append(task.title + "\n")
        return text

    def on_mount(self) -> None:
        self.query(Input).first().focus()

    def action_close_case(self) -> None:
        wrong = first_invalid(list(self.query(FieldRow)))
        if wrong is not None:
            wrong.control.focus()
            return
        legal_reasons = tuple(
            (task.id, self.query_one(f"#legal-reason-{task.id}", Input).value.strip()) for task in self.legal
        )
        reason = self.query_one("#close-reason", Input).value.strip()
        self.save_and_dismiss(Closing(reason, legal_reasons), self.save)
