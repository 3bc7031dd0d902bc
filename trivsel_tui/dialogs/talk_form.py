"""Record an individual talk between leader and employee (modal): date, employee, topic, agreed action,
and a follow-up date that becomes a deadline. The guideline's sentence for the case's categories is shown."""

from __future__ import annotations

from datetime import date
from typing import ClassVar

from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.suggester import SuggestFromList
from textual.widgets import Input, Label, Static

from trivsel_tui.domain.danish_dates import DanishDateError, parse_danish_date
from trivsel_tui.seam import Save, StoreAccess
from trivsel_tui.store.talks import TalkInput, talk_problems
from trivsel_tui.texts import t
from trivsel_tui.widgets.cells import literal, shown


class TalkFormScreen(StoreAccess, ModalScreen[TalkInput | None]):
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("ctrl+s", "save", t("keys.save"), priority=True),
        Binding("escape", "dismiss(None)", t("keys.cancel")),
    ]

    def __init__(self, today: date, guidance: str, people: list[str], save: Save[TalkInput] | None = None) -> None:
        super().__init__()
        self.today = today
        self.guidance = guidance
        self.people = [shown(name) for name in people]
        self.save = save

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog wide") as box:
            box.border_title = t("talks.add_title")
            yield Static(literal(self.guidance), classes="dim")
            yield Label(t("talks.held_on"))
            yield Input(placeholder=t("form.date_placeholder"), id="talk-held")
            yield Label(t("talks.employee"))
            yield Input(id="talk-employee", suggester=SuggestFromList(self.people, case_sensitive=False))
            yield Label(t("talks.topic"))
            yield Input(id="talk-topic")
            yield Label(t("talks.agreed_action"))
            yield Input(placeholder=t("talks.agreed_placeholder"), id="talk-action")
            yield Label(t("talks.follow_up_on"))
            yield Input(placeholder=t("talks.follow_up_placeholder"), id="talk-follow-up")
            yield Static("", id="talk-error", classes="field-error")
            yield Static(t("prompt.hint"), classes="dim")

    def on_mount(self) -> None:
        self.query_one("#talk-held", Input).focus()

    def _day(self, widget_id: str, blank: date | None) -> date | None:
        text = self.query_one(widget_id, Input).value.strip()
        return parse_danish_date(text, self.today) if text else blank

    def action_save(self) -> None:
        error = self.query_one("#talk-error", Static)
        try:
            held = self._day("#talk-held", self.today)
            follow_up = self._day("#talk-follow-up", None)
        except DanishDateError as exc:
            error.update(literal(t("talks.bad_date", error=exc)))
            return
        assert held is not None
        data = TalkInput(
            held_on=held,
            employee=self.query_one("#talk-employee", Input).value,
            topic=self.query_one("#talk-topic", Input).value,
            agreed_action=self.query_one("#talk-action", Input).value,
            follow_up_on=follow_up,
        )
        problems = talk_problems(data, self.today)
        error.update(literal(" ".join(problems)))
        if not problems:
            self.save_and_dismiss(data, self.save)
