"""Override the engine's result (modal): Insubiz kind and/or police relevance, with a mandatory reason."""

from __future__ import annotations

from typing import ClassVar

from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.widgets import Label, Select, Static, TextArea

from trivsel_tui.dialogs.base import Dialog
from trivsel_tui.domain.classify import Override
from trivsel_tui.texts import t
from trivsel_tui.widgets.fields import Choice

KEEP = "keep"


class OverrideScreen(Dialog[Override | None]):
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("ctrl+s", "save", t("keys.save"), priority=True),
    ]

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog wide") as box:
            box.border_title = t("override.title")
            yield Label(t("override.insurance"))
            yield Choice(
                [(t(f"override.{code}"), code) for code in (KEEP, "work_accident", "violation", "none")],
                value=KEEP,
                allow_blank=False,
                id="override-insurance",
            )
            yield Label(t("override.police"))
            yield Choice(
                [(t("override.keep"), KEEP), (t("override.relevant"), "yes"), (t("override.not_relevant"), "no")],
                value=KEEP,
                allow_blank=False,
                id="override-police",
            )
            yield Label(t("override.reason"))
            yield TextArea(id="override-reason")
            yield Static("", id="override-error", classes="field-error")
            yield Static(t("prompt.hint"), classes="dim")

    def on_mount(self) -> None:
        self.query_one("#override-insurance", Select).focus()

    def action_save(self) -> None:
        insurance = self.query_one("#override-insurance", Select).value
        police = self.query_one("#override-police", Select).value
        reason = self.query_one("#override-reason", TextArea).text.strip()
        error = ""
        if insurance == KEEP and police == KEEP:
            error = t("override.nothing")
        elif not reason:
            error = t("override.reason_missing")
            self.query_one("#override-reason", TextArea).focus()
        self.query_one("#override-error", Static).update(error)
        if error:
            return
        self.dismiss(
            Override(
                reason=reason,
                insurance_report=None if insurance == KEEP else str(insurance),
                police_relevant=None if police == KEEP else police == "yes",
            )
        )
