"""Add or edit a workplace (modal). Fields validate as you type; Ctrl+S saves, Escape cancels."""

from __future__ import annotations

from datetime import date
from typing import ClassVar

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Checkbox, Footer, Input, Label, Static

from trivsel_tui.domain.clock import local
from trivsel_tui.domain.danish_dates import DanishDateError, parse_danish_date
from trivsel_tui.seam import StoreAccess
from trivsel_tui.store.errors import DuplicateNameError
from trivsel_tui.store.queries import save_workplace
from trivsel_tui.store.store import Store
from trivsel_tui.store.views import WorkplaceView
from trivsel_tui.texts import t
from trivsel_tui.widgets.cells import literal, shown

TEXT_FIELDS = ("name", "unit", "med_level", "leader_name", "amr_name", "tr_name")
DATE_FIELDS = ("survey", "adaptation_on")
LABELS = {"leader_name": "leader", "amr_name": "amr", "tr_name": "tr"}


def save_unless_taken(
    store: Store, values: dict[str, str | bool | date | None], workplace_id: int | None
) -> WorkplaceView | None:
    """The saved workplace, or None when another workplace has the name already."""
    try:
        return save_workplace(store, values, workplace_id)
    except DuplicateNameError:
        return None


class WorkplaceFormScreen(StoreAccess, ModalScreen[WorkplaceView | None]):
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("ctrl+s", "save", t("keys.save"), id="save"),
        Binding("escape", "cancel", t("keys.cancel"), id="cancel"),
    ]

    def __init__(self, workplace: WorkplaceView | None, name: str = "") -> None:
        super().__init__()
        self.workplace = workplace
        self.initial_name = name
        self._initial: tuple[object, ...] = ()
        self._escape_armed = False

    def compose(self) -> ComposeResult:
        w = self.workplace
        with VerticalScroll(id="form-box", classes="form") as box:
            box.border_title = t("workplace_form.title_edit" if w else "workplace_form.title_new")
            for field in TEXT_FIELDS:
                label = LABELS.get(field, field)
                yield Label(t(f"workplace_form.{label}"))
                placeholder_key = f"workplace_form.{label}_placeholder"
                placeholder = t(placeholder_key) if field in ("name", "med_level") else ""
                value = shown(getattr(w, field)) if w else (self.initial_name if field == "name" else "")
                yield Input(value=value, placeholder=placeholder, id=field)
                yield Static("", id=f"{field}-error", classes="field-error")
            yield Checkbox(
                t("workplace_form.risk_violence"), w.risk_violence_citizens if w else False, id="risk_violence"
            )
            yield Checkbox(t("workplace_form.risk_sexual"), w.risk_sexual_citizens if w else False, id="risk_sexual")
            yield Label(t("workplace_form.survey"))
            survey = w.last_wellbeing_survey.strftime("%d-%m-%Y") if w and w.last_wellbeing_survey else ""
            yield Input(value=survey, placeholder=t("workplace_form.survey_placeholder"), id="survey")
            yield Static("", id="survey-error", classes="field-error")
            yield Label(t("workplace_form.adaptation_on"))
            decided = w.local_adaptation_decided_on.strftime("%d-%m-%Y") if w and w.local_adaptation_decided_on else ""
            yield Input(value=decided, placeholder=t("workplace_form.survey_placeholder"), id="adaptation_on")
            yield Static("", id="adaptation_on-error", classes="field-error")
            yield Label(t("workplace_form.adaptation_decision"))
            yield Input(value=shown(w.local_adaptation_decision) if w else "", id="adaptation_decision")
        yield Footer()

    def on_mount(self) -> None:
        self.query_one("#name", Input).focus()
        self._initial = self._snapshot()

    def _snapshot(self) -> tuple[object, ...]:
        return tuple(getattr(widget, "value", None) for widget in self.query("Input, Checkbox"))

    @on(Input.Changed)
    @on(Checkbox.Changed)
    def changed(self, event: Input.Changed | Checkbox.Changed) -> None:
        self._escape_armed = False
        if isinstance(event, Input.Changed) and event.input.id in ("name", *DATE_FIELDS):
            self._validate(event.input.id)

    def _today(self) -> date:
        return local(self.trivsel.clock()).date()

    def _error_for(self, field: str) -> str:
        value = self.query_one(f"#{field}", Input).value.strip()
        if field == "name" and not value:
            return t("workplace_form.error_name_missing")
        if field in DATE_FIELDS and value:
            try:
                day = parse_danish_date(value, self._today())
            except DanishDateError:
                return t("workplace_form.error_date")
            if day > self._today():
                return t("workplace_form.error_date_future")
        return ""

    def _validate(self, field: str, message: str | None = None) -> bool:
        error = self._error_for(field) if message is None else message
        self.query_one(f"#{field}-error", Static).update(literal(error))
        self.query_one(f"#{field}", Input).set_class(bool(error), "-invalid")
        return not error

    def _values(self) -> dict[str, str | bool | date | None]:
        values: dict[str, str | bool | date | None] = {
            field: self.query_one(f"#{field}", Input).value.strip() for field in TEXT_FIELDS
        }
        values["risk_violence_citizens"] = self.query_one("#risk_violence", Checkbox).value
        values["risk_sexual_citizens"] = self.query_one("#risk_sexual", Checkbox).value
        survey = self.query_one("#survey", Input).value.strip()
        values["last_wellbeing_survey"] = parse_danish_date(survey, self._today()) if survey else None
        decided = self.query_one("#adaptation_on", Input).value.strip()
        values["local_adaptation_decided_on"] = parse_danish_date(decided, self._today()) if decided else None
        values["local_adaptation_decision"] = self.query_one("#adaptation_decision", Input).value.strip()
        return values

    def action_save(self) -> None:
        wrong = [field for field in ("name", *DATE_FIELDS) if not self._validate(field)]
        if wrong:
            self.query_one(f"#{wrong[0]}", Input).focus()
            self.notify(t("workplace_form.fix_errors"), severity="error")
            return
        values = self._values()
        self.write(self._saved, save_unless_taken, values, self.workplace.id if self.workplace else None)

    def _saved(self, saved: WorkplaceView | None) -> None:
        if saved is None:
            name = self.query_one("#name", Input).value.strip()
            self._validate("name", t("workplace_form.error_name_taken", name=name))
            self.query_one("#name", Input).focus()
            return
        self.dismiss(saved)

    def action_cancel(self) -> None:
        if self._snapshot() != self._initial and not self._escape_armed:
            self._escape_armed = True
            self.notify(t("form_messages.discard_warning"), severity="warning")
            return
        self.dismiss(None)
