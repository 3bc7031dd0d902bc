"""Deadline states for the dashboard and `trivsel due`: overdue, under 24 hours, due soon, later.

Each state has its own marker, so the state reads without colour (NO_COLOR, a projector, print).
"""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import TYPE_CHECKING

from trivsel_tui.texts import t

if TYPE_CHECKING:
    from trivsel_tui.domain.rules import Rules

OVERDUE, URGENT, DUE_SOON, LATER = "overdue", "urgent", "due_soon", "later"
MARKERS = {OVERDUE: "▲", URGENT: "◆", DUE_SOON: "●", LATER: " "}
URGENT_WITHIN = timedelta(hours=24)


def due_state(due: datetime, now: datetime, soon_days: int) -> str:
    if due < now:
        return OVERDUE
    if due - now <= URGENT_WITHIN:
        return URGENT
    if due <= now + timedelta(days=soon_days):
        return DUE_SOON
    return LATER


def countdown(due: datetime, now: datetime) -> tuple[int, int]:
    """Hours and minutes left (never negative)."""
    minutes = max(0, int((due - now).total_seconds() // 60))
    return divmod(minutes, 60)


# The kinds the dashboard's filter offers, in this order.
FILTER_KINDS = (
    "classify_episode",
    "insurance_report",
    "police_report",
    "offer_support",
    "amg_follow_up",
    "resolve_locally",
    "manual",
    "plan_item",
    "plan_review",
    "survey_due",
    "handleplan_missing",
    "adaptation_missing",
)


def kind_label(kind: str, rules: Rules) -> str:
    """A short Danish name for a row's kind, for the kind filter."""
    if kind.startswith("local:"):
        action = next((a for a in rules.local_actions if a.deadline == kind or a.code == kind[6:]), None)
        return action.title if action else kind
    return t(f"due_kinds.{kind}")
