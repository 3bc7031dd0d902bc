"""Add or edit an action item (modal), with on-the-spot validation and a draft kept while typing."""

from __future__ import annotations

from datetime import date
from typing import Any, ClassVar

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import VerticalScroll
from textual.widgets import Input, Label, Select, SelectionList, Static

from trivsel_tui.dialogs.base import Dialog
from trivsel_tui.domain.clock import local
from trivsel_tui.domain.plans import vocabulary
from trivsel_tui.drafts import DraftKeeping
from trivsel_tui.seam import Save
from trivsel_tui.store.plans import ItemInput
from trivsel_tui.store.views import CauseView, ItemView
from trivsel_tui.texts import t
from trivsel_tui.widgets.cells import literal, shown
from trivsel_tui.widgets.fields import Choice, DanishDate, DanishDateInput, FieldRow, Required, first_invalid

INPUTS = ("measure", "responsible", "due")
SELECTS = ("horizon", "kind")


class ItemFormScreen(DraftKeeping, Dialog[ItemInput | None]):
    BINDINGS: ClassVar[list[BindingType]] = [Binding("ctrl+s", "save", t("keys.save"), priority=True)]

    def __init__(
        self,
        plan_id: int,
        causes: tuple[CauseView, ...],
        item: ItemView | None = None,
        save: Save[ItemInput] | None = None,
    ) -> None:
        super().__init__()
        self.item = item
        self.causes = causes
        self.save = save
        self.draft_key = f"item:{plan_id}:{item.id if item else 'new'}"

    def compose(self) -> ComposeResult:
        vocab = vocabulary()
        item = self.item
        with VerticalScroll(classes="dialog wide") as box:
            box.border_title = t("item_form.title_edit" if item else "item_form.title_new")
            measure = Input(shown(item.measure) if item else "", id="measure")
            yield FieldRow(t("item_form.measure"), measure, [Required(t("item_form.measure_missing"))])
            horizons = [(v, k) for k, v in vocab["horizons"].items()]
            horizon = item.horizon if item else "short"
            yield FieldRow(t("item_form.horizon"), Choice(horizons, value=horizon, allow_blank=False, id="horizon"))
            kinds = [(v, k) for k, v in vocab["item_kinds"].items()]
            kind = item.kind if item else "solution"
            yield FieldRow(t("item_form.kind"), Choice(kinds, value=kind, allow_blank=False, id="kind"))
            responsible = Input(shown(item.responsible) if item else "", id="responsible")
            yield FieldRow(t("item_form.responsible"), responsible, [Required(t("item_form.responsible_missing"))])
            due = DanishDateInput(
                item.due_on if item else None, today=self._today, placeholder=t("item_form.due_placeholder"), id="due"
            )
            yield FieldRow(
                t("item_form.due"),
                due,
                [Required(t("item_form.due_missing")), DanishDate(self._today, unreadable=t("item_form.due_bad"))],
            )
            if self.causes:
                yield Label(t("item_form.causes"))
                chosen = set(item.cause_ids) if item else set()
                yield SelectionList[int](
                    *[(literal(f"{n}. {c.text}"), c.id, c.id in chosen) for n, c in enumerate(self.causes, 1)],
                    id="causes",
                )
            yield Static(t("prompt.hint"), classes="dim")

    def on_mount(self) -> None:
        self.start_drafts()

    def first_field(self) -> Input:
        return self.query_one("#measure", Input)

    def _today(self) -> date:
        return local(self.trivsel.clock()).date()

    @on(Input.Changed)
    @on(Select.Changed)
    @on(SelectionList.SelectedChanged)
    def _changed(self, _event: Input.Changed | Select.Changed | SelectionList.SelectedChanged[int]) -> None:
        self.draft_changed()

    def form_values(self) -> dict[str, Any]:
        values: dict[str, Any] = {name: self.query_one(f"#{name}", Input).value for name in INPUTS}
        for name in SELECTS:
            values[name] = self.query_one(f"#{name}", Select).value
        values["cause_ids"] = list(self.query_one("#causes", SelectionList).selected) if self.causes else []
        return values

    def has_user_input(self, values: dict[str, Any]) -> bool:
        return any(str(values[name]).strip() for name in INPUTS)

    def fill_form(self, values: dict[str, Any]) -> None:
        for name in INPUTS:
            self.query_one(f"#{name}", Input).value = str(values.get(name, ""))
        for name in SELECTS:
            if values.get(name):
                self.query_one(f"#{name}", Select).value = values[name]
        if self.causes:
            selection = self.query_one("#causes", SelectionList)
            for cause_id in values.get("cause_ids", []):
                selection.select(cause_id)

    def action_save(self) -> None:
        wrong = first_invalid(list(self.query(FieldRow)))
        if wrong is not None:
            wrong.control.focus()
            return
        due = self.query_one("#due", DanishDateInput).day
        if due is None:
            return
        values = self.form_values()
        item = ItemInput(
            measure=values["measure"].strip(),
            horizon=str(values["horizon"]),
            kind=str(values["kind"]),
            responsible=values["responsible"].strip(),
            due_on=due,
            cause_ids=tuple(values["cause_ids"]),
        )
        self.save_and_forget_draft(item, self.save)
