"""Workplaces: list, add and edit."""

from __future__ import annotations

from typing import TYPE_CHECKING, ClassVar, cast

from textual import work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.screen import Screen
from textual.widgets import DataTable, Footer, Header, Static

from trivsel_tui.screens.workplace_form import WorkplaceFormScreen
from trivsel_tui.store.models import Workplace
from trivsel_tui.store.queries import list_workplaces
from trivsel_tui.texts import t
from trivsel_tui.widgets.cells import plain

if TYPE_CHECKING:
    from trivsel_tui.app import TrivselApp


def risk_text(workplace: Workplace) -> str:
    risks = []
    if workplace.risk_violence_citizens:
        risks.append(t("workplaces.risk_violence"))
    if workplace.risk_sexual_citizens:
        risks.append(t("workplaces.risk_sexual"))
    return ", ".join(risks) or t("workplaces.risk_none")


class WorkplacesScreen(Screen[None]):
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("plus", "add", t("keys.add_workplace"), key_display="+", id="add_workplace"),
        Binding("e", "edit", t("keys.edit"), id="edit_workplace"),
    ]

    def __init__(self) -> None:
        super().__init__()
        self._workplaces: dict[int, Workplace] = {}

    @property
    def trivsel(self) -> TrivselApp:
        return cast("TrivselApp", self.app)

    def compose(self) -> ComposeResult:
        yield Header()
        yield Static(t("workplaces.empty"), id="empty-state", classes="empty-state")
        table: DataTable[object] = DataTable(id="workplaces", cursor_type="row", zebra_stripes=True)
        yield table
        yield Footer()

    def on_mount(self) -> None:
        self.title = t("workplaces.title")
        table = self.query_one(DataTable)
        for key in ("name", "unit", "med_level", "risk", "leader", "amr", "tr", "survey"):
            table.add_column(t(f"columns.{key}"), key=key)
        self.load()

    def on_screen_resume(self) -> None:
        self.load()

    @work(thread=True, exclusive=True, exit_on_error=False)
    def load(self) -> None:
        workplaces = list_workplaces(self.trivsel.store)
        self.app.call_from_thread(self._show, workplaces)

    def _show(self, workplaces: list[Workplace], select_id: int | None = None) -> None:
        self._workplaces = {w.id: w for w in workplaces if w.id is not None}
        table = self.query_one(DataTable)
        table.clear()
        for w in workplaces:
            survey = w.last_wellbeing_survey.strftime("%d-%m-%Y") if w.last_wellbeing_survey else "–"
            table.add_row(
                plain(w.name),
                plain(w.unit),
                plain(w.med_level),
                plain(risk_text(w)),
                plain(w.leader_name),
                plain(w.amr_name),
                plain(w.tr_name),
                plain(survey),
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

    def on_data_table_row_selected(self, event: DataTable.RowSelected) -> None:
        event.stop()
        self.action_edit()

    def _saved(self, workplace: Workplace | None) -> None:
        if workplace is not None:
            self.notify(t("notice.saved"))
            self.load()
