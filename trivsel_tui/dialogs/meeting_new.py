"""Plan a meeting (modal): the body, its workplaces, the date and who attends — chosen from the people
the app knows for those workplaces, or typed. Closes with the new meeting's id (its agenda is built)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from typing import ClassVar

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import VerticalScroll
from textual.widgets import Input, Label, SelectionList, Static

from trivsel_tui.dialogs.base import Dialog
from trivsel_tui.domain.meetings import BODY_KINDS, Attendee, Body
from trivsel_tui.domain.rules import Rules
from trivsel_tui.store.meetings import create_meeting, known_people
from trivsel_tui.store.queries import list_workplaces
from trivsel_tui.store.store import Store
from trivsel_tui.store.views import WorkplaceView
from trivsel_tui.texts import t
from trivsel_tui.widgets.cells import literal
from trivsel_tui.widgets.fields import Choice, DanishDate, DanishDateInput, FieldRow, Required, first_invalid
from trivsel_tui.widgets.marked import MarkedSelectionList


@dataclass(frozen=True)
class MeetingRequest:
    body: Body
    held_on: date
    attendees: tuple[Attendee, ...]


def typed_names(text: str) -> list[str]:
    return [name.strip() for name in text.replace(";", ",").split(",") if name.strip()]


class NewMeetingScreen(Dialog[int | None]):
    BINDINGS: ClassVar[list[BindingType]] = [Binding("ctrl+s", "save", t("keys.save"), priority=True)]

    def __init__(self, now: datetime) -> None:
        super().__init__()
        self.now = now
        self.workplaces: dict[int, WorkplaceView] = {}
        self.people: list[Attendee] = []

    def _today(self) -> date:
        return self.now.date()

    def compose(self) -> ComposeResult:
        with VerticalScroll(classes="dialog tall meeting-dialog") as box:
            box.border_title = t("meeting_new.title")
            bodies = [(t(f"meeting_bodies.{kind}"), kind) for kind in BODY_KINDS]
            yield FieldRow(t("meeting_new.body"), Choice(bodies, value=BODY_KINDS[0], allow_blank=False, id="body"))
            yield Label(t("meeting_new.workplaces"))
            yield MarkedSelectionList[int](id="workplaces")
            yield Static("", id="workplaces-error", classes="field-error")
            today = DanishDateInput(self._today(), today=self._today, id="held-on")
            yield FieldRow(
                t("meeting_new.date"),
                today,
                [Required(t("item_form.due_bad")), DanishDate(self._today, None, t("item_form.due_bad"))],
            )
            yield Label(t("meeting_new.attendees"))
            yield MarkedSelectionList[int](id="people")
            yield FieldRow(t("meeting_new.typed"), Input(id="typed"))
            yield Static("", id="attendees-error", classes="field-error")
            yield Static(t("meeting_new.hint"), classes="dim")

    def on_mount(self) -> None:
        self.query_one("#workplaces", SelectionList).focus()
        self.read("workplaces", self._offer, list_workplaces)

    def _offer(self, workplaces: list[WorkplaceView]) -> None:
        if not workplaces:
            self.notify(t("plans.no_workplaces"), severity="warning")
            self.dismiss(None)
            return
        self.workplaces = {w.id: w for w in workplaces}
        chooser = self.query_one("#workplaces", SelectionList)
        chooser.add_options([(literal(w.name), w.id) for w in workplaces])
        chooser.highlighted = 0  # space chooses at once, without an arrow key first
        self.remember_initial()

    @on(SelectionList.SelectedChanged, "#workplaces")
    def _workplaces_changed(self) -> None:
        chosen = list(self.query_one("#workplaces", SelectionList).selected)
        self.read("people", self._offer_people, known_people, chosen)

    def _offer_people(self, people: list[Attendee]) -> None:
        chooser = self.query_one("#people", SelectionList)
        kept = {self.people[i] for i in chooser.selected if i < len(self.people)}
        self.people = people
        chooser.clear_options()
        chooser.add_options(
            [
                (literal(f"{p.name} ({t(f'meeting_roles_attendee.{p.role}')})"), i, p in kept)
                for i, p in enumerate(people)
            ]
        )
        if people:
            chooser.highlighted = 0

    def _request(self) -> MeetingRequest | None:
        chosen = [i for i in self.query_one("#workplaces", SelectionList).selected if i in self.workplaces]
        error = self.query_one("#workplaces-error", Static)
        error.update(t("meeting_new.workplaces_missing") if not chosen else "")
        wrong = first_invalid(list(self.query(FieldRow)))
        day = self.query_one("#held-on", DanishDateInput).day
        if not chosen or wrong is not None or day is None:
            (wrong.control if wrong else self.query_one("#workplaces")).focus()
            return None
        kind = str(self.query_one("#body", Choice).value)
        name = ", ".join(self.workplaces[i].name for i in chosen)
        picked = [self.people[i] for i in self.query_one("#people", SelectionList).selected if i < len(self.people)]
        known = {p.name.casefold() for p in picked}
        typed = [Attendee(n) for n in typed_names(self.query_one("#typed", Input).value) if n.casefold() not in known]
        # Without attendees no case could be withheld for a conflict of interest: someone must be there.
        nobody = not picked and not typed
        self.query_one("#attendees-error", Static).update(t("meeting_new.attendees_missing") if nobody else "")
        if nobody:
            self.query_one("#people").focus()
            return None
        return MeetingRequest(Body(kind, name, tuple(chosen)), day, (*picked, *typed))

    def action_save(self) -> None:
        request = self._request()
        if request is not None:
            app = self.trivsel
            self.write_once(self.dismiss, _create, app.rules, request, app.clock())


def _create(store: Store, rules: Rules, request: MeetingRequest, now: datetime) -> int:
    return create_meeting(store, rules, request.body, request.held_on, request.attendees, now)
