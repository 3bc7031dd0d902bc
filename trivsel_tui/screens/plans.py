"""All action plans: follow-up plans of cases and prevention handleplaner of workplaces."""

from __future__ import annotations

from collections.abc import Sequence
from typing import ClassVar

from textual.binding import Binding, BindingType
from textual.message import Message

from trivsel_tui.domain.clock import danish_day
from trivsel_tui.domain.plans import label
from trivsel_tui.messages import NewHandleplan, OpenPlan
from trivsel_tui.screens.row_list import RowListScreen
from trivsel_tui.store.plans import PlanRow, list_plans
from trivsel_tui.store.store import Store
from trivsel_tui.texts import t


class PlansScreen(RowListScreen[PlanRow]):
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("plus", "new_plan", t("plan_keys.new_plan"), key_display="+", id="new_plan"),
    ]
    TABLE_ID = "plans"
    TITLE_KEY = "plans.title"
    EMPTY_KEY = "plans.empty"
    COLUMNS = tuple((key, f"plan_columns.{key}") for key in ("kind", "owner", "status", "progress", "next_due"))
    ZEBRA = True

    def read_rows(self, store: Store) -> list[PlanRow]:
        return list_plans(store)

    def cells(self, row: PlanRow) -> Sequence[object]:
        return (
            label("plan_kinds", row.kind),
            row.owner,
            label("plan_statuses", row.status),
            t("plans.progress", done=row.progress.done, total=row.progress.total),
            danish_day(row.progress.next_due),
        )

    def opened(self, row_id: int) -> Message:
        return OpenPlan(row_id)

    def action_new_plan(self) -> None:
        self.post_message(NewHandleplan())
