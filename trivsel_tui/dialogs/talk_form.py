"""Record an individual talk between leader and employee (modal): date, employee, topic, agreed action,
and a follow-up date that becomes a deadline. The guideline's sentence for the case's categories is shown."""

from __future__ import annotations

from datetime import date
from typing import ClassVar

from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.suggester import SuggestFromList
from textual.widgets import Input, Static

from trivsel_tui.dialogs.base import Dialog
from trivsel_tui.seam import Save
from trivsel_tui.store.talks import TalkInput
from trivsel_tui.texts import t
from trivsel_tui.widgets.cells import literal, shown
from trivsel_tui.widgets.fields import (
    DanishDate,
    DanishDateInput,
    FieldRow,
    Required,
    first_invalid,
    not_after_today,
    not_before,
)


class TalkFormScreen(Dialog[TalkInput | None]):
    BINDINGS: ClassVar[list[BindingType]] = [Binding("ctrl+s", "save", t("keys.save"), priority=True)]

    def __init__(self, today: date, guidance: str, people: list[str], save: Save[TalkInput] | None = None) -> None:
        super().__init__()
        self.today = today
        self.guidance = guidance
        self.people = [shown(name) for name in people]
        self.save = save

    def _today(self) -> date:
        return self.today

    def _held(self) -> date:
        return self.query_one("#talk-held", DanishDateInput).day or self.today

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog wide") as box:
            box.border_title = t("talks.add_title")
            yield Static(literal(self.guidance), classes="dim")
            held = DanishDateInput(today=self._today, id="talk-held")
            yield FieldRow(
                t("talks.held_on"),
                held,
                [DanishDate(self._today, not_after_today(self._today, t("talks.held_future")))],
            )
            employee = Input(id="talk-employee", suggester=SuggestFromList(self.people, case_sensitive=False))
            yield FieldRow(t("talks.employee"), employee, [Required(t("talks.employee_missing"))])
            yield FieldRow(t("talks.topic"), Input(id="talk-topic"), [Required(t("talks.topic_missing"))])
            action = Input(placeholder=t("talks.agreed_placeholder"), id="talk-action")
            yield FieldRow(t("talks.agreed_action"), action)
            follow_up = DanishDateInput(today=self._today, id="talk-follow-up")
            yield FieldRow(
                t("talks.follow_up_on"),
                follow_up,
                [DanishDate(self._today, not_before(self._held, t("talks.follow_up_before")))],
            )
            yield Static(t("prompt.hint"), classes="dim")

    def on_mount(self) -> None:
        self.query_one("#talk-held", Input).focus()

    def action_save(self) -> None:
        wrong = first_invalid(list(self.query(FieldRow)))
        if wrong is not None:
            wrong.control.focus()
            return
        data = TalkInput(
            held_on=self._held(),
            employee=self.query_one("#talk-employee", Input).value,
            topic=self.query_one("#talk-topic", Input).value,
            agreed_action=self.query_one("#talk-action", Input).value,
            follow_up_on=self.query_one("#talk-follow-up", DanishDateInput).day,
        )
        self.save_and_dismiss(data, self.save)
