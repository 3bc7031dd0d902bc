"""A small body with known cases for the meeting tests: what its agenda must hold is fixed here."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from sqlmodel import select

from tests.conftest import NOW
from trivsel_tui.domain.classify import classify
from trivsel_tui.domain.facts import parse_facts
from trivsel_tui.domain.meetings import Attendee, Body
from trivsel_tui.domain.rules import Rules
from trivsel_tui.store.cases import EpisodeInput, register_episode, save_classification
from trivsel_tui.store.models import Case
from trivsel_tui.store.queries import save_workplace
from trivsel_tui.store.store import Store

AFFECTED = "Mette Hansen"
WITNESS = "Karin Vidnesen"
LEADER = "Lene Ledersen"
AMR = "Anders Amrsen"
NARRATIVE = f"{AFFECTED} blev slået af en borger i gangen. Mettes CPR er 010190-1234. {WITNESS} så det."


@dataclass(frozen=True)
class Fixture:
    body: Body
    workplace_id: int
    citizen_case: int  # violence from a citizen, witnessed, with an open and an overdue task
    manager_case: int  # bullying by the leader: manager_involved
    attendees: tuple[Attendee, ...]


def _episode(
    store: Store, rules: Rules, workplace_id: int, person: str, perpetrator: str, behaviour: str, **more: Any
) -> int:
    when = NOW - timedelta(days=20)
    case_id, episode_id = register_episode(
        store, EpisodeInput(workplace_id, when, person, perpetrator, place="Gangen", **more)
    )
    facts: dict[str, Any] = {
        "occurred_at": when.isoformat(),
        "behaviours": [behaviour],
        "perpetrator": perpetrator,
        "injury": "none",
        "intentional": True,
    }
    save_classification(store, episode_id, facts, classify(parse_facts(facts, rules), rules))
    return case_id


def build(store: Store, rules: Rules) -> Fixture:
    workplace = save_workplace(
        store,
        {
            "name": "Børnehuset Solsikken",
            "risk_violence_citizens": True,
            "leader_name": LEADER,
            "amr_name": AMR,
            "last_wellbeing_survey": date(2026, 3, 1),
        },
    )
    assert workplace.id is not None
    citizen = _episode(
        store, rules, workplace.id, AFFECTED, "citizen", "blow", description=NARRATIVE, witnesses=WITNESS
    )
    manager = _episode(store, rules, workplace.id, "Bo Berg", "manager", "blow")
    body = Body("arbejdsmiljoegruppe", "Børnehuset Solsikken", (workplace.id,))
    return Fixture(body, workplace.id, citizen, manager, (Attendee(AMR, "amr"),))


def case_ref(store: Store, case_id: int) -> str:
    with store.read() as session:
        case = session.exec(select(Case).where(Case.id == case_id)).one()
        return case.ref


# Parties recorded in the case_party table (the case records screen, `c`), beside the names the episode
# form knows: a second affected employee, the citizen the case is about and a relative (pårørende) of
# theirs, a witness only the records name, and a colleague case with the colleague it is about.
SECOND_AFFECTED = "Ida Lund"
CITIZEN = "Bent Borgersen"
RECORDS_WITNESS = "Sofie Sørensen"
COLLEAGUE = "Ole Olsen"
RELATIVE = "Pia Poulsen"
COLLEAGUE_AFFECTED = "Jens Jensen"


@dataclass(frozen=True)
class PartyFixture:
    data: Fixture
    colleague_case: int


def build_with_parties(store: Store, rules: Rules) -> PartyFixture:
    from trivsel_tui.store.parties import PartyInput, save_party

    data = build(store, rules)
    colleague_case = _episode(store, rules, data.workplace_id, COLLEAGUE_AFFECTED, "colleague", "ridicule")
    save_party(store, data.citizen_case, PartyInput("affected", SECOND_AFFECTED, job="Pædagog"))
    save_party(store, data.citizen_case, PartyInput("subject", CITIZEN, "citizen"))
    save_party(store, data.citizen_case, PartyInput("witness", RECORDS_WITNESS))
    save_party(store, data.citizen_case, PartyInput("subject", RELATIVE, "relative"))
    save_party(store, colleague_case, PartyInput("subject", COLLEAGUE, "colleague", job="Pædagogmedhjælper"))
    return PartyFixture(data, colleague_case)
