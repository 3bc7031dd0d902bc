"""Dates and times typed the Danish way, and CPR numbers spotted in free text."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest

from trivsel_tui.domain.cpr import find_cpr, remove_cpr
from trivsel_tui.domain.danish_dates import DanishDateError, parse_danish_date, parse_danish_datetime

NOW = datetime(2026, 11, 26, 9, 0, tzinfo=UTC)  # 10:00 in Copenhagen


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("24-10-2026 14:00", "2026-10-24T14:00:00+02:00"),
        ("24/10 14.30", "2026-10-24T14:30:00+02:00"),
        ("i dag 9:15", "2026-11-26T09:15:00+01:00"),
        ("i går 22", "2026-11-25T22:00:00+01:00"),
        ("I GÅR kl. 7", "2026-11-25T07:00:00+01:00"),
        ("2026-03-29 03:30", "2026-03-29T03:30:00+02:00"),
        ("24.10.26 8", "2026-10-24T08:00:00+02:00"),
        ("  24-10-2026   14:00 ", "2026-10-24T14:00:00+02:00"),
    ],
)
def test_danish_date_times_are_read(text: str, expected: str) -> None:
    assert parse_danish_datetime(text, NOW).isoformat() == expected


@pytest.mark.parametrize(
    ("text", "reason"),
    [
        ("i morgen 9", "fremtiden"),
        ("i dag 11:00", "fremtiden"),
        ("24-10-2010 10:00", "10 år"),
        ("31-02-2026 10:00", "findes ikke"),
        ("i dag 25:00", "ikke et klokkeslæt"),
        ("i dag", "klokkeslættet mangler"),
        ("i dag kvart over", "kan ikke læses"),
        ("sidste tirsdag 10", "kan ikke læses"),
        ("", "mangler"),
    ],
)
def test_bad_date_times_are_refused_with_a_reason(text: str, reason: str) -> None:
    with pytest.raises(DanishDateError, match=reason):
        parse_danish_datetime(text, NOW)


def test_plain_dates() -> None:
    today = date(2026, 11, 26)
    assert parse_danish_date("15-03-2026", today) == date(2026, 3, 15)
    assert parse_danish_date("15/3", today) == date(2026, 3, 15)
    assert parse_danish_date("i forgårs", today) == date(2026, 11, 24)
    with pytest.raises(DanishDateError):
        parse_danish_date("30-02-2026", today)


def test_cpr_numbers_are_found_and_removed() -> None:
    text = "Borgeren (010190-1234) ringede; sag 2026-0042, tlf. 12345678, id 3113901234."
    assert find_cpr(text) == ["010190-1234"]
    assert remove_cpr(text) == "Borgeren ([CPR fjernet]) ringede; sag 2026-0042, tlf. 12345678, id 3113901234."
    assert find_cpr("cpr 2902881234") == ["2902881234"]  # 29 February is a possible birth date
    assert find_cpr("ingen tal her") == []
