"""What the plain list screens share (plans, meetings): a title, an empty-state text that says how to
start, one table of rows read through the seam and read again on return, and Enter opening a row."""

from __future__ import annotations

from collections.abc import Sequence
from typing import ClassVar, Generic, Protocol, TypeVar

from textual.app import ComposeResult
from textual.message import Message
from textual.screen import Screen
from textual.widgets import DataTable, Footer, Header, Static

from trivsel_tui.seam import StoreAccess
from trivsel_tui.store.store import Store
from trivsel_tui.texts import t
from trivsel_tui.widgets.cells import plain


class Row(Protocol):
    @property
    def id(self) -> int: ...


R = TypeVar("R", bound=Row)


class RowListScreen(StoreAccess, Screen[None], Generic[R]):
    TABLE_ID: ClassVar[str]
    TITLE_KEY: ClassVar[str]
    EMPTY_KEY: ClassVar[str]  # what to press to make the first row
    COLUMNS: ClassVar[Sequence[tuple[str, str]]]  # (column key, text key of its heading)
    ZEBRA: ClassVar[bool] = False

    def read_rows(self, store: Store) -> list[R]:
        """The rows, read by the seam off the UI thread."""
        raise NotImplementedError

    def cells(self, row: R) -> Sequence[object]:
        raise NotImplementedError

    def opened(self, row_id: int) -> Message:
        """The message that opens a row (app.py routes it)."""
        raise NotImplementedError

    def compose(self) -> ComposeResult:
        yield Header()
        yield Static(t(self.EMPTY_KEY), id="empty-state", classes="empty-state")
        table: DataTable[object] = DataTable(id=self.TABLE_ID, cursor_type="row", zebra_stripes=self.ZEBRA)
        yield table
        yield Footer()

    def on_mount(self) -> None:
        self.title = t(self.TITLE_KEY)
        table = self.query_one(DataTable)
        for key, heading in self.COLUMNS:
            table.add_column(t(heading), key=key)
        self.load()

    def on_screen_resume(self) -> None:
        self.load()

    def load(self) -> None:
        self.read(self.TABLE_ID, self._show, self.read_rows)

    def _show(self, rows: list[R]) -> None:
        table = self.query_one(DataTable)
        table.clear()
        for row in rows:
            table.add_row(*(plain(cell) for cell in self.cells(row)), key=str(row.id))
        self.query_one("#empty-state").display = not rows
        table.display = bool(rows)
        if rows:
            table.focus()

    def on_data_table_row_selected(self, event: DataTable.RowSelected) -> None:
        event.stop()
        if event.row_key.value is not None:
            self.post_message(self.opened(int(event.row_key.value)))
