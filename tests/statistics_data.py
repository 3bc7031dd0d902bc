"""A small database with known counts, for the statistics tests (screen, CLI, exports agree with it)."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from typing import Any

from trivsel_tui.domain.classify import classify
from trivsel_tui.domain.facts import parse_facts
from trivsel_tui.domain.rules import Rules
from trivsel_tui.store.cases import EpisodeInput, register_episode, save_classification
from trivsel_tui.store.models import ActionPlan
from trivsel_tui.store.queries import save_workplace
from trivsel_tui.store.store import Store

JOBCENTER, SKOLEN, PLEJECENTER = "Jobcenter Nord", "Skolen", "Plejecenter Åbrinken"
# What the tests expect: 22 episodes, 12 + 7 + 3 by workplace, one category per workplace.
BY_WORKPLACE = {JOBCENTER: 12, SKOLEN: 7, PLEJECENTER: 3}
BY_CATEGORY = {"violence_threats": 12, "bullying_degrading": 7, "sexual_harassment": 3}
BY_MONTH = {"2026-09": 6, "2026-10": 13, "2026-11": 3}
ABSENCE_DAYS = 12  # six injured at the Jobcenter, two days each
BY_WORKPLACE_AND_MONTH = {(JOBCENTER, "2026-09"): 6, (JOBCENTER, "2026-10"): 6, (SKOLEN, "2026-10"): 7}
BY_WORKPLACE_AND_MONTH |= {(PLEJECENTER, "2026-11"): 3}
UNITS = {JOBCENTER: "Jobcenter", SKOLEN: "Skole", PLEJECENTER: "Ældrepleje"}
TOTAL = 22


def add_episode(
    store: Store,
    rules: Rules,
    workplace_id: int,
    when: datetime,
    behaviour: str,
    perpetrator: str,
    injury: str = "none",
    absence_days: int | None = None,
) -> int:
    first_absence = (when + timedelta(days=1)).date() if absence_days else None
    case_id, episode_id = register_episode(
        store,
        EpisodeInput(
            workplace_id, when, "Testperson", perpetrator, absence_days=absence_days, first_absence_day=first_absence
        ),
    )
    facts: dict[str, Any] = {
        "occurred_at": when.isoformat(),
        "behaviours": [behaviour],
        "perpetrator": perpetrator,
        "injury": injury,
        "intentional": True,
    }
    save_classification(store, episode_id, facts, classify(parse_facts(facts, rules), rules))
    return case_id


def build(store: Store, rules: Rules) -> dict[str, int]:
    """The known database; returns the workplaces' ids by name."""
    jobcenter = save_workplace(store, {"name": JOBCENTER, "unit": "Jobcenter", "risk_violence_citizens": True})
    skolen = save_workplace(store, {"name": SKOLEN, "unit": "Skole", "last_wellbeing_survey": date(2026, 1, 10)})
    pleje = save_workplace(
        store,
        {
            "name": PLEJECENTER,
            "unit": "Ældrepleje",
            "risk_violence_citizens": True,
            "risk_sexual_citizens": True,
            "last_wellbeing_survey": date(2023, 5, 1),
            "local_adaptation_decided_on": date(2026, 2, 1),
        },
    )
    ids = {w.name: w.id or 0 for w in (jobcenter, skolen, pleje)}
    with store.write() as session:
        session.add(ActionPlan(kind="prevention_violence", workplace_id=ids[JOBCENTER], status="adopted"))
    for i in range(12):
        month = 9 if i < 6 else 10
        injured = i % 2 == 0
        add_episode(
            store,
            rules,
            ids[JOBCENTER],
            datetime(2026, month, 3 + i, 10, tzinfo=UTC),
            "blow",
            "citizen",
            "physical" if injured else "none",
            2 if injured else None,
        )
    for i in range(7):
        add_episode(store, rules, ids[SKOLEN], datetime(2026, 10, 1 + i, 9, tzinfo=UTC), "ridicule", "colleague")
    for i in range(3):
        add_episode(
            store, rules, ids[PLEJECENTER], datetime(2026, 11, 2 + i, 8, tzinfo=UTC), "unwanted_touching", "citizen"
        )
    return ids
