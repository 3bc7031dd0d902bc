"""Reading dates and times the way Danes type them.

Dates: 24-10-2026, 24/10-2026, 24.10.26, 24/10 (this year), 2026-10-24, i dag, i går, i forgårs.
Times: 14:00, 14.30, 9, kl. 22 — after the date, separated by a space.
"""

from __future__ import annotations

import re
from datetime import date, datetime, timedelta

import pendulum

from trivsel_tui.domain.clock import LOCAL_TZ, local
from trivsel_tui.texts import t

_RELATIVE = {"i dag": 0, "idag": 0, "i går": -1, "igår": -1, "i forgårs": -2, "iforgårs": -2, "i morgen": 1}
_DMY = re.compile(r"^(\d{1,2})[-/.](\d{1,2})(?:[-/.](\d{2}|\d{4}))?$")
_ISO = re.compile(r"^(\d{4})-(\d{1,2})-(\d{1,2})$")
_TIME = re.compile(r"^(?:kl\.?\s*)?(\d{1,2})(?:[:.](\d{2}))?$")
OLDEST_YEARS = 10  # an episode older than this is almost surely a typing error


class DanishDateError(ValueError):
    """Text that is not a date/time; the message says what is expected."""


def _date_part(cleaned: str, today: date) -> date:
    if cleaned in _RELATIVE:
        return today + timedelta(days=_RELATIVE[cleaned])
    if match := _ISO.match(cleaned):
        year, month, day = (int(g) for g in match.groups())
    elif match := _DMY.match(cleaned):
        day, month = int(match.group(1)), int(match.group(2))
        year_text = match.group(3)
        if year_text is None:
            year = today.year
        elif len(year_text) == 2:
            year = 2000 + int(year_text)
        else:
            year = int(year_text)
    else:
        raise DanishDateError(t("time_errors.unreadable_date"))
    try:
        return date(year, month, day)
    except ValueError as exc:
        raise DanishDateError(t("time_errors.no_such_day", day=day, month=month, year=year)) from exc


def parse_danish_date(text: str, today: date) -> date:
    """A date from common Danish notations; a missing year means this year."""
    return _date_part(" ".join(text.strip().lower().split()), today)


def _split_date_time(cleaned: str) -> tuple[str, str]:
    for relative in sorted(_RELATIVE, key=len, reverse=True):
        if cleaned.startswith(relative):
            return relative, cleaned[len(relative) :].strip()
    head, _, tail = cleaned.partition(" ")
    return head, tail.strip()


def parse_danish_datetime(text: str, now: datetime) -> pendulum.DateTime:
    """A moment in Copenhagen time from e.g. '24-10-2026 14:00', '24/10 14.30', 'i dag 9:15', 'i går 22'.

    A moment in the future or more than OLDEST_YEARS back is refused with a reason.
    """
    cleaned = " ".join(text.strip().lower().replace(",", " ").split())
    if not cleaned:
        raise DanishDateError(t("time_errors.time_missing_all"))
    now_local = local(now)
    date_text, time_text = _split_date_time(cleaned)
    day = _date_part(date_text, now_local.date())
    if not time_text:
        raise DanishDateError(t("time_errors.time_missing"))
    match = _TIME.match(time_text)
    if not match:
        raise DanishDateError(t("time_errors.unreadable_time", text=time_text))
    hour, minute = int(match.group(1)), int(match.group(2) or 0)
    if hour > 23 or minute > 59:
        raise DanishDateError(t("time_errors.not_a_time", hour=hour, minute=minute))
    moment = pendulum.datetime(day.year, day.month, day.day, hour, minute, tz=LOCAL_TZ)
    if moment > now_local:
        raise DanishDateError(t("time_errors.future"))
    if moment < now_local.subtract(years=OLDEST_YEARS):
        raise DanishDateError(t("time_errors.too_old", years=OLDEST_YEARS))
    return moment
