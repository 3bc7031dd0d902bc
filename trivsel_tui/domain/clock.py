"""Time at the edges: everything is stored in UTC and shown in Europe/Copenhagen."""

from __future__ import annotations

from datetime import UTC, date, datetime
from zoneinfo import ZoneInfo

import pendulum

from trivsel_tui.domain.control_chars import shown_value
from trivsel_tui.texts import t

LOCAL_TZ = pendulum.timezone("Europe/Copenhagen")
_LOCAL_ZONE = ZoneInfo("Europe/Copenhagen")


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


def parse_instant(text: str) -> pendulum.DateTime:
    """Parse ISO 8601; a naive value is Europe/Copenhagen local time."""
    try:
        parsed = pendulum.parse(text, tz=LOCAL_TZ, strict=True, exact=True)
    except (pendulum.parsing.exceptions.ParserError, ValueError) as exc:
        raise TimeParseError(t("time_errors.bad_instant", text=shown_value(text))) from exc
    if not isinstance(parsed, pendulum.DateTime):
        raise TimeParseError(t("time_errors.not_a_moment", text=shown_value(text)))
    return parsed.in_tz(LOCAL_TZ)


def parse_day(text: str) -> date:
    """A calendar date written YYYY-MM-DD, nothing else."""
    try:
        if len(text) != 10:
            raise ValueError(text)
        return date.fromisoformat(text)
    except ValueError as exc:
        raise TimeParseError(t("time_errors.bad_day", text=shown_value(text))) from exc


def local_day_bound(day: date, end: bool) -> pendulum.DateTime:
    """00:00 or 23:59 of a Copenhagen calendar day: date-only deadlines end at 23:59 local time."""
    hour, minute = (23, 59) if end else (0, 0)
    return pendulum.datetime(day.year, day.month, day.day, hour, minute, tz=LOCAL_TZ)


def local_wall(naive: datetime) -> pendulum.DateTime:
    """A Copenhagen wall-clock time as a moment: pendulum takes a repeated time as the later one and
    moves a skipped time on by the hour skipped."""
    return pendulum.datetime(
        naive.year, naive.month, naive.day, naive.hour, naive.minute, naive.second, naive.microsecond, tz=LOCAL_TZ
    )


def local(moment: datetime) -> pendulum.DateTime:
    """Any aware datetime (naive = UTC, as stored) in Copenhagen time."""
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=pendulum.UTC)
    return pendulum.instance(moment).in_tz(LOCAL_TZ)


def iso_local(moment: datetime) -> str:
    """ISO 8601 in Copenhagen time with its offset, e.g. 2026-10-27T13:00:00+01:00."""
    # The standard library's zone: the same rules, and fast enough for `trivsel due --json` over every row.
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    return moment.astimezone(_LOCAL_ZONE).isoformat()


def danish_long(moment: datetime) -> str:
    """lørdag 24. oktober 2026 kl. 14:00"""
    return local(moment).format("dddd D. MMMM YYYY [kl.] HH:mm", locale="da")


def danish_short(moment: datetime) -> str:
    """24-10-2026 14:00"""
    return local(moment).format("DD-MM-YYYY HH:mm")


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
