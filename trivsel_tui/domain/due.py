"""Deadline states for the dashboard and `trivsel due`: overdue, due soon, later."""

from __future__ import annotations

from datetime import datetime, timedelta

OVERDUE, DUE_SOON, LATER = "overdue", "due_soon", "later"
MARKERS = {OVERDUE: "▲", DUE_SOON: "●", LATER: " "}


def due_state(due: datetime, now: datetime, soon_days: int) -> str:
    if due < now:
        return OVERDUE
    if due <= now + timedelta(days=soon_days):
        return DUE_SOON
    return LATER
