"""What every dialog shares: centred (one CSS rule on `Dialog`), the row it acts on named at the top,
and one Escape policy: the first Escape after typing warns, the second discards (dialogs that keep a
draft, like the item form, save the draft instead).
"""

from __future__ import annotations

from typing import Any, ClassVar, TypeVar

from textual import on
from textual.binding import Binding, BindingType
from textual.screen import ModalScreen
from textual.widgets import Checkbox, Input, Select, SelectionList, Static, TextArea

from trivsel_tui.seam import StoreAccess
from trivsel_tui.texts import t
from trivsel_tui.widgets.cells import literal

R = TypeVar("R")


def subject_line(subject: str) -> Static:
    """'Gælder: <the task or item>' at the top of a dialog that acts on one row."""
    return Static(literal(t("dialog.subject", subject=subject)), classes="dialog-subject")


class Dialog(StoreAccess, ModalScreen[R]):
    BINDINGS: ClassVar[list[BindingType]] = [Binding("escape", "leave", t("keys.cancel"), id="leave")]

    _initial: tuple[object, ...] | None = None
    _escape_armed = False

    def typed(self) -> tuple[object, ...]:
        """Everything the user can change in the dialog, to tell whether Escape would lose anything."""
        values: list[object] = []
        for widget in self.query("Input, TextArea, Select, Checkbox, SelectionList"):
            if isinstance(widget, TextArea):
                values.append(widget.text)
            elif isinstance(widget, SelectionList):
                values.append(tuple(widget.selected))
            elif isinstance(widget, Input | Select | Checkbox):
                values.append(widget.value)
        return tuple(values)

    def on_screen_resume(self) -> None:
        if self._initial is None:
            self.remember_initial()

    def remember_initial(self) -> None:
        """Take the dialog's current values as untouched (e.g. after its choices were loaded)."""
        self._initial = self.typed()

    @on(Input.Changed)
    @on(TextArea.Changed)
    @on(Select.Changed)
    @on(Checkbox.Changed)
    @on(SelectionList.SelectedChanged)
    def _disarm(self, _event: Any) -> None:
        self._escape_armed = False

    def action_leave(self) -> None:
        if self._initial is not None and self.typed() != self._initial and not self._escape_armed:
            self._escape_armed = True
            self.notify(t("form_messages.discard_warning"), severity="warning")
            return
        self.dismiss(None)
