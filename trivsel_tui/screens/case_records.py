"""A case's records: the people involved, individual talks, and what was done about each episode.

Reached from the case view (key c). Every change goes through the store, audited and sealed with the
case's key; names are shown literally.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import ClassVar

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import VerticalScroll
from textual.screen import Screen
from textual.widgets import DataTable, Footer, Header, Static

from trivsel_tui.dialogs.confirm import ConfirmScreen
from trivsel_tui.dialogs.party_form import PartyFormScreen
from trivsel_tui.domain.parties import needs_hearing
from trivsel_tui.seam import StoreAccess
from trivsel_tui.store.parties import PartyInput, PartyView, parties_for, remove_party, save_party
from trivsel_tui.store.queries import CaseDetail, case_detail
from trivsel_tui.store.store import Store
from trivsel_tui.texts import t
from trivsel_tui.widgets.cells import plain, safe


@dataclass(frozen=True)
class RecordsPage:
    detail: CaseDetail | None
    parties: list[PartyView]


def records_page(store: Store, case_id: int) -> RecordsPage:
    detail = case_detail(store, case_id)
    if detail is None:
        return RecordsPage(None, [])
    return RecordsPage(detail, parties_for(store, case_id))


class CaseRecordsScreen(StoreAccess, Screen[None]):
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "app.pop_screen", t("keys.back"), id="back"),
        Binding("p", "add_party", t("parties.key_add"), id="add_party"),
        Binding("e", "edit_party", t("parties.key_edit"), id="edit_party"),
        Binding("x", "remove_party", t("parties.key_remove"), id="remove_party"),
    ]

    def __init__(self, case_id: int) -> None:
        super().__init__()
        self.case_id = case_id
        self.page = RecordsPage(None, [])

    def compose(self) -> ComposeResult:
        yield Header()
        yield Static(id="records-header")
        with VerticalScroll(id="records-body"):
            yield Static(t("parties.title"), classes="section-title")
            yield Static(id="hearing-notice", classes="notice")
            parties: DataTable[object] = DataTable(id="parties", cursor_type="row")
            yield parties
        yield Footer()

    def on_mount(self) -> None:
        table = self.query_one("#parties", DataTable)
        for key in ("role", "name", "job", "note"):
            table.add_column(t(f"parties.column_{key}"), key=key)
        table.focus()
        self.load()

    def load(self) -> None:
        self.read("records", self._show, records_page, self.case_id)

    def _changed(self, _result: object = None) -> None:
        self.load()

    def _show(self, page: RecordsPage) -> None:
        self.page = page
        detail = page.detail
        if detail is None:
            self.query_one("#records-header", Static).update(t("case.not_found"))
            return
        self.title = t("parties.screen_title", ref=detail.case.ref)
        header = Text(t("parties.header", ref=detail.case.ref, person=detail.case.affected_person), style="bold")
        self.query_one("#records-header", Static).update(safe(header))
        hearing = any(needs_hearing(e.perpetrator) for e in detail.episodes)
        notice = self.query_one("#hearing-notice", Static)
        notice.update(t("parties.not_anonymous") if hearing else "")
        notice.display = hearing
        self._show_parties(page.parties)

    def _relation(self, party: PartyView) -> str:
        label = t(f"parties.role_{party.role}")
        if party.relation:
            label += f" ({self.trivsel.rules.perpetrators.get(party.relation, party.relation)})"
        return label

    def _show_parties(self, parties: list[PartyView]) -> None:
        table = self.query_one("#parties", DataTable)
        cursor = table.cursor_row
        table.clear()
        for party in parties:
            table.add_row(
                plain(self._relation(party)), plain(party.name), plain(party.job), plain(party.note), key=str(party.id)
            )
        if parties:
            table.move_cursor(row=min(cursor, len(parties) - 1))

    def _current_party(self) -> PartyView | None:
        table = self.query_one("#parties", DataTable)
        if not table.row_count:
            return None
        key = table.coordinate_to_cell_key(table.cursor_coordinate).row_key.value
        return next((party for party in self.page.parties if str(party.id) == key), None)

    def _party_form(self, party: PartyView | None) -> None:
        case_id, party_id = self.case_id, party.id if party else None

        def save(store: Store, data: PartyInput) -> None:
            save_party(store, case_id, data, party_id)

        form = PartyFormScreen(self.trivsel.rules.perpetrators, party, save=save)
        self.app.push_screen(form, self._changed)

    def action_add_party(self) -> None:
        self._party_form(None)

    def action_edit_party(self) -> None:
        party = self._current_party()
        if party is None:
            self.notify(t("parties.none_chosen"), severity="warning")
            return
        self._party_form(party)

    def on_data_table_row_selected(self, event: DataTable.RowSelected) -> None:
        if event.data_table.id == "parties":
            self.action_edit_party()

    def action_remove_party(self) -> None:
        party = self._current_party()
        if party is None:
            self.notify(t("parties.none_chosen"), severity="warning")
            return
        party_id = party.id

        def decided(yes: bool | None) -> None:
            if yes:
                self.write(self._changed, remove_party, party_id)

        self.app.push_screen(ConfirmScreen(t("parties.remove_question", name=party.name)), decided)
