"""Time at the edges: everything is stored in UTC and shown in Europe/Copenhagen.

The standard library only (datetime, zoneinfo): a date library cost a quarter of every start-up. Local
wall times follow one rule: a time that occurs twice (the night summer time ends) is the later one, and
a time that does not exist (the night it begins) moves forward by the hour that is skipped.
"""

from __future__ import annotations

from calendar import monthrange
from datetime import UTC, date, datetime
from typing import TypeVar
from zoneinfo import ZoneInfo

from trivsel_tui.domain.control_chars import shown_value
from trivsel_tui.texts import t

LOCAL_TZ = ZoneInfo("Europe/Copenhagen")
Day = TypeVar("Day", bound=date)  # a date, or a (wall-clock) datetime


# The guideline's rules start in 1900; deadlines computed past year 9999 overflow. Input is held to this.
SUPPORTED_YEARS = range(1900, 3000)


class TimeParseError(ValueError):
    """A timestamp that cannot be read."""


def in_supported_years(moment: date) -> None:
    """Refuse a date or time given by a user outside 1900–2999 (year 1 or 9999 is a typo, not a case)."""
    if moment.year not in SUPPORTED_YEARS:
        raise TimeParseError(
            t("time_errors.unsupported_year", year=moment.year, first=SUPPORTED_YEARS[0], last=SUPPORTED_YEARS[-1])
        )


def local_wall(naive: datetime) -> datetime:
    """A Copenhagen wall-clock time as a moment: a repeated time is the later one, a skipped time moves on."""
    later = naive.replace(tzinfo=LOCAL_TZ, fold=1)
    if later.astimezone(UTC).astimezone(LOCAL_TZ).replace(tzinfo=None) == naive:
        return later
    return naive.replace(tzinfo=LOCAL_TZ, fold=0).astimezone(LOCAL_TZ)


def parse_instant(text: str) -> datetime:
    """Parse ISO 8601; a naive value is Europe/Copenhagen local time."""
    try:
        date.fromisoformat(text)
    except ValueError:
        pass
    else:
        raise TimeParseError(t("time_errors.not_a_moment", text=shown_value(text)))
    try:
        parsed = datetime.fromisoformat(text)
    except ValueError as exc:
        raise TimeParseError(t("time_errors.bad_instant", text=shown_value(text))) from exc
    in_supported_years(parsed)  # year 1 or 9999 cannot even be moved to another zone
    if parsed.tzinfo is None:
        return local_wall(parsed)
    return parsed.astimezone(LOCAL_TZ)


def parse_day(text: str) -> date:
    """A calendar date written YYYY-MM-DD, nothing else."""
    try:
        if len(text) != 10:
            raise ValueError(text)
        return date.fromisoformat(text)
    except ValueError as exc:
        raise TimeParseError(t("time_errors.bad_day", text=shown_value(text))) from exc


def local_day_bound(day: date, end: bool) -> datetime:
    """00:00 or 23:59 of a Copenhagen calendar day: date-only deadlines end at 23:59 local time."""
    hour, minute = (23, 59) if end else (0, 0)
    return local_wall(datetime(day.year, day.month, day.day, hour, minute))


def local(moment: datetime) -> datetime:
    """Any aware datetime (naive = UTC, as stored) in Copenhagen time."""
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    return moment.astimezone(LOCAL_TZ)


def add_years(day: Day, years: int) -> Day:
    """The same calendar day `years` later; 29 February becomes 28 February in a common year."""
    return add_months(day, 12 * years)


def add_months(day: Day, months: int) -> Day:
    """The same day of the month `months` later, or that month's last day when it is shorter."""
    index = day.month - 1 + months
    year, month = day.year + index // 12, index % 12 + 1
    return day.replace(year=year, month=month, day=min(day.day, monthrange(year, month)[1]))


def iso_local(moment: datetime) -> str:
    """ISO 8601 in Copenhagen time with its offset, e.g. 2026-10-27T13:00:00+01:00."""
    return local(moment).isoformat()


def danish_long(moment: datetime) -> str:
    """lørdag 24. oktober 2026 kl. 14:00"""
    shown = local(moment)
    weekday = t("calendar.weekdays").split()[shown.weekday()]
    month = t("calendar.months").split()[shown.month - 1]
    return t("calendar.long", weekday=weekday, day=shown.day, month=month, year=shown.year, time=f"{shown:%H:%M}")


def danish_short(moment: datetime) -> str:
    """24-10-2026 14:00"""
    return f"{local(moment):%d-%m-%Y %H:%M}"


def danish_day(day: date | None) -> str:
    """24-10-2026 (how a calendar day is written in every field, cell and document), or – when there is none."""
    return day.strftime("%d-%m-%Y") if day else "–"


def relative_days(due: datetime, now: datetime) -> str:
    """'om 2 dage', 'i dag', '3 dage over' — whole local calendar days, the way people count."""
    days = (local(due).date() - local(now).date()).days
    if days == 0:
        return t("relative_days.today") if due >= now else t("relative_days.over_today")
    if days == 1:
        return t("relative_days.tomorrow")
    if days == -1:
        return t("relative_days.one_day_over")
    if days > 0:
        return t("relative_days.in_days", days=days)
    return t("relative_days.days_over", days=-days)
