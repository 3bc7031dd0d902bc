"""Statistics benchmark on the cached demo database: one JSON line, medians of a few rounds.

    python benchmarks/statistics.py --cases 100000 [--rounds 3]

Each round runs in its own child process, after the database is migrated and warm (a first run upgrades
the cache):
  first_table_ms   from the key that opens the statistics screen until its first table and chart are drawn
  first_sql_ms     the bare SQL for that first table's numbers (sqlite3, no SQLAlchemy): the floor under it
  filter_ms        from a changed selection (period, category, perpetrator, workplace) until the table and
                   chart show it, on the month, category, workplace, deadline, owner and prevention views
                   (median; filter_max_ms is the slowest; filter_<view>_ms the median and
                   filter_<view>_max_ms the slowest per view)
  shared_filter_ms the same with small numbers hidden ("til deling", as in a meeting), on the month, workplace
                   and unit views
  cli_json_ms      `trivsel stats --json` (by category, every episode) as a process, from start to exit
  cli_inprocess_ms the same command's work inside the process (open, count, print), without Python's start-up
  task_sql_ms      the store's queries behind the task views (task_performance, open_tasks_by_action) over
                   the same selections, in the process, without the screen (median; task_sql_max_ms the slowest)
  raw_sql_ms       the bare SQL aggregate for the same numbers (sqlite3, no SQLAlchemy, no Python per row)
  cli_ratio        cli_inprocess_ms / raw_sql_ms (the target is at most 2)
Targets: first_table_ms ≤ 1000, filter_ms (and its max) ≤ 300, cli_ratio ≤ 2.
"""

from __future__ import annotations

import sys

# This file has the standard library's `statistics` module's name, which it and dashboard.py import:
# Python puts the script's folder first, so look there last (it still finds dashboard.py).
sys.path.append(sys.path.pop(0))

import argparse
import asyncio
import contextlib
import io
import json
import statistics
import subprocess
import time
from datetime import date
from pathlib import Path
from typing import Any

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


OWN_VIEWS = {"month": 0, "category": 1, "workplace": 6, "deadlines": 8, "owners": 9, "prevention": 10}
SHARED_VIEWS = {"month": 0, "workplace": 6, "unit": 7}


def selections(today: date) -> list[Any]:
    from trivsel_tui.store.statistics import StatFilters

    return [
        StatFilters(start=date(today.year, 1, 1), end=today),
        StatFilters(start=date(today.year - 1, 1, 1), end=today, categories=("violence_threats",)),
        StatFilters(start=date(today.year - 1, 1, 1), end=today, perpetrators=("colleague", "manager")),
        StatFilters(start=date(today.year - 2, 1, 1), end=today, workplace_ids=(1, 2, 3)),
        StatFilters(start=date(today.year - 2, 1, 1), end=today),
    ]


class Frames:
    """When the screen last showed a view and when the chart was drawn after it: a view counts as on the
    screen when its chart has been rendered (the table is drawn in the same frame)."""

    def __init__(self) -> None:
        from textual_plotext import PlotextPlot

        from trivsel_tui.screens.statistics import StatisticsScreen

        self.shown = 0.0
        self.drawn = 0.0
        show, render = StatisticsScreen._show, PlotextPlot.render

        def timed_show(screen: Any, view: Any) -> None:
            show(screen, view)
            self.shown = time.perf_counter()

        def timed_render(plot: Any) -> Any:
            result = render(plot)
            self.drawn = time.perf_counter()
            return result

        StatisticsScreen._show = timed_show  # type: ignore[method-assign]
        PlotextPlot.render = timed_render  # type: ignore[method-assign]

    async def until_drawn(self, since: float) -> float:
        """Milliseconds from `since` until a view shown after it has its chart drawn."""
        while not (self.shown > since and self.drawn > self.shown):
            await asyncio.sleep(0.001)
        return (self.drawn - since) * 1000


async def filter_timings(frames: Frames, screen: Any, views: dict[str, int], prefix: str) -> dict[str, float]:
    """Milliseconds from a changed selection until the table and chart show it: the median per view, and
    over all views the median and the slowest."""
    result: dict[str, float] = {}
    every = []
    for name, view in views.items():
        screen.view_index = view
        timings = []
        for selection in selections(date.today()):
            started = time.perf_counter()
            screen._filtered(selection)
            timings.append(await frames.until_drawn(started))
            await screen.app.workers.wait_for_complete()
        result[f"{prefix}_{name}_ms"] = statistics.median(timings)
        result[f"{prefix}_{name}_max_ms"] = max(timings)
        every += timings
    return {f"{prefix}_ms": statistics.median(every), f"{prefix}_max_ms": max(every), **result}


