"""Statistics benchmark: on the cached demo database, print one JSON line.

    python benchmarks/statistics_screen.py --cases 100000

Measured in a child process, after the database is migrated and warm (a first run upgrades the cache):
  first_table_ms   from the key that opens the statistics screen until its first table and chart are drawn
                   (Pilot's press waits for the app to be idle first, so this is an upper bound)
  filter_ms        from a changed selection (period, category, perpetrator, workplace) until the table and
                   chart show it (median; filter_max_ms is the slowest)
  cli_json_ms      `trivsel stats --json` (by category, every episode) as a process, from start to exit
  cli_inprocess_ms the same command's work inside the process (open, count, print), without Python's start-up
  raw_sql_ms       the bare SQL aggregate for the same numbers (sqlite3, no SQLAlchemy, no Python per row)
  cli_ratio        cli_inprocess_ms / raw_sql_ms (the target is at most 2)
"""

from __future__ import annotations

import argparse
import contextlib
import io
import json
import statistics
import subprocess
import sys
import time
from datetime import date
from pathlib import Path

from dashboard import build  # the same cached database as the dashboard benchmark

RAW_SQL = """SELECT count(*),
  sum(CASE WHEN e.categories LIKE '%,violence_threats,%' THEN 1 ELSE 0 END),
  sum(CASE WHEN e.categories LIKE '%,violence_threats,%' THEN COALESCE(e.absence_days, 0) ELSE 0 END),
  sum(CASE WHEN e.categories LIKE '%,bullying_degrading,%' THEN 1 ELSE 0 END),
  sum(CASE WHEN e.categories LIKE '%,bullying_degrading,%' THEN COALESCE(e.absence_days, 0) ELSE 0 END),
  sum(CASE WHEN e.categories LIKE '%,sexual_harassment,%' THEN 1 ELSE 0 END),
  sum(CASE WHEN e.categories LIKE '%,sexual_harassment,%' THEN COALESCE(e.absence_days, 0) ELSE 0 END),
  sum(CASE WHEN e.categories = '' THEN 1 ELSE 0 END), COALESCE(sum(e.absence_days), 0)
FROM episode e"""


def median_ms(call, repeat: int = 5) -> float:  # type: ignore[no-untyped-def]
    timings = []
    for _ in range(repeat):
        started = time.perf_counter()
        call()
        timings.append((time.perf_counter() - started) * 1000)
    return statistics.median(timings)


async def measure_screen(db: Path) -> dict[str, float]:
    from textual.widgets import DataTable

    from trivsel_tui.app import TrivselApp
    from trivsel_tui.domain.rules import load_rules
    from trivsel_tui.screens.statistics import StatisticsScreen
    from trivsel_tui.settings import Settings
    from trivsel_tui.store.statistics import StatFilters
    from trivsel_tui.store.store import Store

    store = Store.open(db, "benchmark")
    app = TrivselApp(store=store, settings=Settings(actor="benchmark"), rules=load_rules())
    result: dict[str, float] = {}
    async with app.run_test(size=(160, 45)) as pilot:
        await app.workers.wait_for_complete()
        started = time.perf_counter()
        await pilot.press("v")  # includes Pilot's own wait for idle: an upper bound
        while not isinstance(app.screen, StatisticsScreen) or app.screen.shown is None:
            await pilot.pause(0.002)
        await pilot.pause(0)  # the frame with the table and the chart
        result["first_table_ms"] = (time.perf_counter() - started) * 1000
        screen = app.screen
        assert screen.query_one(DataTable).row_count > 0
        await app.workers.wait_for_complete()
        today = date.today()
        selections = [
            StatFilters(start=date(today.year, 1, 1), end=today),
            StatFilters(start=date(today.year - 1, 1, 1), end=today, categories=("violence_threats",)),
            StatFilters(start=date(today.year - 1, 1, 1), end=today, perpetrators=("colleague", "manager")),
            StatFilters(start=date(today.year - 2, 1, 1), end=today, workplace_ids=(1, 2, 3)),
            StatFilters(start=date(today.year - 2, 1, 1), end=today),
        ]
        timings = []
        for view in (0, 1, 6):  # by month, by category, by workplace
            screen.view_index = view
            for selection in selections:
                before = screen.shown
                started = time.perf_counter()
                screen._filtered(selection)
                while screen.shown is before:
                    await pilot.pause(0.001)
                await pilot.pause(0)
                timings.append((time.perf_counter() - started) * 1000)
                await app.workers.wait_for_complete()
        result["filter_ms"] = statistics.median(timings)
        result["filter_max_ms"] = max(timings)
    store.close()
    return result


def measure_cli(db: Path) -> dict[str, float]:
    import sqlite3

    from trivsel_tui.domain.rules import load_rules
    from trivsel_tui.statistics_cli import StatsOptions, run_stats
    from trivsel_tui.store.store import Store

    rules = load_rules()

    def in_process() -> None:
        store = Store.open(db, "benchmark")
        with contextlib.redirect_stdout(io.TextIOWrapper(io.BytesIO())):
            run_stats(store, rules, StatsOptions(None, None, "category", (), (), ()), "json", False, None)
        store.engine.dispose()

    def raw() -> None:
        with sqlite3.connect(db) as connection:
            connection.execute(RAW_SQL).fetchall()

    def process() -> None:
        command = [sys.executable, "-m", "trivsel_tui", "stats", "--db", str(db), "--json"]
        subprocess.run(command, check=True, capture_output=True)

    raw()  # warm the page cache for all three
    return {
        "raw_sql_ms": median_ms(raw),
        "cli_inprocess_ms": median_ms(in_process),
        "cli_json_ms": median_ms(process, 3),
    }


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--cases", type=int, default=100_000)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--child", type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        import asyncio

        numbers = asyncio.run(measure_screen(args.child))
        numbers.update(measure_cli(args.child))
        print(json.dumps(numbers))
        return
    db = build(args.cases, args.seed)
    from trivsel_tui.store.store import Store

    Store.open(db, "benchmark").close()  # upgrade the cached file once, outside the measurements
    child = subprocess.run([sys.executable, __file__, "--child", str(db)], capture_output=True, text=True, check=True)
    numbers = json.loads(child.stdout.strip().splitlines()[-1])
    numbers["cli_ratio"] = numbers["cli_inprocess_ms"] / numbers["raw_sql_ms"]
    print(json.dumps({"cases": args.cases, **{k: round(v, 2 if k == "cli_ratio" else 1) for k, v in numbers.items()}}))


if __name__ == "__main__":
    main()
