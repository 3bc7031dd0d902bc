"""Meeting agenda benchmark: how long a body's agenda takes to build over a large database.

    python benchmarks/meeting.py --cases 100000 [--rounds 5]

Uses (and caches) the same demo database as benchmarks/dashboard.py. Measures, in one process and
one run, the median of `rounds` builds of:

  agenda_one_ms   preview_agenda for an arbejdsmiljøgruppe of the workplace with the most open cases
  agenda_med_ms   preview_agenda for a Lokal MED-udvalg over five workplaces
  slide_ms        what the presentation view reads per step: every heading and one item in full
  minutes_ms      every item in full, pseudonymised (closing the meeting, exporting its minutes)
  floor_ms        the bare SQL floor: the open cases of the five workplaces with their open-task counts

Prints one JSON line with the numbers and the ratio agenda_med / floor. Target: well under a second.
"""

from __future__ import annotations

import sys

# benchmarks/statistics.py has the standard library's `statistics` module's name: look in this folder last.
sys.path.append(sys.path.pop(0))

import argparse
import json
import shutil
import statistics
import tempfile
import time
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path

from dashboard import build


def median_ms(call: Callable[[], object], rounds: int) -> float:
    timings = []
    for _ in range(rounds):
        start = time.perf_counter()
        call()
        timings.append((time.perf_counter() - start) * 1000)
    return round(statistics.median(timings), 1)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--cases", type=int, default=100_000)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--rounds", type=int, default=5)
    args = parser.parse_args()

    from sqlalchemy import text

    from trivsel_tui.domain.meetings import Attendee, Body
    from trivsel_tui.domain.rules import load_rules
    from trivsel_tui.store.meeting_view import meeting_detail
    from trivsel_tui.store.meetings import create_meeting, preview_agenda
    from trivsel_tui.store.store import Store

    cached = build(args.cases, args.seed)
    Store.open(cached, "benchmark").close()  # brought to the current schema once, in the cache
    with tempfile.TemporaryDirectory() as folder:
        # A copy: creating the benchmark's meeting must not change the cached database.
        db = Path(folder) / "bench.sqlite3"
        shutil.copyfile(cached, db)
        store = Store.open(db, "benchmark")
        rules = load_rules()
        now = datetime.now(UTC)
        with store.connect() as connection:
            busiest = (
                connection.execute(
                    text(
                        "SELECT workplace_id FROM \"case\" WHERE status = 'open' GROUP BY workplace_id"
                        " ORDER BY count(*) DESC LIMIT 5"
                    )
                )
                .scalars()
                .all()
            )
        one = Body("arbejdsmiljoegruppe", "benchmark", (busiest[0],))
        med = Body("lokal_med", "benchmark", tuple(busiest))
        attendees = [Attendee("Benchmark Deltager", "amr")]

        def floor() -> object:
            ids = ", ".join(str(int(i)) for i in busiest)
            sql = (
                'SELECT c.id, count(t.id) FROM "case" c LEFT JOIN task t ON t.case_id = c.id AND t.done_at IS NULL'
                f" WHERE c.workplace_id IN ({ids}) AND c.status = 'open' GROUP BY c.id"
            )
            with store.connect() as connection:
                return connection.execute(text(sql)).all()

        agenda = preview_agenda(store, rules, one, attendees, now)
        meeting_id = create_meeting(store, rules, one, now.date(), attendees, now)
        outline = meeting_detail(store, rules, meeting_id, now, only=0)
        assert outline is not None
        first = outline.slides[min(2, len(outline.slides) - 1)].item_id
        result = {
            "cases": args.cases,
            "rounds": args.rounds,
            "items_one": len(agenda.entries),
            "items_med": len(preview_agenda(store, rules, med, attendees, now).entries),
            "floor_ms": median_ms(floor, args.rounds),
            "agenda_one_ms": median_ms(lambda: preview_agenda(store, rules, one, attendees, now), args.rounds),
            "agenda_med_ms": median_ms(lambda: preview_agenda(store, rules, med, attendees, now), args.rounds),
            "slide_ms": median_ms(lambda: meeting_detail(store, rules, meeting_id, now, only=first), args.rounds),
            "minutes_ms": median_ms(lambda: meeting_detail(store, rules, meeting_id, now), 1),
        }
        store.close()
    result["ratio_med_to_floor"] = round(result["agenda_med_ms"] / max(result["floor_ms"], 0.1), 2)
    print(json.dumps(result))


if __name__ == "__main__":
    main()
