"""Add or change a person involved in a case (modal): role, relation, name, job, note.

Names are shown and stored literally; a name is required. Ctrl+S saves, Escape cancels.
"""

from __future__ import annotations

from typing import ClassVar

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Input, Label, Select, Static

from trivsel_tui.domain.parties import ROLES
from trivsel_tui.seam import Save, StoreAccess
from trivsel_tui.store.parties import PartyInput, PartyView
from trivsel_tui.texts import t
from trivsel_tui.widgets.cells import shown


class PartyFormScreen(StoreAccess, ModalScreen[PartyInput | None]):
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("ctrl+s", "save", t("keys.save"), priority=True),
        Binding("escape", "dismiss(None)", t("keys.cancel")),
    ]

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
            yield Label(t("parties.role"))
            roles = [(t(f"parties.role_{role}"), role) for role in ROLES]
            yield Select(roles, value=party.role if party else "witness", allow_blank=False, id="party-role")
            yield Label(t("parties.relation"), id="party-relation-label")
            relations = [(label, code) for code, label in self.perpetrators.items()]
            relation = party.relation if party and party.relation in self.perpetrators else Select.NULL
            yield Select(relations, value=relation, prompt=t("parties.relation_prompt"), id="party-relation")
            yield Label(t("parties.name"))
            yield Input(shown(party.name) if party else "", id="party-name")
            yield Label(t("parties.job"))
            yield Input(shown(party.job) if party else "", id="party-job")
            yield Label(t("parties.note"))
            yield Input(shown(party.note) if party else "", id="party-note")
            yield Static("", id="party-error", classes="field-error")
            yield Static(t("prompt.hint"), classes="dim")

    def on_mount(self) -> None:
        self._show_relation()
        self.query_one("#party-name", Input).focus()

    @on(Select.Changed, "#party-role")
    def _show_relation(self) -> None:
        subject = self.query_one("#party-role", Select).value == "subject"
        self.query_one("#party-relation", Select).display = subject
        self.query_one("#party-relation-label", Label).display = subject

    def action_save(self) -> None:
        role = str(self.query_one("#party-role", Select).value)
        relation = self.query_one("#party-relation", Select).value
        name = self.query_one("#party-name", Input).value.strip()
        error = "" if name else t("parties.name_missing")
        if not error and role == "subject" and relation is Select.NULL:
            error = t("parties.relation_missing")
        self.query_one("#party-error", Static).update(error)
        if error:
            return
        data = PartyInput(
            role=role,
            name=name,
            relation=str(relation) if role == "subject" and relation is not Select.NULL else "",
            job=self.query_one("#party-job", Input).value,
            note=self.query_one("#party-note", Input).value,
        )
        self.save_and_dismiss(data, self.save)
