"""Start a prevention handleplan for a workplace (modal): which workplace, which kind."""

from __future__ import annotations

from dataclasses import dataclass
from typing import ClassVar

from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Label, Select, Static

from trivsel_tui.domain.plans import label
from trivsel_tui.store.models import Workplace
from trivsel_tui.texts import t
from trivsel_tui.widgets.cells import literal


@dataclass(frozen=True)
class NewPlan:
    workplace_id: int
    kind: str


class NewPlanScreen(ModalScreen[NewPlan | None]):
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("ctrl+s", "save", t("keys.save"), priority=True),
        Binding("escape", "dismiss(None)", t("keys.cancel")),
    ]

    def __init__(self, workplaces: list[Workplace], workplace_id: int | None = None) -> None:
        super().__init__()
        self.workplaces = workplaces
        self.workplace_id = workplace_id

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog") as box:
            box.border_title = t("plans.new_title")
            yield Label(t("plans.new_workplace"))
            choices = [(literal(w.name), w.id) for w in self.workplaces]
            yield Select(choices, value=self.workplace_id or choices[0][1], allow_blank=False, id="plan-workplace")
            yield Label(t("plans.new_kind"))
            kinds = [(label("plan_kinds", k), k) for k in ("prevention_violence", "prevention_sexual")]
            yield Select(kinds, value="prevention_violence", allow_blank=False, id="plan-kind")
            yield Static(t("prompt.hint"), classes="dim")

    def on_mount(self) -> None:
        self.query_one("#plan-workplace", Select).focus()

    def action_save(self) -> None:
        workplace = self.query_one("#plan-workplace", Select).value
        kind = self.query_one("#plan-kind", Select).value
        self.dismiss(NewPlan(int(str(workplace)), str(kind)))
