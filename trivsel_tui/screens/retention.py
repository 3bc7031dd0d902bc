"""Retention: every case's keep-until date and rule; kassation, legal hold and the person's data export."""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import ClassVar

from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.screen import Screen
from textual.widgets import DataTable, Footer, Header, Static

from trivsel_tui.dialogs.confirm import ConfirmScreen
from trivsel_tui.dialogs.hold_form import HoldFormScreen
from trivsel_tui.dialogs.prompt import TextPromptScreen
from trivsel_tui.domain.clock import danish_day, local
from trivsel_tui.domain.retention import HOLD_KINDS
from trivsel_tui.locations import documents_dir
from trivsel_tui.seam import StoreAccess
from trivsel_tui.store.person_export import write_person_export
from trivsel_tui.store.retention import RetentionRow, compact, discard_case, release_hold, retention_rows, set_hold
from trivsel_tui.store.store import Store
from trivsel_tui.texts import t
from trivsel_tui.widgets.cells import alarm_style, literal, plain

COLUMNS = ("ref", "status", "closed", "until", "rule", "state")


def _discard_and_compact(store: Store, row: RetentionRow, reason: str, today: date, early: bool) -> str:
    discarded = discard_case(store, row.ref, reason, today, early=early, seen=row.version)
    compact(store)
    return discarded


def _day(day: date | None) -> str:
    return danish_day(day) if day else t("retention.open")


def _hold_state(row: RetentionRow) -> str:
    kind = t(f"hold_kinds.{row.hold_kind}") if row.hold_kind in HOLD_KINDS else row.hold_kind
    return t("retention_screen.state_hold", kind=kind, reason=row.hold_reason)


class RetentionScreen(StoreAccess, Screen[None]):
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("k", "discard", t("retention_screen.key_discard"), id="discard"),
        Binding("t", "hold", t("retention_screen.key_hold"), id="hold"),
        Binding("f", "release", t("retention_screen.key_release"), id="release"),
        Binding("i", "export_person", t("retention_screen.key_export"), id="export_person"),
        Binding("d", "toggle_due", t("retention_screen.key_due"), id="toggle_due"),
    ]

    due_only = False

    def compose(self) -> ComposeResult:
        yield Header()
        yield Static(t("retention_screen.intro"), id="retention-intro")
        table: DataTable[object] = DataTable(id="retention", cursor_type="row", zebra_stripes=True)
        yield table
        yield Static(id="retention-source")
        yield Footer()

    def on_mount(self) -> None:
        self.title = t("retention_screen.title")
        table = self.query_one(DataTable)
        for key in COLUMNS:
            table.add_column(t(f"retention_screen.column_{key}"), key=key)
        self.rows: dict[str, RetentionRow] = {}
        self.load()

    def on_screen_resume(self) -> None:
        self.load()

    def today(self) -> date:
        return local(self.trivsel.clock()).date()

    def load(self) -> None:
        self.read("rows", self._show, retention_rows, self.today(), self.due_only)

    def _show(self, rows: list[RetentionRow]) -> None:
        table = self.query_one(DataTable)
        table.clear()
        self.rows = {row.ref: row for row in rows}
        for row in rows:
            table.add_row(*self._cells(row), key=row.ref)
        if not rows:
            self.query_one("#retention-source", Static).update(
                t("retention.none_due" if self.due_only else "retention.no_cases")
            )
        table.focus()

    def _cells(self, row: RetentionRow) -> list[object]:
        local_default = t("retention.local_default") if row.rule.local_default else ""
        state = t("retention_screen.state_due") if row.due else ""
        state = _hold_state(row) if row.hold_kind else state
        return [
            plain(row.ref),
            plain(t(f"status.{row.status}") if row.status in ("open", "closed") else row.status),
            plain(danish_day(row.closed_at) if row.closed_at else ""),
            plain(_day(row.until)),
            plain(t("retention_screen.rule", label=row.rule.label, years=row.rule.years, local=local_default)),
            plain(state, alarm_style() if row.due else ""),
        ]

    def on_data_table_row_highlighted(self, event: DataTable.RowHighlighted) -> None:
        row = self.rows.get(str(event.row_key.value))
        if row is not None:
            # The whole hold reason too: the table's last column cuts it off on a narrow terminal.
            lines = [t("retention_screen.source", source=row.rule.source), _hold_state(row) if row.hold_kind else ""]
            self.query_one("#retention-source", Static).update(literal("\n".join(lines).strip()))

    def selected(self) -> RetentionRow | None:
        table = self.query_one(DataTable)
        if not table.row_count:
            return None
        key = table.coordinate_to_cell_key(table.cursor_coordinate).row_key.value
        return self.rows.get(str(key))

    def action_toggle_due(self) -> None:
        self.due_only = not self.due_only
        self.load()

    def action_discard(self) -> None:
        row = self.selected()
        if row is None:
            return
        refusal = self._refusal(row)
        if refusal:
            self.app.notify(refusal, severity="warning")
            return

        def confirmed(yes: bool | None) -> None:
            if yes:
                self.app.push_screen(
                    TextPromptScreen(
                        t("retention_screen.discard_title", ref=row.ref),
                        t("retention_screen.reason_label"),
                        save=lambda store, reason: _discard_and_compact(store, row, reason, self.today(), early),
                    ),
                    lambda reason: self._changed(t("retention.discarded", ref=row.ref)) if reason else None,
                )

        early = not row.due
        question = t("retention.confirm_intro", ref=row.ref)
        if early:
            question += "\n\n" + t("retention_screen.confirm_early", ref=row.ref, until=_day(row.until))
        self.app.push_screen(ConfirmScreen(question), confirmed)

    def _refusal(self, row: RetentionRow) -> str:
        if row.hold_kind:
            return t("retention.on_hold", ref=row.ref, reason=row.hold_reason)
        if row.status != "closed":
            return t("retention.still_open", ref=row.ref)
        return ""

    def action_hold(self) -> None:
        row = self.selected()
        if row is None or row.hold_kind:
            return
        self.app.push_screen(
            HoldFormScreen(
                t("retention_screen.hold_title", ref=row.ref),
                save=lambda store, hold: set_hold(store, row.ref, *hold, seen=row.version),
            ),
            lambda hold: self._changed(t("retention.held", ref=row.ref)) if hold else None,
        )

    def action_release(self) -> None:
        row = self.selected()
        if row is None or not row.hold_kind:
            return
        self.app.push_screen(
            TextPromptScreen(
                t("retention_screen.release_title", ref=row.ref),
                t("retention_screen.reason_label"),
                save=lambda store, reason: release_hold(store, row.ref, reason, seen=row.version),
            ),
            lambda reason: self._changed(t("retention.released", ref=row.ref)) if reason else None,
        )

    def action_export_person(self) -> None:
        row = self.selected()
        if row is None:
            return
        stamp = local(self.trivsel.clock()).strftime("%Y-%m-%d_%H%M%S")
        self.write(self._exported, write_person_export, row.person, documents_dir(), stamp)

    def _exported(self, written: tuple[Path, Path, object]) -> None:
        self.app.notify(t("retention_screen.exported", markdown=written[0], json=written[1]), timeout=15)

    def _changed(self, message: str) -> None:
        self.app.notify(message)
        self.load()
