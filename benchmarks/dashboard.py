"""Dashboard benchmark: build (and cache) a demo database, run the app headless, print one JSON line.

    python benchmarks/dashboard.py --cases 100000

Measured in a child process so that peak RSS is the app's alone:
  first_rows_ms  from process start (before Textual is imported) until the dashboard shows rows
  filter_ms      from a search keystroke until the table shows the filtered rows (median; max also printed)
  raw_query_ms   the bare SQL for the same first page (median of 5)
  peak_rss_mb    peak resident memory of the app process
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import time
from pathlib import Path

START = time.perf_counter()
CACHE = Path(__file__).parent / ".cache"


def build(cases: int, seed: int) -> Path:
    path = CACHE / f"demo-{cases}-seed{seed}.sqlite3"
    if not path.exists():
        CACHE.mkdir(exist_ok=True)
        print(f"building {path} …", file=sys.stderr)
        subprocess.run(
            [
                sys.executable,
                "-m",
                "trivsel_tui",
                "demo",
                "--db",
                str(path),
                "--cases",
                str(cases),
                "--seed",
                str(seed),
            ],
            check=True,
            stdout=subprocess.DEVNULL,
        )
    return path


async def measure(db: Path) -> dict[str, float]:
    import resource
    import statistics

    from textual.widgets import DataTable, Input

    from trivsel_tui.app import TrivselApp
    from trivsel_tui.domain.rules import load_rules
    from trivsel_tui.due_query import make_due_query
    from trivsel_tui.settings import Settings
    from trivsel_tui.store.dashboard import DueFilters, due_rows
    from trivsel_tui.store.store import Store

    rules = load_rules()
    store = Store.open(db, "benchmark")
    app = TrivselApp(store=store, settings=Settings(actor="benchmark"), rules=rules)
    result: dict[str, float] = {}
    async with app.run_test(size=(150, 40)) as pilot:
        table = app.screen.query_one("#due", DataTable)
        while table.row_count == 0:
            await pilot.pause(0.002)
        result["first_rows_ms"] = (time.perf_counter() - START) * 1000
        await app.workers.wait_for_complete()
        screen = app.screen
        await pilot.press("slash")
        search = screen.query_one("#search", Input)
        timings = []
        # Keystroke -> table shows the filtered rows. The value is set directly: Pilot's own per-key
        # overhead (waiting for idle, ~60 ms here) is not something a user at a real terminal waits for.
        for typed in ("j", "je", "jen", "jens", "jens ", "2026", "2026-0"):
            before = screen.rows  # type: ignore[attr-defined]
            started = time.perf_counter()
            search.value = typed
            while screen.rows is before:  # type: ignore[attr-defined]
                await pilot.pause(0.001)
            timings.append((time.perf_counter() - started) * 1000)
            await app.workers.wait_for_complete()
        result["filter_ms"] = statistics.median(timings)
        result["filter_max_ms"] = max(timings)
    query = make_due_query(rules)
    raw = []
    for _ in range(5):
        started = time.perf_counter()
        due_rows(store, query, DueFilters(), limit=100)
        raw.append((time.perf_counter() - started) * 1000)
    result["raw_query_ms"] = statistics.median(raw)
    result["peak_rss_mb"] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    store.close()
    return result


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--cases", type=int, default=100_000)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--child", type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        import asyncio

        print(json.dumps(asyncio.run(measure(args.child))))
        return
    db = build(args.cases, args.seed)
    child = subprocess.run([sys.executable, __file__, "--child", str(db)], capture_output=True, text=True, check=True)
    numbers = json.loads(child.stdout.strip().splitlines()[-1])
    print(json.dumps({"cases": args.cases, **{k: round(v, 1) for k, v in numbers.items()}}))


if __name__ == "__main__":
    main()
