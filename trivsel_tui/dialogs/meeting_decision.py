"""The meeting's decision on one agenda item (modal): the decision, who follows up, whether the item is
settled, a new action item (owner, due date, horizon) and the tasks or plan items it marks done."""

from __future__ import annotations

from datetime import date
from typing import ClassVar

from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import VerticalScroll
from textual.widgets import Checkbox, Input, Label, SelectionList, Static, TextArea

from trivsel_tui.dialogs.base import Dialog, subject_line
from trivsel_tui.domain.plans import vocabulary
from trivsel_tui.seam import Save
from trivsel_tui.store.meeting_view import Slide
from trivsel_tui.store.meetings import DecisionInput
from trivsel_tui.texts import t
from trivsel_tui.widgets.cells import literal, shown
from trivsel_tui.widgets.fields import Choice, DanishDate, DanishDateInput, FieldRow, Required, first_invalid
from trivsel_tui.widgets.marked import MarkedCheckbox, MarkedSelectionList


class DecisionScreen(Dialog[DecisionInput | None]):
    BINDINGS: ClassVar[list[BindingType]] = [Binding("ctrl+s", "save", t("keys.save"), priority=True)]

    def __init__(self, slide: Slide, today: date, save: Save[DecisionInput] | None = None) -> None:
        super().__init__()
        self.slide = slide
        self.today = today
        self.save = save

    def _today(self) -> date:
        return self.today

    def compose(self) -> ComposeResult:
        slide = self.slide
        with VerticalScroll(classes="dialog tall meeting-dialog") as box:
            box.border_title = t("meeting_decision.title")
            yield subject_line(slide.heading)
            decision = TextArea(shown(slide.decision), id="decision")  # an old row's controls made visible
            yield FieldRow(t("meeting_decision.decision"), decision, [Required(t("meeting_decision.decision_missing"))])
            yield FieldRow(t("meeting_decision.follow_up_by"), Input(shown(slide.follow_up_by), id="follow-up-by"))
            yield MarkedCheckbox(t("meeting_decision.resolved"), value=True, id="resolved")
            yield Label(t("meeting_decision.new_item"), classes="section-title")
            yield FieldRow(t("meeting_decision.measure"), Input(id="measure"))
            yield FieldRow(t("meeting_decision.owner"), Input(id="owner"))
            due = DanishDateInput(today=self._today, id="due")
            yield FieldRow(t("meeting_decision.due"), due, [DanishDate(self._today, None, t("item_form.due_bad"))])
            horizons = [(v, k) for k, v in vocabulary()["horizons"].items()]
            yield FieldRow(t("item_form.horizon"), Choice(horizons, value="short", allow_blank=False, id="horizon"))
            choices = [(literal(f"{task.title} ({task.owner})"), f"task:{task.id}") for task in slide.tasks]
            choices += [(literal(f"{item.measure} ({item.responsible})"), f"item:{item.id}") for item in slide.plan]
            if choices:
                yield Label(t("meeting_decision.mark_done"))
                yield MarkedSelectionList[str](*choices, id="done")
            yield Static(t("meeting_decision.hint"), classes="dim")

    def on_mount(self) -> None:
        self.query_one("#decision", TextArea).focus()
        self.remember_initial()

    def _new_item_problem(self) -> FieldRow | None:
        """A new action item needs its owner and due date (the guideline's plans name who and when)."""
        measure = self.query_one("#measure", Input).value.strip()
        for field_id, message in (("owner", "meeting_decision.owner_missing"), ("due", "meeting_decision.due_missing")):
            row = self.query_one(f"#{field_id}", Input).parent
            assert isinstance(row, FieldRow)
            empty = not self.query_one(f"#{field_id}", Input).value.strip()
            row.show_error(t(message) if measure and empty else row.problem())
            if measure and empty:
                return row
        return None

    def action_save(self) -> None:
        wrong = first_invalid(list(self.query(FieldRow))) or self._new_item_problem()
        if wrong is not None:
            wrong.control.focus()
            return
        selected = self.query_one("#done", SelectionList).selected if self.query("#done") else []
        value = DecisionInput(
            decision=self.query_one("#decision", TextArea).text.strip(),
            follow_up_by=self.query_one("#follow-up-by", Input).value.strip(),
            resolved=self.query_one("#resolved", Checkbox).value,
            measure=self.query_one("#measure", Input).value.strip(),
            owner=self.query_one("#owner", Input).value.strip(),
            due_on=self.query_one("#due", DanishDateInput).day,
            horizon=str(self.query_one("#horizon", Choice).value),
            done_task_ids=tuple(int(v.split(":")[1]) for v in selected if str(v).startswith("task:")),
            done_item_ids=tuple(int(v.split(":")[1]) for v in selected if str(v).startswith("item:")),
        )
        self.save_and_dismiss(value, self.save)
