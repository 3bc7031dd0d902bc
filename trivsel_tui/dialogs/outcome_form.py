"""Record what was done about an episode (modal): the Insubiz/EASY report (date, reference), the police
report (date, journal number), support offered/accepted/declined (with date), and – the employer's
duty after a reported work accident – the AMR's access to the report and a copy to the injured employee."""

from __future__ import annotations

from datetime import date
from typing import ClassVar

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Checkbox, Input, Label, Select, Static

from trivsel_tui.domain.danish_dates import DanishDateError, parse_danish_date
from trivsel_tui.seam import Save, StoreAccess
from trivsel_tui.store.outcomes import SUPPORT, OutcomeInput, OutcomeView, outcome_problems
from trivsel_tui.texts import t
from trivsel_tui.widgets.cells import literal, shown

DATE_FIELDS = ("insubiz_reported_on", "police_reported_on", "support_on")
TICKED = ("amr_access_on", "employee_copy_on")  # a checkbox with its date


def _day_text(day: date | None) -> str:
    return day.strftime("%d-%m-%Y") if day else ""


class OutcomeFormScreen(StoreAccess, ModalScreen[OutcomeInput | None]):
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("ctrl+s", "save", t("keys.save"), priority=True),
        Binding("escape", "dismiss(None)", t("keys.cancel")),
    ]

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

    def compose(self) -> ComposeResult:
        now = self.current
        with VerticalScroll(classes="dialog wide tall") as box:
            box.border_title = t("outcomes.title")
            yield Static(literal(self.heading), classes="dim")
            yield from self._date("insubiz_reported_on")
            yield Label(t("outcomes.insubiz_ref"))
            yield Input(shown(now.insubiz_ref), id="insubiz_ref")
            yield from self._date("police_reported_on")
            yield Label(t("outcomes.police_journal"))
            yield Input(shown(now.police_journal), id="police_journal")
            yield Label(t("outcomes.support"))
            options = [(t(f"outcomes.support_{code}"), code) for code in SUPPORT]
            yield Select(options, value=now.support or Select.NULL, prompt=t("outcomes.support_none"), id="support")
            yield from self._date("support_on")
            yield Static(t("outcomes.duty"), classes="dim")
            for name in TICKED:
                with Horizontal(classes="ticked"):
                    yield Checkbox(t(f"outcomes.{name}"), getattr(now, name) is not None, id=f"{name}-tick")
                    yield Input(_day_text(getattr(now, name)), placeholder=t("form.date_placeholder"), id=name)
            yield Static("", id="outcome-error", classes="field-error")
            yield Static(t("prompt.hint"), classes="dim")

    def _date(self, name: str) -> ComposeResult:
        yield Label(t(f"outcomes.{name}"))
        yield Input(_day_text(getattr(self.current, name)), placeholder=t("form.date_placeholder"), id=name)

    def on_mount(self) -> None:
        self.query_one("#insubiz_reported_on", Input).focus()

    @on(Checkbox.Changed)
    def _ticked(self, event: Checkbox.Changed) -> None:
        """Ticking fills in today (it can be changed); unticking clears the date."""
        field = self.query_one(f"#{str(event.checkbox.id).removesuffix('-tick')}", Input)
        if event.value and not field.value.strip():
            field.value = _day_text(self.today)
        elif not event.value:
            field.value = ""

    def _day(self, name: str) -> date | None:
        if name in TICKED and not self.query_one(f"#{name}-tick", Checkbox).value:
            return None
        text = self.query_one(f"#{name}", Input).value.strip()
        if not text and name in TICKED:
            return self.today
        return parse_danish_date(text, self.today) if text else None

    def action_save(self) -> None:
        error = self.query_one("#outcome-error", Static)
        try:
            days = {name: self._day(name) for name in (*DATE_FIELDS, *TICKED)}
        except DanishDateError as exc:
            error.update(literal(t("talks.bad_date", error=exc)))
            return
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
        error.update(literal(" ".join(problems)))
        if not problems:
            self.save_and_dismiss(data, self.save)
