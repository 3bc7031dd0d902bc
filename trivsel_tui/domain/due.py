"""Deadline states for the dashboard and `trivsel due`: overdue, under 24 hours, due soon, later.

Each state has its own marker, so the state reads without colour (NO_COLOR, a projector, print).
"""

from __future__ import annotations

from datetime import datetime, timedelta

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
