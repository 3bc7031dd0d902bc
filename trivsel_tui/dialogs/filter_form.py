"""Choose the dashboard's filters (modal): workplace, category, responsible person, kind."""

from __future__ import annotations

from typing import ClassVar

from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.widgets import Label, Select, Static

from trivsel_tui.dialogs.base import Dialog
from trivsel_tui.store.dashboard import DueFilters
from trivsel_tui.texts import t
from trivsel_tui.widgets.cells import literal
from trivsel_tui.widgets.fields import Choice


class FilterFormScreen(Dialog[DueFilters | None]):
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("ctrl+s", "apply", t("keys.save"), priority=True),
    ]

    def __init__(
        self,
        current: DueFilters,
        workplaces: list[tuple[str, str | int]],
        categories: list[tuple[str, str | int]],
        responsibles: list[str],
        kinds: list[tuple[str, str | int]],
    ) -> None:
        super().__init__()
        self.current = current
        self.choices: dict[str, list[tuple[str, str | int]]] = {
            "workplace": list(workplaces),
            "category": list(categories),
            "responsible": [(r, r) for r in responsibles],
            "kind": list(kinds),
        }

    def compose(self) -> ComposeResult:
        current = {
            "workplace": self.current.workplace_id,
            "category": self.current.category,
            "responsible": self.current.responsible,
            "kind": self.current.kinds[0] if self.current.kinds else None,
        }
        with Vertical(classes="dialog") as box:
            box.border_title = t("filter_form.title")
            for name, options in self.choices.items():
                yield Label(t(f"filter_form.{name}"))
                value = current[name] if current[name] is not None else Select.NULL
                choices = [(literal(prompt), choice) for prompt, choice in options]
                yield Choice(choices, prompt=t("filter_form.any"), value=value, id=f"filter-{name}")
            yield Static(t("prompt.hint"), classes="dim")

    def on_mount(self) -> None:
        self.query_one("#filter-workplace", Select).focus()

    def _value(self, name: str) -> object | None:
        value = self.query_one(f"#filter-{name}", Select).value
        return None if value is Select.NULL else value

    def action_apply(self) -> None:
        workplace = self._value("workplace")
        kind = self._value("kind")
        self.dismiss(
            DueFilters(
                workplace_id=int(str(workplace)) if workplace is not None else None,
                category=str(self._value("category")) if self._value("category") is not None else None,
                responsible=str(self._value("responsible")) if self._value("responsible") is not None else None,
                kinds=(str(kind),) if kind is not None else (),
                search=self.current.search,
            )
        )
