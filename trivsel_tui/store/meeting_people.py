"""Who is involved in a case, as the meeting's conflict-of-interest check and its pseudonyms need it.

The one place that knows where people are stored: the affected employee on the case row, the witnesses
an episode names, the person it is about by role (the episode's perpetrator), and the parties the case
records name (table case_party: more affected employees, the person it is about with their relation,
witnesses).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from typing import Any

from sqlalchemy import select
from sqlmodel import col

from trivsel_tui.domain.meetings import Party
from trivsel_tui.store.models import Case, CaseParty, Episode

CHUNK = 500  # bound parameters per IN list, well below every database's limit


def _chunks(ids: Sequence[int]) -> list[Sequence[int]]:
    return [ids[i : i + CHUNK] for i in range(0, len(ids), CHUNK)]


def witness_names(witnesses: str) -> list[str]:
    """An episode's witnesses as typed: names separated by commas, semicolons or lines."""
    return [name.strip() for name in witnesses.replace(";", ",").replace("\n", ",").split(",") if name.strip()]


def case_parties(session: Any, case_ids: Sequence[int]) -> tuple[dict[int, list[Party]], set[int]]:
    """Each case's parties, and the cases whose classification carries the manager_involved notice."""
    parties: dict[int, list[Party]] = defaultdict(list)
    manager_cases: set[int] = set()
    connection = session.connection()
    for chunk in _chunks(list(case_ids)):
        for case_id, person in connection.execute(
            select(col(Case.id), col(Case.affected_person)).where(col(Case.id).in_(chunk))
        ):
            parties[case_id].append(Party("affected", person))
        query = select(
            col(Episode.case_id), col(Episode.perpetrator), col(Episode.witnesses), col(Episode.classification)
        ).where(col(Episode.case_id).in_(chunk))
        for case_id, perpetrator, witnesses, classification in connection.execute(query):
            parties[case_id].append(Party("subject", "", perpetrator))
            parties[case_id] += [Party("witness", name) for name in witness_names(witnesses or "")]
            notices = (classification or {}).get("notices", [])
            if any(isinstance(n, dict) and n.get("code") == "manager_involved" for n in notices):
                manager_cases.add(case_id)
        recorded = (
            select(col(CaseParty.case_id), col(CaseParty.role), col(CaseParty.name), col(CaseParty.relation))
            .where(col(CaseParty.case_id).in_(chunk))
            .order_by(col(CaseParty.id))
        )
        for case_id, role, name, relation in connection.execute(recorded):
            parties[case_id].append(Party(role, name or "", relation or ""))
    return dict(parties), manager_cases
