"""Edit a plan's header (modal): who made it, employees involved, adopted date, next review, status."""

from __future__ import annotations

from datetime import date
from typing import ClassVar

from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.widgets import Input, Select, Static

from trivsel_tui.dialogs.base import Dialog
from trivsel_tui.domain.plans import vocabulary
from trivsel_tui.seam import Save
from trivsel_tui.store.plans import PlanHeaderInput
from trivsel_tui.store.views import PlanView
from trivsel_tui.texts import t
from trivsel_tui.widgets.cells import shown
from trivsel_tui.widgets.fields import Choice, DanishDate, DanishDateInput, FieldRow, first_invalid


class PlanHeaderScreen(Dialog[PlanHeaderInput | None]):
    BINDINGS: ClassVar[list[BindingType]] = [Binding("ctrl+s", "save", t("keys.save"), priority=True)]

    def __init__(self, plan: PlanView, today: date, save: Save[PlanHeaderInput] | None = None) -> None:
        super().__init__()
        self.save = save
        self.plan = plan
        self.today = today

    def _today(self) -> date:
        return self.today

    def compose(self) -> ComposeResult:
        vocab = vocabulary()
        plan = self.plan
        with Vertical(classes="dialog") as box:
            box.border_title = t("plan_header.title")
            made_by = [(v, k) for k, v in vocab["made_by"].items()]
            yield FieldRow(t("plan_header.made_by"), Choice(made_by, value=plan.made_by or Select.NULL, id="made_by"))
            yield FieldRow(t("plan_header.employees"), Input(shown(plan.employees_involved), id="employees"))
            for name, label, day in (
                ("adopted", "adopted", plan.adopted_on),
                ("review", "review", plan.next_review_on),
            ):
                field = DanishDateInput(day, today=self._today, id=name)
                yield FieldRow(
                    t(f"plan_header.{label}"), field, [DanishDate(self._today, unreadable=t("plan_header.date_bad"))]
                )
            statuses = [(v, k) for k, v in vocab["plan_statuses"].items()]
            yield FieldRow(t("plan_header.status"), Choice(statuses, value=plan.status, allow_blank=False, id="status"))
            yield Static(t("prompt.hint"), classes="dim")

    def on_mount(self) -> None:
        self.query_one("#made_by", Select).focus()

    def action_save(self) -> None:
        wrong = first_invalid(list(self.query(FieldRow)))
        adopted = self.query_one("#adopted", DanishDateInput)
        status = str(self.query_one("#status", Select).value)
        if wrong is None and status == "adopted" and adopted.day is None:
            wrong = next(row for row in self.query(FieldRow) if row.control is adopted)
            wrong.show_error(t("plan_header.adopted_needs_date"))
        if wrong is not None:
            wrong.control.focus()
            return
        made_by = self.query_one("#made_by", Select).value
        header = PlanHeaderInput(
            made_by="" if made_by is Select.NULL else str(made_by),
            employees_involved=self.query_one("#employees", Input).value.strip(),
            adopted_on=adopted.day,
            next_review_on=self.query_one("#review", DanishDateInput).day,
            status=status,
        )
        self.save_and_dismiss(header, self.save)
