"""Workplaces: list, add and edit."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import ClassVar

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.screen import Screen
from textual.widgets import DataTable, Footer, Header, Static

from trivsel_tui.domain.clock import danish_day, local
from trivsel_tui.domain.plans import PlanFacts, PreventionStatus, prevention_status, survey_due
from trivsel_tui.messages import EditWorkplace, NewHandleplan
from trivsel_tui.seam import StoreAccess
from trivsel_tui.store.plans import workplace_plans
from trivsel_tui.store.queries import list_workplaces
from trivsel_tui.store.store import Store
from trivsel_tui.store.views import WorkplaceView
from trivsel_tui.texts import t
from trivsel_tui.widgets.cells import alarm_style, plain


@dataclass(frozen=True)
class WorkplacesWithPlans:
    workplaces: list[WorkplaceView]
    plans: dict[int, list[PlanFacts]]


def workplaces_with_plans(store: Store) -> WorkplacesWithPlans:
    return WorkplacesWithPlans(list_workplaces(store), workplace_plans(store))


def risk_text(workplace: WorkplaceView) -> str:
    risks = []
    if workplace.risk_violence_citizens:
        risks.append(t("workplaces.risk_violence"))
    if workplace.risk_sexual_citizens:
        risks.append(t("workplaces.risk_sexual"))
    return ", ".join(risks) or t("workplaces.risk_none")


def handleplan_cell(status: PreventionStatus) -> Text:
    if status.gaps:
        short = {"prevention_violence": t("workplaces.risk_violence"), "prevention_sexual": t("workplaces.risk_sexual")}
        return Text(f"{t('prevention.gap')}: {', '.join(short[k] for k in status.gaps)}", style=alarm_style())
    if status.required:
        review = f" · {t('plain_words.review')} {danish_day(status.next_review)}" if status.next_review else ""
        return Text(t("prevention.ok") + review)
    return Text(t("prevention.not_required"))


def survey_cell(due: date | None, today: date) -> Text:
    if due is None:
        return Text(t("prevention.survey_never"), style=alarm_style())
    if due < today:
        return Text(t("prevention.survey_overdue", due=danish_day(due)), style=alarm_style())
    return Text(t("prevention.survey_due", due=danish_day(due)))


def adaptation_cell(workplace: WorkplaceView) -> Text:
    if workplace.local_adaptation_decided_on is None:
        return Text(t("prevention.adaptation_none"), style="yellow")
    decided = danish_day(workplace.local_adaptation_decided_on)
    return plain(f"{decided}: {workplace.local_adaptation_decision or '–'}")


class WorkplacesScreen(StoreAccess, Screen[None]):
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("plus", "add", t("keys.add_workplace"), key_display="+", id="add_workplace"),
        Binding("e", "edit", t("keys.edit"), id="edit_workplace"),
        Binding("H", "new_plan", t("plan_keys.new_plan"), key_display="H", id="new_plan"),
    ]

    def __init__(self) -> None:
        super().__init__()
        self._workplaces: dict[int, WorkplaceView] = {}

    def compose(self) -> ComposeResult:
        yield Header()
        yield Static(t("workplaces.empty"), id="empty-state", classes="empty-state")
        table: DataTable[object] = DataTable(id="workplaces", cursor_type="row", zebra_stripes=True)
        yield table
        yield Footer()

    def on_mount(self) -> None:
        self.title = t("workplaces.title")
        table = self.query_one(DataTable)
        for key in ("name", "unit", "risk", "handleplan", "survey", "next_survey", "adaptation", "leader", "amr", "tr"):
            table.add_column(t(f"columns.{key}"), key=key)
        self.load()

    def on_screen_resume(self) -> None:
        self.load()

    def load(self) -> None:
        self.read("workplaces", self._show, workplaces_with_plans)

    def _show(self, found: WorkplacesWithPlans) -> None:
        workplaces, plans = found.workplaces, found.plans
        self._workplaces = {w.id: w for w in workplaces}
        today = local(self.trivsel.clock()).date()
        interval = int(self.trivsel.rules.prevention["wellbeing_survey_interval_months"])
        table = self.query_one(DataTable)
        table.clear()
        for w in workplaces:
            survey = danish_day(w.last_wellbeing_survey)
            status = prevention_status(w.risk_violence_citizens, w.risk_sexual_citizens, plans.get(w.id, []))
            table.add_row(
                plain(w.name),
                plain(w.unit),
                plain(risk_text(w)),
                handleplan_cell(status),
                plain(survey),
                survey_cell(survey_due(w.last_wellbeing_survey, interval), today),
                adaptation_cell(w),
                plain(w.leader_name),
                plain(w.amr_name),
                plain(w.tr_name),
                key=str(w.id),
            )
        self.query_one("#empty-state").display = not workplaces
        table.display = bool(workplaces)
        if workplaces:
            table.focus()

    def _current(self) -> WorkplaceView | None:
        table = self.query_one(DataTable)
        if not table.row_count:
            return None
        key = table.coordinate_to_cell_key(table.cursor_coordinate).row_key.value
        return self._workplaces.get(int(key)) if key is not None else None

    def action_add(self) -> None:
        self.post_message(EditWorkplace(None))

    def action_edit(self) -> None:
        workplace = self._current()
        if workplace is not None:
            self.post_message(EditWorkplace(workplace))

    def action_new_plan(self) -> None:
        """Start a prevention handleplan for the workplace under the cursor."""
        workplace = self._current()
        if workplace is not None:
            self.post_message(NewHandleplan(workplace.id))

    def on_data_table_row_selected(self, event: DataTable.RowSelected) -> None:
        event.stop()
        self.action_edit()
