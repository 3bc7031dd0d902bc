"""Choose the statistics' selection (modal): period, categories, perpetrator roles, workplaces.
Ctrl+S applies, Escape cancels; keyboard only."""

from __future__ import annotations

from datetime import date
from typing import ClassVar

from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.widgets import Input, Label, SelectionList, Static

from trivsel_tui.dialogs.base import Dialog
from trivsel_tui.domain.clock import danish_day
from trivsel_tui.domain.danish_dates import DanishDateError, parse_danish_date
from trivsel_tui.store.statistics import StatFilters
from trivsel_tui.texts import t
from trivsel_tui.widgets.cells import literal


class StatsFilterDialog(Dialog[StatFilters | None]):
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("ctrl+s", "apply", t("keys.save"), priority=True),
    ]

    def __init__(
        self,
        current: StatFilters,
        today: date,
        workplaces: list[tuple[str, int]],
        categories: list[tuple[str, str]],
        perpetrators: list[tuple[str, str]],
    ) -> None:
        super().__init__()
        self.current = current
        self.today = today
        self.workplaces = workplaces
        self.categories = categories
        self.perpetrators = perpetrators

    def compose(self) -> ComposeResult:
        current = self.current
        with VerticalScroll(classes="dialog wide tall", id="stats-filter") as box:
            box.border_title = t("stats_filter.title")
            with Horizontal(classes="stats-dates"):
                with Vertical():
                    yield Label(t("stats_filter.start"))
                    yield Input(_day(current.start), placeholder=t("form.date_placeholder"), id="stats-start")
                with Vertical():
                    yield Label(t("stats_filter.end"))
                    yield Input(_day(current.end), placeholder=t("form.date_placeholder"), id="stats-end")
            yield Static("", id="stats-filter-error", classes="field-error")
            yield Label(t("stats_filter.categories"))
            yield SelectionList[str](
                *((name, code, code in current.categories) for name, code in self.categories), id="stats-categories"
            )
            yield Label(t("stats_filter.perpetrators"))
            yield SelectionList[str](
                *((name, code, code in current.perpetrators) for name, code in self.perpetrators),
                id="stats-perpetrators",
            )
            yield Label(t("stats_filter.workplaces"))
            yield SelectionList[int](
                *((literal(name), wid, wid in current.workplace_ids) for name, wid in self.workplaces),
                id="stats-workplaces",
            )
            yield Static(t("stats_filter.hint"), classes="dim")

    def on_mount(self) -> None:
        self.query_one("#stats-start", Input).focus()

    def _date(self, widget_id: str, label: str) -> date | None:
        text = self.query_one(widget_id, Input).value.strip()
        if not text:
            return None
        try:
            return parse_danish_date(text, self.today)
        except DanishDateError as exc:
            raise ValueError(f"{label}: {exc}") from exc

    def action_apply(self) -> None:
        try:
            start = self._date("#stats-start", t("stats_filter.start"))
            end = self._date("#stats-end", t("stats_filter.end"))
        except ValueError as exc:
            self.query_one("#stats-filter-error", Static).update(str(exc))
            return
        if start and end and end < start:
            self.query_one("#stats-filter-error", Static).update(t("stats_filter.end_before_start"))
            return
        self.dismiss(
            StatFilters(
                start=start,
                end=end,
                workplace_ids=tuple(self.query_one("#stats-workplaces", SelectionList).selected),
                categories=tuple(self.query_one("#stats-categories", SelectionList).selected),
                perpetrators=tuple(self.query_one("#stats-perpetrators", SelectionList).selected),
            )
        )


def _day(value: date | None) -> str:
    return danish_day(value) if value else ""
