"""The people involved in a case: roles, relations, and when a case cannot be handled anonymously."""

from __future__ import annotations

ROLES = ("affected", "subject", "witness")
# "Henvendelsen vil blive behandlet efter juridiske principper om belysning og høring af alle relevante
# parter, hvorfor behandlingen ikke kan foregå anonymt" (the guideline, sexual attention from colleagues
# or a leader). The same hearing applies whenever the case is about a colleague or a leader.
HEARING_PERPETRATORS = frozenset({"colleague", "manager"})


def needs_hearing(perpetrator: str | None) -> bool:
    """True when the case is about a colleague or a leader: all parties are heard, nothing is anonymous."""
    return perpetrator in HEARING_PERPETRATORS
