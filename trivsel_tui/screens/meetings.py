"""Meetings: every meeting of arbejdsmiljøgruppen, a triogruppe or a Lokal MED-udvalg; plan a new one,
or open one (also a past one, to read it again or export its minutes)."""

from __future__ import annotations

from typing import ClassVar

from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.screen import Screen
from textual.widgets import DataTable, Footer, Header, Static

from trivsel_tui.dialogs.meeting_new import NewMeetingScreen
from trivsel_tui.domain.clock import danish_day
from trivsel_tui.messages import OpenMeeting
from trivsel_tui.seam import StoreAccess
from trivsel_tui.store.meetings import MeetingRow, list_meetings
from trivsel_tui.texts import t
from trivsel_tui.widgets.cells import plain


class MeetingsScreen(StoreAccess, Screen[None]):
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("plus", "new_meeting", t("meeting_keys.new"), key_display="+", id="new_meeting"),
    ]

    def compose(self) -> ComposeResult:
        yield Header()
        yield Static(t("meetings.empty"), id="empty-state", classes="empty-state")
        table: DataTable[object] = DataTable(id="meetings", cursor_type="row", zebra_stripes=False)
        yield table
        yield Footer()

    def on_mount(self) -> None:
        self.title = t("meetings.title")
        table = self.query_one(DataTable)
        for key in ("held_on", "body", "status", "items"):
            table.add_column(t(f"meetings.column_{key}"), key=key)
        self.load()

    def on_screen_resume(self) -> None:
        self.load()

    def load(self) -> None:
        self.read("meetings", self._show, list_meetings)

    def _show(self, rows: list[MeetingRow]) -> None:
        table = self.query_one(DataTable)
        table.clear()
        for row in rows:
            table.add_row(
                plain(danish_day(row.held_on)),
                plain(f"{t(f'meeting_bodies.{row.body_kind}')} – {row.body_name}"),
                plain(t(f"meeting_status.{row.status}")),
                plain(row.items),
                key=str(row.id),
            )
        self.query_one("#empty-state").display = not rows
        table.display = bool(rows)
        if rows:
            table.focus()

    def on_data_table_row_selected(self, event: DataTable.RowSelected) -> None:
        event.stop()
        if event.row_key.value is not None:
            self.post_message(OpenMeeting(int(event.row_key.value)))

    def action_new_meeting(self) -> None:
        def created(meeting_id: int | None) -> None:
            if meeting_id is not None:
                self.post_message(OpenMeeting(meeting_id))

        self.app.push_screen(NewMeetingScreen(self.trivsel.clock()), created)
