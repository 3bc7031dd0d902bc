"""A case's records: the people involved, individual talks, and what was done about each episode.

Reached from the case view (key c). Every change goes through the store, audited and sealed with the
case's key; names are shown literally.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime
from typing import ClassVar

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import VerticalScroll
from textual.screen import Screen
from textual.widgets import DataTable, Footer, Header, Static

from trivsel_tui.dialogs.confirm import ConfirmScreen
from trivsel_tui.dialogs.outcome_form import OutcomeFormScreen
from trivsel_tui.dialogs.party_form import PartyFormScreen
from trivsel_tui.dialogs.talk_form import TalkFormScreen
from trivsel_tui.domain.clock import danish_day, danish_long, local
from trivsel_tui.domain.parties import needs_hearing
from trivsel_tui.domain.talks import talk_guidance
from trivsel_tui.seam import StoreAccess
from trivsel_tui.store.errors import NOT_YET_SAVED
from trivsel_tui.store.outcomes import OutcomeInput, OutcomeView, outcomes_for, save_outcome
from trivsel_tui.store.parties import PartyInput, PartyView, parties_for, remove_party, save_party
from trivsel_tui.store.queries import CaseDetail, case_detail
from trivsel_tui.store.store import Store
from trivsel_tui.store.talks import TalkInput, TalkView, add_talk, talks_for
from trivsel_tui.store.views import EpisodeView
from trivsel_tui.texts import t
from trivsel_tui.widgets.cells import plain, safe


@dataclass(frozen=True)
class RecordsPage:
    detail: CaseDetail | None
    parties: list[PartyView] = field(default_factory=list)
    talks: list[TalkView] = field(default_factory=list)
    outcomes: dict[int, OutcomeView] = field(default_factory=dict)


def records_page(store: Store, case_id: int) -> RecordsPage:
    detail = case_detail(store, case_id)
    if detail is None:
        return RecordsPage(None)
    return RecordsPage(detail, parties_for(store, case_id), talks_for(store, case_id), outcomes_for(store, case_id))


def _day(day: date | datetime | None) -> str:
    """A day as the app shows it (a moment on its Copenhagen date); – when there is none."""
    return danish_day(local(day).date() if isinstance(day, datetime) else day)


def _outcome_lines(outcome: OutcomeView | None) -> list[str]:
    if outcome is None:
        return []
    lines = []
    if outcome.insubiz_reported_on:
        lines.append(t("outcomes.line_insubiz", day=_day(outcome.insubiz_reported_on), ref=outcome.insubiz_ref or "–"))
    if outcome.police_reported_on:
        lines.append(
            t("outcomes.line_police", day=_day(outcome.police_reported_on), journal=outcome.police_journal or "–")
        )
    if outcome.support:
        answer = t(f"outcomes.support_{outcome.support}")
        lines.append(t("outcomes.line_support", answer=answer, day=_day(outcome.support_on)))
    if outcome.amr_access_on:
        lines.append(t("outcomes.line_amr", day=_day(outcome.amr_access_on)))
    if outcome.employee_copy_on:
        lines.append(t("outcomes.line_copy", day=_day(outcome.employee_copy_on)))
    return lines


class CaseRecordsScreen(StoreAccess, Screen[None]):
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "app.pop_screen", t("keys.back"), id="back"),
        Binding("p", "add_party", t("parties.key_add"), id="add_party"),
        Binding("e", "edit_party", t("parties.key_edit"), id="edit_party"),
        Binding("x", "remove_party", t("parties.key_remove"), id="remove_party"),
        Binding("i", "add_talk", t("talks.key_add"), id="add_talk"),
        Binding("u", "outcome", t("outcomes.key_edit"), id="outcome"),
    ]

    def __init__(self, case_id: int) -> None:
        super().__init__()
        self.case_id = case_id
        self.page = RecordsPage(None)

    def compose(self) -> ComposeResult:
        yield Header()
        yield Static(id="records-header")
        with VerticalScroll(id="records-body"):
            yield Static(t("parties.title"), classes="section-title")
            yield Static(id="hearing-notice", classes="notice")
            parties: DataTable[object] = DataTable(id="parties", cursor_type="row")
            yield parties
            yield Static(t("talks.title"), classes="section-title")
            talks: DataTable[object] = DataTable(id="talks", cursor_type="row")
            yield talks
            yield Static(t("outcomes.section"), classes="section-title")
            yield Static(id="outcomes")
        yield Footer()

    def on_mount(self) -> None:
        table = self.query_one("#parties", DataTable)
        for key in ("role", "name", "job", "note"):
            table.add_column(t(f"parties.column_{key}"), key=key)
        talks = self.query_one("#talks", DataTable)
        for key in ("held", "employee", "topic", "action", "follow_up"):
            talks.add_column(t(f"talks.column_{key}"), key=key)
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
        self._show_talks(page.talks)
        self.query_one("#outcomes", Static).update(safe(self._outcomes_text(detail, page.outcomes)))

    # --- parties ----------------------------------------------------------------------------

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
            cells = (self._relation(party), party.name, party.job, party.note)
            table.add_row(*(plain(cell) for cell in cells), key=str(party.id))
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
        seen = party.version if party else None  # a save after someone else's is refused, the form kept

        def save(store: Store, data: PartyInput) -> None:
            save_party(store, case_id, data, party_id, seen=seen)

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
        party_id, seen = party.id, party.version

        def decided(yes: bool | None) -> None:
            if yes:
                self.write(self._changed, remove_party, party_id, seen=seen)

        self.app.push_screen(ConfirmScreen(t("parties.remove_question", name=party.name)), decided)

    # --- individual talks -------------------------------------------------------------------

    def _show_talks(self, talks: list[TalkView]) -> None:
        table = self.query_one("#talks", DataTable)
        table.clear()
        for talk in talks:
            cells = (_day(talk.held_on), talk.employee, talk.topic, talk.agreed_action, _day(talk.follow_up_on))
            table.add_row(*(plain(cell) for cell in cells), key=str(talk.id))

    def action_add_talk(self) -> None:
        detail = self.page.detail
        if detail is None:
            return
        rules = self.trivsel.rules
        categories = {code for e in detail.episodes if e.classification for code in e.classification.categories}
        guidance = "\n".join(
            t("talks.guidance", quote=t(key), section=rules.section(section))
            for section, key in talk_guidance(categories)
        )
        people = [detail.case.affected_person, *(p.name for p in self.page.parties if p.role == "affected")]
        case_id = self.case_id

        def save(store: Store, data: TalkInput) -> None:
            add_talk(store, case_id, data)

        today = local(self.trivsel.clock()).date()
        self.app.push_screen(TalkFormScreen(today, guidance, people, save=save), self._changed)

    # --- outcomes ---------------------------------------------------------------------------

    def _outcomes_text(self, detail: CaseDetail, outcomes: dict[int, OutcomeView]) -> Text:
        text = Text()
        by_notat = t("store_notes.dispensation")
        for episode in detail.episodes:
            text.append(
                t("outcomes.heading", when=danish_long(episode.occurred_at), place=episode.place) + "\n", "bold"
            )
            lines = _outcome_lines(outcomes.get(episode.id))
            lines += [
                t("outcomes.line_notat", day=_day(task.done_at))
                for task in detail.tasks
                if task.episode_id == episode.id and task.action_code == "police_report" and task.note == by_notat
            ]
            text.append("\n".join(lines) if lines else t("outcomes.none"), "" if lines else "dim")
            text.append("\n\n")
        return text

    def _outcome_episode(self) -> EpisodeView | None:
        detail = self.page.detail
        return detail.episodes[-1] if detail and detail.episodes else None

    def action_outcome(self) -> None:
        episode = self._outcome_episode()
        if episode is None:
            self.notify(t("case_actions.no_episode"), severity="warning")
            return
        episode_id, shown_outcome = episode.id, self.page.outcomes.get(episode.id)
        seen = shown_outcome.version if shown_outcome else NOT_YET_SAVED  # a colleague's save is not overwritten

        def save(store: Store, data: OutcomeInput) -> None:
            save_outcome(store, episode_id, data, seen=seen)

        heading = t("outcomes.heading", when=danish_long(episode.occurred_at), place=episode.place)
        form = OutcomeFormScreen(
            heading,
            local(self.trivsel.clock()).date(),
            local(episode.occurred_at).date(),
            shown_outcome,
            save=save,
        )
        self.app.push_screen(form, self._changed)
