"""Add or change a person involved in a case (modal): role, relation, name, job, note.

Names are shown and stored literally; a name is required, and the person the case is about needs
their relation (borger, pårørende, kollega, leder, ukendt). Ctrl+S saves, Escape cancels.
"""

from __future__ import annotations

from typing import ClassVar

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.widgets import Input, Select, Static

from trivsel_tui.dialogs.base import Dialog
from trivsel_tui.domain.parties import ROLES
from trivsel_tui.seam import Save
from trivsel_tui.store.parties import PartyInput, PartyView
from trivsel_tui.texts import t
from trivsel_tui.widgets.cells import shown
from trivsel_tui.widgets.fields import Choice, FieldRow, Required, first_invalid


class PartyFormScreen(Dialog[PartyInput | None]):
    BINDINGS: ClassVar[list[BindingType]] = [Binding("ctrl+s", "save", t("keys.save"), priority=True)]

    def __init__(
        self, perpetrators: dict[str, str], party: PartyView | None = None, save: Save[PartyInput] | None = None
    ) -> None:
        super().__init__()
        self.perpetrators = perpetrators
        self.party = party
        self.save = save

    def compose(self) -> ComposeResult:
        party = self.party
        with Vertical(classes="dialog wide") as box:
            box.border_title = t("parties.edit_title" if party else "parties.add_title")
            roles = [(t(f"parties.role_{role}"), role) for role in ROLES]
            role = Choice(roles, value=party.role if party else "witness", allow_blank=False, id="party-role")
            yield FieldRow(t("parties.role"), role)
            relations = [(label, code) for code, label in self.perpetrators.items()]
            relation = party.relation if party and party.relation in self.perpetrators else Select.NULL
            yield FieldRow(
                t("parties.relation"),
                Choice(relations, value=relation, prompt=t("parties.relation_prompt"), id="party-relation"),
                [Required(t("parties.relation_missing"))],
                classes="relation-row",
            )
            name = Input(shown(party.name) if party else "", id="party-name")
            yield FieldRow(t("parties.name"), name, [Required(t("parties.name_missing"))])
            yield FieldRow(t("parties.job"), Input(shown(party.job) if party else "", id="party-job"))
            yield FieldRow(t("parties.note"), Input(shown(party.note) if party else "", id="party-note"))
            yield Static(t("prompt.hint"), classes="dim")

    def on_mount(self) -> None:
        self._show_relation()
        self.query_one("#party-name", Input).focus()

    @on(Select.Changed, "#party-role")
    def _show_relation(self) -> None:
        self.query_one(".relation-row", FieldRow).display = self._role() == "subject"

    def _role(self) -> str:
        return str(self.query_one("#party-role", Select).value)

    def action_save(self) -> None:
        rows = [row for row in self.query(FieldRow) if row.display]
        wrong = first_invalid(rows)
        if wrong is not None:
            wrong.control.focus()
            return
        role = self._role()
        data = PartyInput(
            role=role,
            name=self.query_one("#party-name", Input).value,
            relation=str(self.query_one("#party-relation", Select).value) if role == "subject" else "",
            job=self.query_one("#party-job", Input).value,
            note=self.query_one("#party-note", Input).value,
        )
        self.save_and_dismiss(data, self.save)
