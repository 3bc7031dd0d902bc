"""Turning a deadline rule into a moment in time."""

from __future__ import annotations

import pendulum

from trivsel_tui.domain.clock import LOCAL_TZ, local_day_bound
from trivsel_tui.domain.facts import Facts
from trivsel_tui.domain.rules import DeadlineRule, Rules


def due_at(rule: DeadlineRule, facts: Facts) -> pendulum.DateTime:
    occurred = facts.occurred_at.in_tz(LOCAL_TZ)
    if rule.kind == "hours_after_episode":
        # Real elapsed hours: add in UTC so a DST change does not move the deadline.
        return occurred.in_tz("UTC").add(hours=rule.amount).in_tz(LOCAL_TZ)
    if rule.kind == "days_end_of_day":
        start = facts.first_absence_day or occurred.date()
        last_day = pendulum.date(start.year, start.month, start.day).add(days=rule.amount)
        return local_day_bound(last_day, end=True)
    if rule.kind == "days_after_episode":
        return occurred.add(days=rule.amount)
    if rule.kind == "years_after_episode":
        return occurred.add(years=rule.amount)
    raise ValueError(f"unknown deadline kind {rule.kind}")


def describe(rule: DeadlineRule, rules: Rules) -> str:
    """The rule in words (from [rationale] in rules.toml), for rationales and reviews."""
    return rules.sentence(rule.kind, amount=rule.amount)
