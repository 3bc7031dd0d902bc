"""Register an episode: a new case, or another episode in an existing case.

Every field validates as you type. What you type is kept as a draft in the database, so
Escape, a crash or a kill loses nothing: opening the form again offers to restore it.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from typing import Any, ClassVar

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.screen import Screen
from textual.suggester import SuggestFromList
from textual.validation import Validator
from textual.widgets import Footer, Header, Input, Label, Select, Static, TextArea

from trivsel_tui.dialogs.workplace_form import WorkplaceFormScreen
from trivsel_tui.domain.clock import danish_day, danish_long, local
from trivsel_tui.domain.cpr import find_cpr, remove_cpr
from trivsel_tui.domain.danish_dates import DanishDateError, parse_danish_date, parse_danish_datetime
from trivsel_tui.domain.parties import needs_hearing
from trivsel_tui.drafts import DraftKeeping, forgetting_draft
from trivsel_tui.messages import ClassifyEpisode, OwnsKeyboard
from trivsel_tui.store.cases import EpisodeInput, register_episode
from trivsel_tui.store.queries import CaseDetail, case_detail, list_workplaces
from trivsel_tui.store.store import Store
from trivsel_tui.store.views import CaseView, WorkplaceView
from trivsel_tui.texts import t
from trivsel_tui.widgets.cells import literal, shown
from trivsel_tui.widgets.fields import Choice, FieldRow, Required, Rule, SuggestingInput, first_invalid

INPUTS = (
    "workplace",
    "occurred",
    "place",
    "person",
    "job",
    "witnesses",
    "reported_by",
    "first_absence",
    "absence_days",
)
SELECTS = ("perpetrator", "channel")
FREE_TEXT = ("place", "description", "witnesses", "reported_by")
READINGS = ("occurred", "first_absence")  # date fields that show the date as understood


@dataclass(frozen=True)
class FormStart:
    workplaces: list[WorkplaceView]
    case: CaseDetail | None  # when registering another episode in a case


def form_start(store: Store, case_id: int | None) -> FormStart:
    return FormStart(list_workplaces(store), case_detail(store, case_id) if case_id is not None else None)


class EpisodeFormScreen(OwnsKeyboard, DraftKeeping, Screen[None]):
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("ctrl+s", "save", t("keys.save"), id="save", priority=True),
        Binding("escape", "leave", t("keys.cancel"), id="leave"),
        Binding("ctrl+n", "new_workplace", t("keys2.new_workplace_inline"), id="new_workplace", priority=True),
        Binding("ctrl+r", "remove_cpr", t("keys2.remove_cpr"), id="remove_cpr", priority=True),
    ]

    def __init__(self, case_id: int | None = None) -> None:
        super().__init__()
        self.case_id = case_id
        self.draft_key = f"episode:case:{case_id}" if case_id else "episode:new"
        self.case: CaseView | None = None
        self.workplaces: dict[str, WorkplaceView] = {}

    def compose(self) -> ComposeResult:
        rules = self.trivsel.rules
        yield Header()
        with VerticalScroll(id="episode-form", classes="form-screen"):
            workplace = SuggestingInput(
                placeholder=t("episode_form.workplace_placeholder"), id="workplace", compact=True
            )
            yield self._field(
                "workplace", workplace, Required(t("episode_form.workplace_missing")), Rule(self._unknown_workplace)
            )
            occurred = Input(placeholder=t("episode_form.occurred_placeholder"), id="occurred", compact=True)
            yield self._field("occurred", occurred, Rule(self._occurred_problem))
            yield self._field("place", Input(placeholder=t("episode_form.place_placeholder"), id="place", compact=True))
            # Who the case is about comes before any name is typed (the description may hold names too): a
            # case about a colleague or a leader cannot be anonymous, and the reporter must hear so first.
            perpetrators = [(label, code) for code, label in rules.perpetrators.items()]
            yield self._field(
                "perpetrator",
                Choice(perpetrators, prompt=t("episode_form.perpetrator_prompt"), id="perpetrator", compact=True),
                Required(t("episode_form.perpetrator_missing")),
            )
            yield Static("", id="hearing-notice", classes="notice")
            with Horizontal(classes="row"):
                yield Label(t("episode_form.description"))
                with Vertical(classes="field"):
                    yield TextArea(id="description", classes="description", compact=True)
                    yield Static("", id="cpr-warning", classes="cpr-warning")
            yield self._field("person", Input(id="person", compact=True), Required(t("episode_form.person_missing")))
            yield self._field("job", Input(id="job", compact=True))
            yield self._field("witnesses", Input(id="witnesses", compact=True))
            yield self._field("reported_by", Input(id="reported_by", compact=True))
            first_absence = Input(
                placeholder=t("episode_form.first_absence_placeholder"), id="first_absence", compact=True
            )
            yield self._field("first_absence", first_absence, Rule(self._first_absence_problem))
            yield self._field("absence_days", Input(id="absence_days", compact=True), Rule(self._absence_days_problem))
            channels = [(label, code) for code, label in rules.channels.items()]
            yield self._field(
                "channel", Choice(channels, prompt=t("episode_form.channel_prompt"), id="channel", compact=True)
            )
        yield Footer()

    def _field(self, name: str, control: Input | Select[str], *validators: Validator) -> FieldRow:
        """A row: the label on the left; the field, its live reading (dates) and its error on the right."""
        reading = Static("", id=f"{name}-parsed", classes="parsed")
        reading.display = False  # until there is a date to show
        extras = [reading] if name in READINGS else []
        return FieldRow(t(f"episode_form.{name}"), control, validators, beside=True, extras=extras)

    # --- start: workplaces, case, draft --------------------------------------------------

    def on_mount(self) -> None:
        self.title = t("episode_form.title_new")
        self.hold_keys()  # until the workplaces, the case and a possible draft are known
        self.read("start", self._started, form_start, self.case_id)

    def _started(self, start: FormStart) -> None:
        self._know_workplaces(start.workplaces)
        detail = start.case
        if detail is not None:
            self.case = detail.case
            self.title = t("episode_form.title_more", ref=detail.case.ref)
            self.fill_form(
                {
                    "workplace": shown(detail.workplace.name),
                    "person": shown(detail.case.affected_person),
                    "job": shown(detail.case.affected_job),
                }
            )
            for name in ("workplace", "person", "job"):
                self.query_one(f"#{name}", Input).disabled = True
        self.start_drafts()

    def first_field(self) -> Input:
        return self.query_one("#occurred" if self.case else "#workplace", Input)

    def _know_workplaces(self, workplaces: list[WorkplaceView]) -> None:
        # Keyed by the name as shown: an old name with a control character can still be typed and chosen.
        self.workplaces = {shown(w.name).casefold(): w for w in workplaces}
        names = [shown(w.name) for w in self.workplaces.values()]  # already in Danish order
        self.query_one("#workplace", Input).suggester = SuggestFromList(names, case_sensitive=False)

    def fill_form(self, values: dict[str, Any]) -> None:
        for name in INPUTS:
            if values.get(name) is not None:
                self.query_one(f"#{name}", Input).value = str(values[name])
        if values.get("description") is not None:
            area = self.query_one("#description", TextArea)
            area.text = str(values["description"])
            area.move_cursor(area.document.end)  # go on typing where the restored text ends
        for name in SELECTS:
            if values.get(name):
                self.query_one(f"#{name}", Select).value = values[name]

    # --- typing: validate, keep the draft, watch for CPR -----------------------------------

    def form_values(self) -> dict[str, Any]:
        values: dict[str, Any] = {name: self.query_one(f"#{name}", Input).value for name in INPUTS}
        values["description"] = self.query_one("#description", TextArea).text
        for name in SELECTS:
            value = self.query_one(f"#{name}", Select).value
            values[name] = None if value is Select.NULL else value
        return values

    @on(Input.Changed)
    @on(Select.Changed)
    @on(TextArea.Changed)
    def _changed(self, event: Input.Changed | Select.Changed | TextArea.Changed) -> None:
        widget_id = event.control.id if event.control else None
        if widget_id in READINGS:
            self._show_reading(widget_id)
        if widget_id in FREE_TEXT:
            self._check_cpr()
        if widget_id == "perpetrator":
            self._show_hearing_notice()
        self.draft_changed()

    def _show_hearing_notice(self) -> None:
        notice = self.query_one("#hearing-notice", Static)
        hearing = needs_hearing(self.form_values()["perpetrator"])
        notice.update(t("parties.not_anonymous") if hearing else "")
        notice.display = hearing

    def has_user_input(self, values: dict[str, Any]) -> bool:
        # Fields filled in from the case are not the user's typing.
        prefilled = ("workplace", "person", "job") if self.case is not None else ()
        return super().has_user_input({k: v for k, v in values.items() if k not in prefilled})

    def _check_cpr(self) -> None:
        found = [
            hit for name, value in self.form_values().items() if name in FREE_TEXT and value for hit in find_cpr(value)
        ]
        warning = self.query_one("#cpr-warning", Static)
        warning.update(literal(t("episode_form.cpr_warning", found=", ".join(found)) if found else ""))
        warning.display = bool(found)

    def action_remove_cpr(self) -> None:
        for name in FREE_TEXT:
            if name == "description":
                area = self.query_one("#description", TextArea)
                if find_cpr(area.text):
                    area.text = remove_cpr(area.text)
            else:
                field = self.query_one(f"#{name}", Input)
                if find_cpr(field.value):
                    field.value = remove_cpr(field.value)
        self._check_cpr()
        self.notify(t("episode_form.cpr_removed"))

    # --- validation -----------------------------------------------------------------------

    def _now(self) -> datetime:
        return self.trivsel.clock()

    def _occurred(self) -> datetime | None:
        try:
            return parse_danish_datetime(self.query_one("#occurred", Input).value, self._now())
        except DanishDateError:
            return None

    def _first_absence(self) -> date | None:
        text = self.query_one("#first_absence", Input).value.strip()
        return parse_danish_date(text, local(self._now()).date()) if text else None

    def _unknown_workplace(self, value: str) -> str:
        name = value.strip()
        return "" if not name or name.casefold() in self.workplaces else t("episode_form.workplace_unknown", name=name)

    def _occurred_problem(self, value: str) -> str:
        try:
            parse_danish_datetime(value.strip(), self._now())
        except DanishDateError as exc:
            return str(exc).capitalize() + "."
        return ""

    def _first_absence_problem(self, value: str) -> str:
        if not value.strip():
            return ""
        try:
            day = parse_danish_date(value.strip(), local(self._now()).date())
        except DanishDateError as exc:
            return str(exc).capitalize() + "."
        occurred = self._occurred()
        return t("episode_form.first_absence_before") if occurred and day < local(occurred).date() else ""

    def _absence_days_problem(self, value: str) -> str:
        return "" if not value.strip() or value.strip().isdigit() else t("episode_form.absence_days_bad")

    def _show_reading(self, name: str) -> None:
        """Under a date field, the date as understood ('→ onsdag 25. november 2026 kl. 22:00')."""
        reading = ""
        if name == "occurred" and (moment := self._occurred()) is not None:
            reading = "→ " + danish_long(moment)
        elif name == "first_absence" and not self._first_absence_problem(self.query_one("#first_absence", Input).value):
            day = self._first_absence()
            reading = "→ " + danish_day(day) if day else ""
        parsed = self.query_one(f"#{name}-parsed", Static)
        parsed.update(reading)
        parsed.display = bool(reading)

    # --- save / leave ---------------------------------------------------------------------

    def action_save(self) -> None:
        wrong = first_invalid(list(self.query(FieldRow)))
        if wrong is not None:
            wrong.control.focus()
            self.notify(t("episode_form.fix_errors"), severity="error")
            return
        values = self.form_values()
        occurred = self._occurred()
        workplace = self.workplaces.get(values["workplace"].strip().casefold())
        if occurred is None or workplace is None:  # validated above; the workplace list may have changed
            return
        data = EpisodeInput(
            workplace_id=workplace.id,
            occurred_at=occurred,
            affected_person=values["person"].strip(),
            affected_job=values["job"].strip(),
            perpetrator=values["perpetrator"],
            place=values["place"].strip(),
            description=values["description"].strip(),
            witnesses=values["witnesses"].strip(),
            reported_by=values["reported_by"].strip(),
            channel=values["channel"],
            first_absence_day=self._first_absence(),
            absence_days=int(values["absence_days"]) if values["absence_days"].strip() else None,
        )
        self.hold_draft()
        case_id = self.case_id

        def register(store: Store, data: EpisodeInput) -> tuple[int, int]:
            return register_episode(store, data, case_id)

        self.write(self._registered, forgetting_draft(register, self.draft_key), data)

    def _registered(self, ids: tuple[int, int]) -> None:
        _case_id, episode_id = ids
        self.post_message(ClassifyEpisode(episode_id, instead_of_current=True))

    def action_new_workplace(self) -> None:
        if self.case is not None:
            return
        name = self.query_one("#workplace", Input).value.strip()
        self.app.push_screen(WorkplaceFormScreen(None, name=name), self._workplace_created)

    def _workplace_created(self, workplace: WorkplaceView | None) -> None:
        if workplace is None:
            return
        self.workplaces[shown(workplace.name).casefold()] = workplace
        self._know_workplaces(list(self.workplaces.values()))
        self.query_one("#workplace", Input).value = shown(workplace.name)
        # The name may be unchanged (typed before creating it): validate again explicitly.
        next(row for row in self.query(FieldRow) if row.control.id == "workplace").check()
        self.query_one("#occurred", Input).focus()
