"""A closed meeting's minutes, every version (modal): which, when and why, and the chosen one's text to
read. `e` asks the meeting screen to save the chosen version (Markdown and PDF) into the export folder."""

from __future__ import annotations

from typing import ClassVar

from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.widgets import DataTable, Static, TextArea

from trivsel_tui.dialogs.base import Dialog, subject_line
from trivsel_tui.domain.clock import local
from trivsel_tui.store.meeting_view import MinutesVersion
from trivsel_tui.texts import t
from trivsel_tui.widgets.cells import plain, shown


class MinutesVersionsScreen(Dialog[int | None]):
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("e", "export", t("meeting_keys.export"), id="export_version"),
    ]

    def __init__(self, title: str, versions: list[MinutesVersion]) -> None:
        super().__init__()
        self.heading = title
        self.versions = versions

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog tall meeting-dialog minutes-dialog") as box:
            box.border_title = t("meeting_versions.title")
            yield subject_line(self.heading)
            table: DataTable[object] = DataTable(id="versions", cursor_type="row")
            yield table
            yield TextArea("", id="version-text", read_only=True, soft_wrap=True)
            yield Static(t("meeting_versions.hint"), classes="dim")

    def on_mount(self) -> None:
        table = self.query_one(DataTable)
        for key in ("version", "made", "reason"):
            table.add_column(t(f"meeting_versions.column_{key}"), key=key)
        for version in reversed(self.versions):  # the newest, the one in force, first
            made = local(version.made_at).strftime("%d-%m-%Y %H:%M")
            reason = version.reason or t("meeting_versions.as_closed")
            table.add_row(plain(version.version), plain(made), plain(reason), key=str(version.version))
        table.focus()
        self._show(self.versions[-1] if self.versions else None)

    def _chosen(self) -> MinutesVersion | None:
        table = self.query_one(DataTable)
        if not table.row_count:
            return None
        key = table.coordinate_to_cell_key(table.cursor_coordinate).row_key.value
        return next((v for v in self.versions if str(v.version) == key), None)

    def _show(self, version: MinutesVersion | None) -> None:
        self.query_one(TextArea).text = shown(version.markdown) if version else t("meeting_versions.none")

    def on_data_table_row_highlighted(self, _event: DataTable.RowHighlighted) -> None:
        self._show(self._chosen())

    def on_data_table_row_selected(self, _event: DataTable.RowSelected) -> None:
        self.action_export()

    def action_export(self) -> None:
        chosen = self._chosen()
        if chosen is not None:
            self.dismiss(chosen.version)
