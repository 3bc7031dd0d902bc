"""An episode that is registered but not classified is itself a deadline: "Klassificér episoden", due at
once and overdue after a local-default number of hours. Meanwhile the legal clocks run: if the behaviour
could be violence, the police report's 72 hours are shown beside it."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, datetime

import pendulum

from trivsel_tui.domain.classify import VIOLENCE_TYPES
from trivsel_tui.domain.clock import local
from trivsel_tui.domain.rules import Rules

CLASSIFY_DEADLINE = "classify_episode"
POLICE_DEADLINE = "police_report"


def classify_within_hours(rules: Rules, today: date) -> int:
    rule = rules.deadline_in_force(CLASSIFY_DEADLINE, today)
    return rule.amount if rule else 24


def could_be_violence(behaviours: Sequence[str], rules: Rules) -> bool:
    """Not yet known counts as could be: the clock must show until someone says otherwise."""
    if not behaviours:
        return True
    return any(rules.behaviours.get(b, {}).get("type") in VIOLENCE_TYPES for b in behaviours)


def police_clock(occurred_at: datetime, behaviours: Sequence[str], rules: Rules) -> datetime | None:
    """When the police report's legal hours run out for this episode, if its behaviour could be violence."""
    rule = rules.deadline_in_force(POLICE_DEADLINE, local(occurred_at).date())
    if rule is None or not could_be_violence(behaviours, rules):
        return None
    # Real elapsed hours, as domain.deadlines counts them.
    return pendulum.instance(occurred_at).in_tz("UTC").add(hours=rule.amount)
