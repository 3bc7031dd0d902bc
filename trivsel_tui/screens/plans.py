"""All action plans: follow-up plans of cases and prevention handleplaner of workplaces."""

from __future__ import annotations

from typing import ClassVar

from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.screen import Screen
from textual.widgets import DataTable, Footer, Header, Static

from trivsel_tui.domain.clock import danish_day
from trivsel_tui.domain.plans import label
from trivsel_tui.messages import NewHandleplan, OpenPlan
from trivsel_tui.seam import StoreAccess
from trivsel_tui.store.plans import PlanRow, list_plans
from trivsel_tui.texts import t
from trivsel_tui.widgets.cells import plain


class PlansScreen(StoreAccess, Screen[None]):
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("plus", "new_plan", t("plan_keys.new_plan"), key_display="+", id="new_plan"),
    ]

    def compose(self) -> ComposeResult:
        yield Header()
        yield Static(t("plans.empty"), id="empty-state", classes="empty-state")
        table: DataTable[object] = DataTable(id="plans", cursor_type="row", zebra_stripes=True)
        yield table
        yield Footer()

    def on_mount(self) -> None:
        self.title = t("plans.title")
        table = self.query_one(DataTable)
        for key in ("kind", "owner", "status", "progress", "next_due"):
            table.add_column(t(f"plan_columns.{key}"), key=key)
        self.load()

    def on_screen_resume(self) -> None:
        self.load()

    def load(self) -> None:
        self.read("plans", self._show, list_plans)

    def _show(self, rows: list[PlanRow]) -> None:
        table = self.query_one(DataTable)
        table.clear()
        for row in rows:
            table.add_row(
                plain(label("plan_kinds", row.kind)),
                plain(row.owner),
                plain(label("plan_statuses", row.status)),
                plain(t("plans.progress", done=row.progress.done, total=row.progress.total)),
                plain(danish_day(row.progress.next_due)),
                key=str(row.id),
            )
        self.query_one("#empty-state").display = not rows
        table.display = bool(rows)
        if rows:
            table.focus()

    def on_data_table_row_selected(self, event: DataTable.RowSelected) -> None:
        event.stop()
        if event.row_key.value is not None:
            self.post_message(OpenPlan(int(event.row_key.value)))

    def action_new_plan(self) -> None:
        self.post_message(NewHandleplan())
