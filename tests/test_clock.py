"""Local time: a repeated wall time is the later one, a skipped one moves on, months follow the calendar."""

from __future__ import annotations

from datetime import datetime

from trivsel_tui.domain.clock import danish_long, local_wall, parse_instant


def test_a_repeated_wall_time_is_the_later_one_and_a_skipped_one_moves_on() -> None:
    # 25 October 2026: 02:30 happens twice (summer time ends); 29 March 2026: 02:30 never happens.
    assert local_wall(datetime(2026, 10, 25, 2, 30)).isoformat() == "2026-10-25T02:30:00+01:00"
    assert local_wall(datetime(2026, 3, 29, 2, 30)).isoformat() == "2026-03-29T03:30:00+02:00"
    assert parse_instant("2026-03-29T02:30").isoformat() == "2026-03-29T03:30:00+02:00"


def test_a_moment_is_written_out_in_danish() -> None:
    assert danish_long(parse_instant("2026-10-24T14:00")) == "lørdag 24. oktober 2026 kl. 14:00"
