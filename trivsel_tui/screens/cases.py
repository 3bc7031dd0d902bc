"""All cases, filtered as you type (in SQL, one page at a time)."""

from __future__ import annotations

from functools import partial
from typing import ClassVar

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.screen import Screen
from textual.widgets import DataTable, Footer, Header, Input, Static

from trivsel_tui.messages import Landing
from trivsel_tui.seam import StoreAccess
from trivsel_tui.store.queries import CASE_SORTS, PAGE, CaseRow, search_cases
from trivsel_tui.texts import t
from trivsel_tui.widgets.cells import due_cell, literal, plain


class CasesScreen(Landing, StoreAccess, Screen[None]):
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("slash", "focus_filter", t("keys.filter"), key_display="/", id="filter"),
        Binding("down", "focus_table", show=False),
        Binding("escape", "focus_table", show=False),  # out of the search box, so the one-letter keys work again
        Binding("ctrl+o", "next_sort", t("keys.sort"), id="sort", priority=True),
        Binding("ctrl+r", "reverse_sort", t("keys.reverse"), id="reverse", priority=True),
    ]

    sort_column = "ref"
    descending = True

    def compose(self) -> ComposeResult:
        yield Header()
        yield Input(placeholder=t("cases.filter_placeholder"), id="filter")
        yield Static(id="count")
        table: DataTable[object] = DataTable(id="cases", cursor_type="row", zebra_stripes=True)
        yield table
        yield Footer()

    def on_mount(self) -> None:
        self.title = t("cases.title")
        table = self.query_one(DataTable)
        for key in CASE_SORTS:
            table.add_column(t(f"columns.{key}"), key=key)
        self.query_one(Input).focus()
        self.load("")

    def on_screen_resume(self) -> None:
        self.load(self.query_one(Input).value)

    def landed(self) -> None:
        # `s` means "find a case": what is typed next goes into the search, even if the list had the focus.
        self.action_focus_filter()

    @on(Input.Changed, "#filter")
    def filter_changed(self, event: Input.Changed) -> None:
        self.load(event.value)

    @on(Input.Submitted, "#filter")
    def filter_submitted(self) -> None:
        self.action_focus_table()

    def action_focus_filter(self) -> None:
        self.query_one(Input).focus()

    def action_focus_table(self) -> None:
        self.query_one(DataTable).focus()

    def action_next_sort(self) -> None:
        columns = list(CASE_SORTS)
        self.sort_column = columns[(columns.index(self.sort_column) + 1) % len(columns)]
        self.descending = self.sort_column == "ref"  # newest first; everything else A–Å / soonest first
        self.load(self.query_one(Input).value)

    def action_reverse_sort(self) -> None:
        self.descending = not self.descending
        self.load(self.query_one(Input).value)

    def on_data_table_header_selected(self, event: DataTable.HeaderSelected) -> None:
        key = str(event.column_key.value)
        if key in CASE_SORTS:
            self.descending = not self.descending if key == self.sort_column else key == "ref"
            self.sort_column = key
            self.load(self.query_one(Input).value)

    def load(self, text: str) -> None:
        self.read(
            "cases",
            partial(self._show, text),
            search_cases,
            text,
            sort=self.sort_column,
            descending=self.descending,
        )

    def _show(self, text: str, rows: list[CaseRow]) -> None:
        table = self.query_one(DataTable)
        table.clear()
        now = self.trivsel.clock()
        soon = self.trivsel.settings.due_soon_days
        for row in rows:
            table.add_row(
                plain(row.ref),
                plain(row.workplace),
                plain(row.person),
                plain(t(f"status.{row.status}")),
                due_cell(row.next_due, now, soon),
                key=str(row.id),
            )
        count = self.query_one("#count", Static)
        direction = "↓" if self.descending else "↑"
        sort_text = t("cases.sorted_by", column=t(f"columns.{self.sort_column}"), direction=direction)
        if not rows:
            count.update(literal(t("cases.none", text=text) if text.strip() else t("cases.empty")))
        elif len(rows) >= PAGE:
            count.update(literal(t("cases.count_limited", shown=len(rows)) + " · " + sort_text))
        else:
            count.update(literal(t("cases.count", shown=len(rows)) + " · " + sort_text))

    def on_data_table_row_selected(self, event: DataTable.RowSelected) -> None:
        event.stop()
        if event.row_key.value is not None:
            self.trivsel.open_case(int(event.row_key.value))
