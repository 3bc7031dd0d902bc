"""Add or edit a workplace (modal). Fields validate as you type; Ctrl+S saves, Escape cancels."""

from __future__ import annotations

from datetime import date
from typing import ClassVar

from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import VerticalScroll
from textual.widgets import Checkbox, Footer, Input

from trivsel_tui.dialogs.base import Dialog
from trivsel_tui.domain.clock import local
from trivsel_tui.store.errors import DuplicateNameError
from trivsel_tui.store.queries import save_workplace
from trivsel_tui.store.store import Store
from trivsel_tui.store.views import WorkplaceView
from trivsel_tui.texts import t
from trivsel_tui.widgets.cells import shown
from trivsel_tui.widgets.fields import DanishDate, DanishDateInput, FieldRow, Required, first_invalid, not_after_today
from trivsel_tui.widgets.tickbox import TickBox

TEXT_FIELDS = ("name", "unit", "med_level", "leader_name", "amr_name", "tr_name", "amg_members", "hr_consultant")
LABELS = {"leader_name": "leader", "amr_name": "amr", "tr_name": "tr"}


def save_unless_taken(
    store: Store, values: dict[str, str | bool | date | None], edited: WorkplaceView | None
) -> WorkplaceView | None:
    """The saved workplace, or None when another workplace has the name already. A change of a workplace
    someone saved after this form opened is refused (store.errors.EditConflictError), the form kept."""
    try:
        if edited is None:
            return save_workplace(store, values)
        return save_workplace(store, values, edited.id, seen=edited.version)
    except DuplicateNameError:
        return None


class WorkplaceFormScreen(Dialog[WorkplaceView | None]):
    BINDINGS: ClassVar[list[BindingType]] = [Binding("ctrl+s", "save", t("keys.save"), id="save", priority=True)]

    def __init__(self, workplace: WorkplaceView | None, name: str = "") -> None:
        super().__init__()
        self.workplace = workplace
        self.initial_name = name

    def _today(self) -> date:
        return local(self.trivsel.clock()).date()

    def compose(self) -> ComposeResult:
        w = self.workplace
        with VerticalScroll(id="form-box", classes="form") as box:
            box.border_title = t("workplace_form.title_edit" if w else "workplace_form.title_new")
            for field in TEXT_FIELDS:
                label = LABELS.get(field, field)
                placeholder = t(f"workplace_form.{label}_placeholder") if field in ("name", "med_level") else ""
                value = shown(getattr(w, field)) if w else (self.initial_name if field == "name" else "")
                required = [Required(t("workplace_form.error_name_missing"))] if field == "name" else []
                yield FieldRow(t(f"workplace_form.{label}"), Input(value, placeholder=placeholder, id=field), required)
            yield TickBox(
                t("workplace_form.risk_violence"), w.risk_violence_citizens if w else False, id="risk_violence"
            )
            yield TickBox(t("workplace_form.risk_sexual"), w.risk_sexual_citizens if w else False, id="risk_sexual")
            not_future = not_after_today(self._today, t("workplace_form.error_date_future"))
            for field, day in (
                ("survey", w.last_wellbeing_survey if w else None),
                ("adaptation_on", w.local_adaptation_decided_on if w else None),
            ):
                placeholder = t("workplace_form.survey_placeholder")
                yield FieldRow(
                    t(f"workplace_form.{field}"),
                    DanishDateInput(day, today=self._today, placeholder=placeholder, id=field),
                    [DanishDate(self._today, not_future, t("workplace_form.error_date"))],
                )
            decision = shown(w.local_adaptation_decision) if w else ""
            yield FieldRow(t("workplace_form.adaptation_decision"), Input(decision, id="adaptation_decision"))
        yield Footer()

    def on_mount(self) -> None:
        self.query_one("#name", Input).focus()

    def _values(self) -> dict[str, str | bool | date | None]:
        values: dict[str, str | bool | date | None] = {
            field: self.query_one(f"#{field}", Input).value.strip() for field in TEXT_FIELDS
        }
        values["risk_violence_citizens"] = self.query_one("#risk_violence", Checkbox).value
        values["risk_sexual_citizens"] = self.query_one("#risk_sexual", Checkbox).value
        values["last_wellbeing_survey"] = self.query_one("#survey", DanishDateInput).day
        values["local_adaptation_decided_on"] = self.query_one("#adaptation_on", DanishDateInput).day
        values["local_adaptation_decision"] = self.query_one("#adaptation_decision", Input).value.strip()
        return values

    def action_save(self) -> None:
        wrong = first_invalid(list(self.query(FieldRow)))
        if wrong is not None:
            wrong.control.focus()
            self.notify(t("workplace_form.fix_errors"), severity="error")
            return
        values = self._values()
        self.write_once(self._saved, save_unless_taken, values, self.workplace)

    def _saved(self, saved: WorkplaceView | None) -> None:
        if saved is None:
            name = self.query_one("#name", Input)
            row = next(row for row in self.query(FieldRow) if row.control is name)
            row.show_error(t("workplace_form.error_name_taken", name=name.value.strip()))
            name.focus()
            return
        self.dismiss(saved)
