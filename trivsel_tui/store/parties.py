"""The people involved in a case (table case_party): add, change, remove – each audited and sealed
with the case's key like every other personal value, so kassation and export-person cover them."""

from __future__ import annotations

from dataclasses import dataclass

from sqlmodel import col, select

from trivsel_tui.domain.parties import ROLES
from trivsel_tui.store.errors import row_to_edit
from trivsel_tui.store.models import CaseParty
from trivsel_tui.store.store import Store
from trivsel_tui.store.views import view_of


@dataclass(frozen=True)
class PartyInput:
    role: str  # affected | subject | witness
    name: str
    relation: str = ""  # a perpetrator code for the person the case is about
    job: str = ""
    note: str = ""


@dataclass(frozen=True)
class PartyView:
    id: int
    case_id: int
    role: str
    relation: str
    name: str
    job: str
    note: str
    version: int = 0  # the version the user saw (store.errors.row_to_edit)


def parties_for(store: Store, case_id: int) -> list[PartyView]:
    with store.read() as session:
        query = select(CaseParty).where(CaseParty.case_id == case_id).order_by(col(CaseParty.id))
        return [view_of(PartyView, party) for party in session.exec(query)]


def save_party(
    store: Store, case_id: int, data: PartyInput, party_id: int | None = None, *, seen: int | None = None
) -> int:
    """Add a party to the case, or change one of its parties (refused if someone saved it after the version
    `seen`). Returns the party's id."""
    if data.role not in ROLES or not data.name.strip():
        raise ValueError(f"a party needs a role in {ROLES} and a name")
    with store.write() as session:
        party = CaseParty(case_id=case_id) if party_id is None else row_to_edit(session, CaseParty, party_id, seen)
        if party.case_id != case_id:
            raise LookupError(f"party {party_id} is not in case {case_id}")
        party.role, party.relation = data.role, data.relation if data.role == "subject" else ""
        party.name, party.job, party.note = data.name.strip(), data.job.strip(), data.note.strip()
        session.add(party)
        session.flush()
        assert party.id is not None
        return party.id


def remove_party(store: Store, party_id: int, *, seen: int | None = None) -> None:
    """Refused if someone changed the party after the version `seen` (the user would remove what they never saw)."""
    with store.write() as session:
        session.delete(row_to_edit(session, CaseParty, party_id, seen))
