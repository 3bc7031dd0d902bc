"""Turning a deadline rule into a moment in time."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from trivsel_tui.domain.clock import LOCAL_TZ, add_years, local, local_day_bound, local_wall
from trivsel_tui.domain.facts import Facts
from trivsel_tui.domain.rules import DeadlineRule, Rules


def due_at(rule: DeadlineRule, facts: Facts) -> datetime:
    occurred = local(facts.occurred_at)
    if rule.kind == "hours_after_episode":
        # Real elapsed hours: add in UTC so a DST change does not move the deadline.
        return (occurred.astimezone(UTC) + timedelta(hours=rule.amount)).astimezone(LOCAL_TZ)
    if rule.kind == "days_end_of_day":
        start = facts.first_absence_day or occurred.date()
        return local_day_bound(start + timedelta(days=rule.amount), end=True)
    # Calendar days and years: the same wall-clock time on the later day.
    wall = occurred.replace(tzinfo=None)
    if rule.kind == "days_after_episode":
        return local_wall(wall + timedelta(days=rule.amount))
    if rule.kind == "years_after_episode":
        return local_wall(add_years(wall, rule.amount))
    raise ValueError(f"unknown deadline kind {rule.kind}")


def describe(rule: DeadlineRule, rules: Rules) -> str:
    """The rule in words (from [rationale] in rules.toml), for rationales and reviews."""
    return rules.sentence(rule.kind, amount=rule.amount)
