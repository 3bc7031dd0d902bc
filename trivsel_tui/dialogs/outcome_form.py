"""Record what was done about an episode (modal): the Insubiz/EASY report (date, reference), the police
report (date, journal number), support offered/accepted/declined (with date), and – the employer's
duty after a reported work accident – the AMR's access to the report and a copy to the injured employee."""

from __future__ import annotations

from datetime import date
from typing import ClassVar

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import VerticalScroll
from textual.widgets import Checkbox, Input, Select, Static

from trivsel_tui.dialogs.base import Dialog
from trivsel_tui.seam import Save
from trivsel_tui.store.outcomes import SUPPORT, OutcomeInput, OutcomeView, outcome_problems
from trivsel_tui.texts import t
from trivsel_tui.widgets.cells import literal, shown
from trivsel_tui.widgets.fields import Choice, DanishDate, DanishDateInput, FieldRow, first_invalid

DATE_FIELDS = ("insubiz_reported_on", "police_reported_on", "support_on")
TICKED = ("amr_access_on", "employee_copy_on")  # a checkbox with its date


class OutcomeFormScreen(Dialog[OutcomeInput | None]):
    BINDINGS: ClassVar[list[BindingType]] = [Binding("ctrl+s", "save", t("keys.save"), priority=True)]

    def __init__(
        self,
        heading: str,
        today: date,
        occurred: date,
        current: OutcomeView | None,
        save: Save[OutcomeInput] | None = None,
    ) -> None:
        super().__init__()
        self.heading = heading
        self.today = today
        self.occurred = occurred
        self.current = current or OutcomeView()
        self.save = save

    def _today(self) -> date:
        return self.today

    def _rule(self, day: date) -> str:
        if day > self.today:
            return t("outcomes.future_day")
        return t("outcomes.before_episode_day") if day < self.occurred else ""

    def _date(self, name: str) -> FieldRow:
        field = DanishDateInput(getattr(self.current, name), today=self._today, id=name)
        return FieldRow(t(f"outcomes.{name}"), field, [DanishDate(self._today, self._rule)])

    def compose(self) -> ComposeResult:
        now = self.current
        with VerticalScroll(classes="dialog wide tall") as box:
            box.border_title = t("outcomes.title")
            yield Static(literal(self.heading), classes="dim")
            yield self._date("insubiz_reported_on")
            yield FieldRow(t("outcomes.insubiz_ref"), Input(shown(now.insubiz_ref), id="insubiz_ref"))
            yield self._date("police_reported_on")
            yield FieldRow(t("outcomes.police_journal"), Input(shown(now.police_journal), id="police_journal"))
            options = [(t(f"outcomes.support_{code}"), code) for code in SUPPORT]
            support = Choice(options, value=now.support or Select.NULL, prompt=t("outcomes.support_none"), id="support")
            yield FieldRow(t("outcomes.support"), support)
            yield self._date("support_on")
            yield Static(t("outcomes.duty"), classes="dim")
            for name in TICKED:
                yield Checkbox(t(f"outcomes.{name}"), getattr(now, name) is not None, id=f"{name}-tick")
                yield self._date(name)
            yield Static("", id="outcome-error", classes="field-error")
            yield Static(t("prompt.hint"), classes="dim")

    def on_mount(self) -> None:
        self.query_one("#insubiz_reported_on", Input).focus()

    @on(Checkbox.Changed)
    def _ticked(self, event: Checkbox.Changed) -> None:
        """Ticking fills in today (it can be changed); unticking clears the date."""
        field = self.query_one(f"#{str(event.checkbox.id).removesuffix('-tick')}", DanishDateInput)
        if event.value and not field.value.strip():
            field.value = self.today.strftime("%d-%m-%Y")
        elif not event.value:
            field.value = ""

    def _day(self, name: str) -> date | None:
        day = self.query_one(f"#{name}", DanishDateInput).day
        if name in TICKED:
            ticked = self.query_one(f"#{name}-tick", Checkbox).value
            return (day or self.today) if ticked else None
        return day

    def action_save(self) -> None:
        wrong = first_invalid(list(self.query(FieldRow)))
        if wrong is not None:
            wrong.control.focus()
            return
        days = {name: self._day(name) for name in (*DATE_FIELDS, *TICKED)}
        support = self.query_one("#support", Select).value
        if support is not Select.NULL and days["support_on"] is None:
            days["support_on"] = self.today  # support chosen today unless another day is given
        data = OutcomeInput(
            insubiz_ref=self.query_one("#insubiz_ref", Input).value.strip(),
            police_journal=self.query_one("#police_journal", Input).value.strip(),
            support="" if support is Select.NULL else str(support),
            **days,
        )
        problems = outcome_problems(data, self.occurred, self.today)
        self.query_one("#outcome-error", Static).update(literal(" ".join(problems)))
        if not problems:
            self.save_and_dismiss(data, self.save)