async def measure_screen(db: Path) -> dict[str, float]:
    from textual.widgets import DataTable

    from trivsel_tui.app import TrivselApp
    from trivsel_tui.domain.rules import load_rules
    from trivsel_tui.settings import Settings
    from trivsel_tui.store.store import Store

    frames = Frames()
    store = Store.open(db, "benchmark")
    app = TrivselApp(store=store, settings=Settings(actor="benchmark"), rules=load_rules())
    result: dict[str, float] = {}
    async with app.run_test(size=(160, 45)) as pilot:
        await app.workers.wait_for_complete()
        await pilot.pause(0.5)  # the dashboard settled
        started = time.perf_counter()
        app.simulate_key("v")  # as a terminal sends it (Pilot's press first waits for the app to be idle)
        result["first_table_ms"] = await frames.until_drawn(started)
        screen = app.screen
        assert screen.query_one(DataTable).row_count > 0
        await app.workers.wait_for_complete()
        result |= await filter_timings(frames, screen, OWN_VIEWS, "filter")
        screen.shareable = True
        result |= await filter_timings(frames, screen, SHARED_VIEWS, "shared_filter")
    store.close()
    return result


def first_sql(db: Path) -> float:
    """The bare SQL for the first table (episodes by month over the screen's default twelve months)."""
    import sqlite3

    from trivsel_tui.domain.clock import local_day_bound
    from trivsel_tui.screens.statistics import default_filters

    filters = default_filters(date.today())
    assert filters.start and filters.end
    bounds = [local_day_bound(day, end=False).in_tz("UTC") for day in (filters.start, filters.end)]
    start, end = (b.strftime("%Y-%m-%d %H:%M:%S.%f") for b in (bounds[0], bounds[1].add(days=1)))
    sql = """SELECT e.occurred_month, count(*), COALESCE(sum(e.absence_days), 0) FROM episode e
        WHERE e.occurred_at >= ? AND e.occurred_at < ? GROUP BY e.occurred_month"""

    def raw() -> None:
        with sqlite3.connect(db) as connection:
            connection.execute(sql, (start, end)).fetchall()

    return median_ms(raw)


def task_sql(db: Path) -> dict[str, float]:
    """The store's queries for the deadline and owner views, without the screen: the floor under them."""
    from datetime import UTC, datetime

    from trivsel_tui.store.statistics import open_tasks_by_action, task_performance
    from trivsel_tui.store.store import Store

    store = Store.open(db, "benchmark")
    now = datetime.now(UTC)
    timings = []
    for selection in selections(date.today()):
        timings.append(median_ms(lambda s=selection: task_performance(store, s, now, "notat"), 3))
        timings.append(median_ms(lambda s=selection: open_tasks_by_action(store, s, now), 3))
    store.close()
    return {"task_sql_ms": statistics.median(timings), "task_sql_max_ms": max(timings)}


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
    parser.add_argument("--rounds", type=int, default=3, help="child runs; the line holds their medians")
    parser.add_argument("--child", type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        numbers = asyncio.run(measure_screen(args.child))
        numbers["first_sql_ms"] = first_sql(args.child)
        numbers.update(task_sql(args.child))
        numbers.update(measure_cli(args.child))
        print(json.dumps(numbers))
        return
    db = build(args.cases, args.seed)
    from trivsel_tui.store.store import Store

    Store.open(db, "benchmark").close()  # upgrade the cached file once, outside the measurements
    rounds = []
    for _ in range(args.rounds):
        child = subprocess.run([sys.executable, __file__, "--child", str(db)], capture_output=True, text=True)
        if child.returncode:
            sys.exit(child.stderr)
        rounds.append(json.loads(child.stdout.strip().splitlines()[-1]))
        print(json.dumps({k: round(v, 1) for k, v in rounds[-1].items()}), file=sys.stderr)
    numbers = {key: statistics.median(r[key] for r in rounds) for key in rounds[0]}
    numbers["cli_ratio"] = numbers["cli_inprocess_ms"] / numbers["raw_sql_ms"]
    line = {k: round(v, 2 if k == "cli_ratio" else 1) for k, v in numbers.items()}
    print(json.dumps({"cases": args.cases, "rounds": args.rounds, **line}))


if __name__ == "__main__":
    main()
