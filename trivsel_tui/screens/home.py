"""Home: the follow-up overview. Until the dashboard lands it lists open cases by nearest deadline."""

from __future__ import annotations

from typing import TYPE_CHECKING, ClassVar, cast

from textual import work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.screen import Screen
from textual.widgets import DataTable, Footer, Header, Static

from trivsel_tui.store.queries import PAGE, CaseRow, Overview, open_cases, overview
from trivsel_tui.texts import t
from trivsel_tui.widgets.cells import due_cell, plain

if TYPE_CHECKING:
    from trivsel_tui.app import TrivselApp


class HomeScreen(Screen[None]):
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("enter", "open_case", t("keys.open"), id="open_case"),
        Binding("r", "reload", t("keys.refresh"), id="reload"),
    ]

    @property
    def trivsel(self) -> TrivselApp:
        return cast("TrivselApp", self.app)

    def compose(self) -> ComposeResult:
        yield Header()
        yield Static(id="summary")
        yield Static(t("home.empty"), id="empty-state", classes="empty-state")
        table: DataTable[object] = DataTable(id="open-cases", cursor_type="row", zebra_stripes=True)
        yield table
        yield Footer()

    def on_mount(self) -> None:
        self.title = t("home.title")
        table = self.query_one(DataTable)
        table.border_title = t("home.table_caption", limit=PAGE)
        table.add_column(t("columns.next_due"), key="due")
        table.add_column(t("columns.ref"), key="ref")
        table.add_column(t("columns.workplace"), key="workplace")
        table.add_column(t("columns.person"), key="person")
        table.add_column(t("columns.open_tasks"), key="open")
        self.query_one("#empty-state").display = False
        self.load()

    def on_screen_resume(self) -> None:
        self.load()

    def action_reload(self) -> None:
        self.load()

    @work(thread=True, exclusive=True, exit_on_error=False)
    def load(self) -> None:
        store = self.trivsel.store
        counts = overview(store)
        rows = open_cases(store)
        self.app.call_from_thread(self._show, counts, rows)

    def _show(self, counts: Overview, rows: list[CaseRow]) -> None:
        self.query_one("#summary", Static).update(
            t("home.summary", open_cases=counts.open_cases, cases=counts.cases, workplaces=counts.workplaces)
        )
        empty = counts.cases == 0
        self.query_one("#empty-state").display = empty
        table = self.query_one(DataTable)
        table.display = not empty
        now = self.trivsel.clock()
        soon = self.trivsel.settings.due_soon_days
        table.clear()
        for row in rows:
            table.add_row(
                due_cell(row.next_due, now, soon),
                plain(row.ref),
                plain(row.workplace),
                plain(row.person),
                plain(row.open_tasks),
                key=str(row.id),
            )
        if not empty:
            table.focus()

    def action_open_case(self) -> None:
        table = self.query_one(DataTable)
        if table.row_count:
            key = table.coordinate_to_cell_key(table.cursor_coordinate).row_key.value
            if key is not None:
                self.trivsel.open_case(int(key))

    def on_data_table_row_selected(self, event: DataTable.RowSelected) -> None:
        event.stop()
        if event.row_key.value is not None:
            self.trivsel.open_case(int(event.row_key.value))
