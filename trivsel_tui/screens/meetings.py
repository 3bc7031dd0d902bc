"""Meetings: every meeting of arbejdsmiljøgruppen, a triogruppe or a Lokal MED-udvalg; plan a new one,
or open one (also a past one, to read it again or export its minutes)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import ClassVar

from textual.binding import Binding, BindingType
from textual.message import Message

from trivsel_tui.dialogs.meeting_new import NewMeetingScreen
from trivsel_tui.domain.clock import danish_day
from trivsel_tui.messages import OpenMeeting
from trivsel_tui.screens.row_list import RowListScreen
from trivsel_tui.store.meetings import MeetingRow, list_meetings
from trivsel_tui.store.store import Store
from trivsel_tui.texts import t


class MeetingsScreen(RowListScreen[MeetingRow]):
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("plus", "new_meeting", t("meeting_keys.new"), key_display="+", id="new_meeting"),
    ]
    TABLE_ID = "meetings"
    TITLE_KEY = "meetings.title"
    EMPTY_KEY = "meetings.empty"
    COLUMNS = tuple((key, f"meetings.column_{key}") for key in ("held_on", "body", "status", "items"))

    def read_rows(self, store: Store) -> list[MeetingRow]:
        return list_meetings(store)

    def cells(self, row: MeetingRow) -> Sequence[object]:
        return (
            danish_day(row.held_on),
            f"{t(f'meeting_bodies.{row.body_kind}')} – {row.body_name}",
            t(f"meeting_status.{row.status}"),
            row.items,
        )

    def opened(self, row_id: int) -> Message:
        return OpenMeeting(row_id)

    def action_new_meeting(self) -> None:
        def created(meeting_id: int | None) -> None:
            if meeting_id is not None:
                self.post_message(OpenMeeting(meeting_id))

        self.app.push_screen(NewMeetingScreen(self.trivsel.clock()), created)
