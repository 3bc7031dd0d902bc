"""Start a prevention handleplan for a workplace (modal): which workplace, which kind. Closes with the new plan's id."""

from __future__ import annotations

from typing import ClassVar

from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.widgets import Label, Select, Static

from trivsel_tui.dialogs.base import Dialog
from trivsel_tui.domain.plans import label
from trivsel_tui.store.plans import create_prevention_plan
from trivsel_tui.store.queries import list_workplaces
from trivsel_tui.store.views import WorkplaceView
from trivsel_tui.texts import t
from trivsel_tui.widgets.cells import literal
from trivsel_tui.widgets.fields import Choice


class NewPlanScreen(Dialog[int | None]):
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("ctrl+s", "save", t("keys.save"), priority=True),
    ]

    def __init__(self, workplace_id: int | None = None) -> None:
        super().__init__()
        self.workplace_id = workplace_id

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog") as box:
            box.border_title = t("plans.new_title")
            yield Label(t("plans.new_workplace"))
            yield Choice[int]([], id="plan-workplace")
            yield Label(t("plans.new_kind"))
            kinds = [(label("plan_kinds", k), k) for k in ("prevention_violence", "prevention_sexual")]
            yield Choice(kinds, value="prevention_violence", allow_blank=False, id="plan-kind")
            yield Static(t("prompt.hint"), classes="dim")

    def on_mount(self) -> None:
        self.query_one("#plan-workplace", Select).focus()
        self.read("workplaces", self._offer, list_workplaces)

    def _offer(self, workplaces: list[WorkplaceView]) -> None:
        if not workplaces:
            self.notify(t("plans.no_workplaces"), severity="warning")
            self.dismiss(None)
            return
        chosen = self.workplace_id if self.workplace_id is not None else workplaces[0].id
        select = self.query_one("#plan-workplace", Select)
        select.set_options((literal(w.name), w.id) for w in workplaces)
        select.value = chosen
        self.remember_initial()  # the list arriving is not something the user typed

    def action_save(self) -> None:
        workplace = self.query_one("#plan-workplace", Select).value
        kind = self.query_one("#plan-kind", Select).value
        if isinstance(workplace, int):
            self.write(self.dismiss, create_prevention_plan, workplace, str(kind))
