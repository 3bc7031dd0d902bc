"""Workplaces: list, add and edit."""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING, ClassVar

from rich.text import Text
from textual import work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.screen import Screen
from textual.widgets import DataTable, Footer, Header, Static

from trivsel_tui.dialogs.workplace_form import WorkplaceFormScreen
from trivsel_tui.domain.clock import local
from trivsel_tui.domain.plans import PlanFacts, PreventionStatus, prevention_status, survey_due
from trivsel_tui.store.models import Workplace
from trivsel_tui.store.plans import workplace_plans
from trivsel_tui.store.queries import list_workplaces
from trivsel_tui.texts import t
from trivsel_tui.widgets.app_access import UsesTrivselApp
from trivsel_tui.widgets.cells import plain

if TYPE_CHECKING:
    pass


def risk_text(workplace: Workplace) -> str:
    risks = []
    if workplace.risk_violence_citizens:
        risks.append(t("workplaces.risk_violence"))
    if workplace.risk_sexual_citizens:
        risks.append(t("workplaces.risk_sexual"))
    return ", ".join(risks) or t("workplaces.risk_none")


def handleplan_cell(status: PreventionStatus) -> Text:
    if status.gaps:
        short = {"prevention_violence": t("workplaces.risk_violence"), "prevention_sexual": t("workplaces.risk_sexual")}
        return Text(f"{t('prevention.gap')}: {', '.join(short[k] for k in status.gaps)}", style="bold red")
    if status.required:
        review = f" · revision {status.next_review.strftime('%d-%m-%Y')}" if status.next_review else ""
        return Text(t("prevention.ok") + review)
    return Text(t("prevention.not_required"))


def survey_cell(due: date | None, today: date) -> Text:
    if due is None:
        return Text(t("prevention.survey_never"), style="bold red")
    if due < today:
        return Text(t("prevention.survey_overdue", due=due.strftime("%d-%m-%Y")), style="bold red")
    return Text(t("prevention.survey_due", due=due.strftime("%d-%m-%Y")))


def adaptation_cell(workplace: Workplace) -> Text:
    if workplace.local_adaptation_decided_on is None:
        return Text(t("prevention.adaptation_none"), style="yellow")
    decided = workplace.local_adaptation_decided_on.strftime("%d-%m-%Y")
    return plain(f"{decided}: {workplace.local_adaptation_decision or '–'}")


class WorkplacesScreen(UsesTrivselApp, Screen[None]):
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("plus", "add", t("keys.add_workplace"), key_display="+", id="add_workplace"),
        Binding("e", "edit", t("keys.edit"), id="edit_workplace"),
        Binding("H", "new_plan", t("plan_keys.new_plan"), key_display="H", id="new_plan"),
    ]

    def __init__(self) -> None:
        super().__init__()
        self._workplaces: dict[int, Workplace] = {}

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

    @work(thread=True, exclusive=True, exit_on_error=False)
    def load(self) -> None:
        workplaces = list_workplaces(self.trivsel.store)
        plans = workplace_plans(self.trivsel.store)
        self.app.call_from_thread(self._show, workplaces, plans)

    def _show(self, workplaces: list[Workplace], plans: dict[int, list[PlanFacts]]) -> None:
        self._workplaces = {w.id: w for w in workplaces if w.id is not None}
        today = local(self.trivsel.clock()).date()
        interval = int(self.trivsel.rules.prevention["wellbeing_survey_interval_months"])
        table = self.query_one(DataTable)
        table.clear()
        for w in workplaces:
            survey = w.last_wellbeing_survey.strftime("%d-%m-%Y") if w.last_wellbeing_survey else "–"
            status = prevention_status(w.risk_violence_citizens, w.risk_sexual_citizens, plans.get(w.id or 0, []))
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

    def _current(self) -> Workplace | None:
        table = self.query_one(DataTable)
        if not table.row_count:
            return None
        key = table.coordinate_to_cell_key(table.cursor_coordinate).row_key.value
        return self._workplaces.get(int(key)) if key is not None else None

    def action_add(self) -> None:
        self.app.push_screen(WorkplaceFormScreen(None), self._saved)

    def action_edit(self) -> None:
        workplace = self._current()
        if workplace is not None:
            self.app.push_screen(WorkplaceFormScreen(workplace), self._saved)

    def action_new_plan(self) -> None:
        """Start a prevention handleplan for the workplace under the cursor."""
        from trivsel_tui.dialogs.plan_new import NewPlan, NewPlanScreen
        from trivsel_tui.screens.plan_editor import PlanEditorScreen
        from trivsel_tui.store.plans import create_prevention_plan

        workplace = self._current()
        if workplace is None:
            return

        def chosen(new: NewPlan | None) -> None:
            if new is not None:
                plan_id = create_prevention_plan(self.trivsel.store, new.workplace_id, new.kind)
                self.app.push_screen(PlanEditorScreen(plan_id))

        self.app.push_screen(NewPlanScreen(list(self._workplaces.values()), workplace.id), chosen)

    def on_data_table_row_selected(self, event: DataTable.RowSelected) -> None:
        event.stop()
        self.action_edit()

    def _saved(self, workplace: Workplace | None) -> None:
        if workplace is not None:
            self.notify(t("notice.saved"))
            self.load()
