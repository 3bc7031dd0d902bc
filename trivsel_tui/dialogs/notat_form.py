"""Write or correct the police-dispensation notat (modal): the concrete reasons, the responsible leader,
whether the employee was involved, and the person who signs it (a name, never the computer's user name).

A correction starts from the current version; the store keeps every version (see record_dispensation).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import ClassVar

from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import VerticalScroll
from textual.validation import ValidationResult, Validator
from textual.widgets import Checkbox, Input, Static, TextArea

from trivsel_tui.dialogs.base import Dialog
from trivsel_tui.domain.documents import NotatFields
from trivsel_tui.seam import Save
from trivsel_tui.texts import t
from trivsel_tui.widgets.cells import shown
from trivsel_tui.widgets.fields import FieldRow, Required, first_invalid


class _Concrete(Validator):
    """The guideline's demand: concrete, individual reasons (the first problem found, in Danish)."""

    def __init__(self, problems: Callable[[str], list[str]]) -> None:
        super().__init__()
        self.problems = problems

    def validate(self, value: str) -> ValidationResult:
        found = self.problems(value) if value.strip() else []
        return self.failure("\n".join(found)) if found else self.success()


@dataclass(frozen=True)
class NotatStart:
    fields: NotatFields
    correcting: bool


class NotatFormScreen(Dialog[NotatFields | None]):
    BINDINGS: ClassVar[list[BindingType]] = [Binding("ctrl+s", "save", t("keys.save"), priority=True)]

    def __init__(
        self, start: NotatStart, problems: Callable[[str], list[str]], save: Save[NotatFields] | None = None
    ) -> None:
        super().__init__()
        self.start = start
        self.problems = problems
        self.save = save

    def compose(self) -> ComposeResult:
        fields = self.start.fields
        with VerticalScroll(classes="dialog wide tall") as box:
            box.border_title = t("notat_form.correct_title" if self.start.correcting else "case_actions.notat_title")
            reason = TextArea(fields.reason, id="notat-reason")
            yield FieldRow(
                t("case_actions.notat_label"), reason, [Required(t("prompt.required")), _Concrete(self.problems)]
            )
            leader = Input(shown(fields.leader), id="notat-leader")
            yield FieldRow(t("notat_form.leader"), leader, [Required(t("notat_form.leader_missing"))])
            yield Checkbox(t("notat_form.involved"), fields.employee_involved, id="notat-involved")
            signer = Input(shown(fields.signed_by), id="notat-signed-by")
            yield FieldRow(t("notat_form.signed_by"), signer, [Required(t("notat_form.signed_by_missing"))])
            yield Static(t("notat_form.versions") if self.start.correcting else "", classes="dim")
            yield Static(t("prompt.hint"), classes="dim")

    def on_mount(self) -> None:
        area = self.query_one("#notat-reason", TextArea)
        area.focus()
        area.move_cursor(area.document.end)

    def action_save(self) -> None:
        wrong = first_invalid(list(self.query(FieldRow)))
        if wrong is not None:
            wrong.control.focus()
            return
        fields = NotatFields(
            reason=self.query_one("#notat-reason", TextArea).text.strip(),
            leader=self.query_one("#notat-leader", Input).value.strip(),
            employee_involved=self.query_one("#notat-involved", Checkbox).value,
            signed_by=self.query_one("#notat-signed-by", Input).value.strip(),
        )
        self.save_and_dismiss(fields, self.save)
