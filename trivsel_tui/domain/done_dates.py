"""When something was actually done: a day the user gives, as the moment stored.

Today means now. An earlier day has no recorded hour, so it is stored as 12:00 Copenhagen time:
inside the day whatever the DST offset, and never later than a same-day 23:59 deadline.
A day in the future is refused: nothing is done before it happens.
"""

from __future__ import annotations

from datetime import date, datetime

from trivsel_tui.domain.clock import local, local_wall

NOON = 12


class FutureDoneDate(ValueError):
    pass


def done_moment(day: date | None, now: datetime) -> datetime:
    """The moment to store for something done on `day` (None or today: now)."""
    today = local(now).date()
    if day is None or day == today:
        return now
    if day > today:
        raise FutureDoneDate(day.isoformat())
    return local_wall(datetime(day.year, day.month, day.day, NOON))
