"""Edit a plan's header (modal): who made it, employees involved, adopted date, next review, status."""

from __future__ import annotations

from datetime import date
from typing import ClassVar

from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Input, Label, Select, Static

from trivsel_tui.domain.clock import danish_day
from trivsel_tui.domain.danish_dates import DanishDateError, parse_danish_date
from trivsel_tui.domain.plans import vocabulary
from trivsel_tui.seam import Save, StoreAccess
from trivsel_tui.store.plans import PlanHeaderInput
from trivsel_tui.store.views import PlanView
from trivsel_tui.texts import t
from trivsel_tui.widgets.cells import shown


def _day(value: date | None) -> str:
    return danish_day(value) if value else ""


class PlanHeaderScreen(StoreAccess, ModalScreen[PlanHeaderInput | None]):
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("ctrl+s", "save", t("keys.save"), priority=True),
        Binding("escape", "dismiss(None)", t("keys.cancel")),
    ]

    def __init__(self, plan: PlanView, today: date, save: Save[PlanHeaderInput] | None = None) -> None:
        super().__init__()
        self.save = save
        self.plan = plan
        self.today = today

    def compose(self) -> ComposeResult:
        vocab = vocabulary()
        with Vertical(classes="dialog") as box:
            box.border_title = t("plan_header.title")
            yield Label(t("plan_header.made_by"))
            yield Select(
                [(v, k) for k, v in vocab["made_by"].items()], value=self.plan.made_by or Select.NULL, id="made_by"
            )
            yield Label(t("plan_header.employees"))
            yield Input(shown(self.plan.employees_involved), id="employees")
            yield Label(t("plan_header.adopted"))
            yield Input(_day(self.plan.adopted_on), placeholder=t("form.date_placeholder"), id="adopted")
            yield Label(t("plan_header.review"))
            yield Input(_day(self.plan.next_review_on), placeholder=t("form.date_placeholder"), id="review")
            yield Label(t("plan_header.status"))
            yield Select(
                [(v, k) for k, v in vocab["plan_statuses"].items()],
                value=self.plan.status,
                allow_blank=False,
                id="status",
            )
            yield Static("", id="header-error", classes="field-error")
            yield Static(t("prompt.hint"), classes="dim")

    def on_mount(self) -> None:
        self.query_one("#made_by", Select).focus()

    def _date(self, field: str) -> date | None:
        text = self.query_one(f"#{field}", Input).value.strip()
        return parse_danish_date(text, self.today) if text else None

    def action_save(self) -> None:
        error = ""
        try:
            adopted, review = self._date("adopted"), self._date("review")
        except DanishDateError:
            error = t("plan_header.date_bad")
            adopted = review = None
        status = str(self.query_one("#status", Select).value)
        if not error and status == "adopted" and adopted is None:
            error = t("plan_header.adopted_needs_date")
        self.query_one("#header-error", Static).update(error)
        if error:
            return
        made_by = self.query_one("#made_by", Select).value
        header = PlanHeaderInput(
            made_by="" if made_by is Select.NULL else str(made_by),
            employees_involved=self.query_one("#employees", Input).value.strip(),
            adopted_on=adopted,
            next_review_on=review,
            status=status,
        )
        self.save_and_dismiss(header, self.save)
