"""Form fields: a validated field row and a Danish date input, built on textual.validation.

A `FieldRow` holds a label, one control (Input, TextArea or Select) and that control's own error line.
It validates as the user types and on `check()`, with `textual.validation.Validator`s, and shows the
first failure in Danish under the control. Errors found elsewhere (a duplicate name from the store)
are shown with `show_error()`.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import date
from typing import ClassVar

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.validation import ValidationResult, Validator
from textual.widget import Widget
from textual.widgets import Input, Label, Select, Static, TextArea
from textual.widgets._select import SelectCurrent, SelectOverlay, SelectType

from trivsel_tui.domain.clock import danish_day
from trivsel_tui.domain.danish_dates import DanishDateError, parse_danish_date
from trivsel_tui.texts import t
from trivsel_tui.widgets.cells import literal

Control = Input | TextArea | Select[str] | Select[int]


class _DanishOverlay(SelectOverlay):
    BINDINGS: ClassVar[list[BindingType]] = [Binding("escape", "dismiss", t("palette.close_menu"))]


class Choice(Select[SelectType]):
    """Textual's Select with its open list's key hint in Danish (the stock one says "Dismiss menu")."""

    def compose(self) -> ComposeResult:
        yield SelectCurrent(self.prompt)
        yield _DanishOverlay(type_to_search=self._type_to_search).data_bind(compact=Select.compact)


DateRule = Callable[[date], str]  # '' when the date is acceptable, else the Danish reason


class Rule(Validator):
    """A check written as a function: it returns the Danish reason a value is wrong, or ''."""

    def __init__(self, problem: Callable[[str], str]) -> None:
        super().__init__()
        self.problem = problem

    def validate(self, value: str) -> ValidationResult:
        problem = self.problem(value)
        return self.failure(problem) if problem else self.success()


class Required(Validator):
    """Something must be typed or chosen."""

    def __init__(self, message: str) -> None:
        super().__init__(failure_description=message)

    def validate(self, value: str) -> ValidationResult:
        return self.success() if value.strip() else self.failure()


class DanishDate(Validator):
    """A date written the Danish way (24-10-2026, 24/10, i dag, i morgen); empty is fine unless Required."""

    def __init__(self, today: Callable[[], date], rule: DateRule | None = None, unreadable: str = "") -> None:
        super().__init__()
        self.today = today
        self.rule = rule
        self.unreadable = unreadable  # the form's own words for an unreadable date; else the parser's

    def validate(self, value: str) -> ValidationResult:
        if not value.strip():
            return self.success()
        try:
            day = parse_danish_date(value, self.today())
        except DanishDateError as exc:
            return self.failure(self.unreadable or str(exc).capitalize() + ".")
        problem = self.rule(day) if self.rule else ""
        return self.failure(problem) if problem else self.success()


def not_before(today: Callable[[], date], message: str, allow_today: bool = True) -> DateRule:
    return lambda day: message if day < today() or (day == today() and not allow_today) else ""


def not_after_today(today: Callable[[], date], message: str) -> DateRule:
    return lambda day: message if day > today() else ""


class DanishDateInput(Input):
    """An Input for one calendar day, shown as 24-10-2026 and read with the Danish date parser."""

    def __init__(
        self,
        value: date | None = None,
        *,
        today: Callable[[], date],
        placeholder: str = "",
        id: str | None = None,
        compact: bool = False,
    ) -> None:
        super().__init__(
            danish_day(value) if value else "",
            placeholder=placeholder or t("form.date_placeholder"),
            id=id,
            compact=compact,
        )
        self.today = today

    @property
    def day(self) -> date | None:
        """The day typed, or None when the field is empty or unreadable."""
        try:
            return parse_danish_date(self.value, self.today()) if self.value.strip() else None
        except DanishDateError:
            return None


class SuggestingInput(Input):
    """An Input whose grey completion is taken by Tab as well as by the right arrow.

    Only for a field whose value must be one of the suggestions (a known workplace): in a free-text field
    Tab would silently turn what was typed ("Mette") into someone else's name ("Mette Holm").
    Found in tmux: a newcomer typed "jobc", saw "Jobcenter" completed in grey and pressed Tab, which moved
    on and left "jobc" behind, an unknown workplace.
    """

    BINDINGS: ClassVar[list[BindingType]] = [Binding("tab", "take_suggestion", show=False)]

    def action_take_suggestion(self) -> None:
        if self._suggestion and self.cursor_at_end and self._suggestion != self.value:
            self.value = self._suggestion
            self.cursor_position = len(self.value)
        self.screen.focus_next()


def value_of(control: Control) -> str:
    if isinstance(control, Input):
        return control.value
    if isinstance(control, TextArea):
        return control.text
    return "" if control.value is Select.NULL else str(control.value)


class FieldRow(Vertical):
    """A label, one control and its own Danish error; validated as you type and on check().

    In a dialog the label is above the control; in a full-screen form (`beside=True`) it is to the
    left, and `extras` (such as a live reading of a typed date) sit between the control and its error.
    """

    def __init__(
        self,
        label: str,
        control: Control,
        validators: Sequence[Validator] = (),
        *,
        beside: bool = False,
        extras: Sequence[Widget] = (),
        classes: str = "",
    ) -> None:
        super().__init__(classes=f"field-row {'row beside' if beside else ''} {classes}".strip())
        self.label = label
        self.control = control
        self.validators = list(validators)
        self.beside = beside
        self.extras = list(extras)
        self.error = Static("", id=f"{control.id}-error" if control.id else None, classes="field-error")
        self.error.display = False

    def compose(self) -> ComposeResult:
        yield Label(self.label)
        if not self.beside:
            yield self.control
            yield self.error
            return
        with Vertical(classes="field"):
            yield self.control
            yield from self.extras
            yield self.error

    @property
    def value(self) -> str:
        return value_of(self.control)

    def problem(self) -> str:
        """The first failure of the control's current value, '' when it is valid."""
        for validator in self.validators:
            result = validator.validate(self.value)
            if not result.is_valid:
                return result.failure_descriptions[0] if result.failure_descriptions else ""
        return ""

    def check(self) -> bool:
        """Validate now and show the result; True when the value is valid."""
        problem = self.problem()
        self.show_error(problem)
        return not problem

    def show_error(self, message: str) -> None:
        self.error.update(literal(message))  # a message may quote what was typed
        self.error.display = bool(message)
        self.control.set_class(bool(message), "-invalid")

    @on(Input.Changed)
    @on(TextArea.Changed)
    @on(Select.Changed)
    def _changed(self, event: Input.Changed | TextArea.Changed | Select.Changed) -> None:
        if event.control is self.control:
            self.check()


def first_invalid(rows: Sequence[FieldRow]) -> FieldRow | None:
    """Check every row (so each shows its own error) and return the first that failed."""
    failed = [row for row in rows if not row.check()]
    return failed[0] if failed else None
