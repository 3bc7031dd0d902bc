"""Dashboard benchmark against a bare-Textual floor, side by side in one run.

    python benchmarks/dashboard.py --cases 100000 [--rounds 3] [--db-url postgresql://…]

Builds (and caches) a demo database, then runs, alternately and each in its own child process,
the app and the floor: a bare Textual app that shows one 100-row DataTable in the same
run_test(size=(150, 40)) harness. Both count from the child's own start, before Textual is imported.

  first_rows_ms  process start → the table shows rows (the app: real dashboard rows from the database)
  filter_ms      a search keystroke → the table shows the new rows (median and worst of 7 keystrokes);
                 the floor replaces its 100 rows on each keystroke, with no database
  raw_query_ms   the bare SQL for the app's first page (median of 5)
  peak_rss_mb    peak resident memory of the child

Prints one JSON line per child run, then the medians and the ratios app / floor (and postgres / floor).

With --db-url, the app also runs against that team database on PostgreSQL (filled from the same
cached demo file with `trivsel migrate-to` if it is empty), and the ratios PostgreSQL / SQLite are printed.
"""

from __future__ import annotations

import sys
from pathlib import Path

# Run as a script, this folder comes first on sys.path, and its statistics.py (the statistics benchmark)
# would hide the standard library's module of that name.
if sys.path and Path(sys.path[0]).resolve() == Path(__file__).parent.resolve():
    del sys.path[0]

import argparse
import asyncio
import json
import statistics
import subprocess
import time
from typing import Any

START = time.perf_counter()
CACHE = Path(__file__).parent / ".cache"
SIZE = (150, 40)
TYPED = ("j", "je", "jen", "jens", "jens ", "2026", "2026-0")
FILTER = ("filter_ms", "filter_max_ms")


def build(cases: int, seed: int) -> Path:
    path = CACHE / f"demo-{cases}-seed{seed}.sqlite3"
    if not path.exists():
        CACHE.mkdir(exist_ok=True)
        print(f"building {path} …", file=sys.stderr)
        command = [sys.executable, "-m", "trivsel_tui", "demo", "--db", str(path), "--cases", str(cases)]
        subprocess.run([*command, "--seed", str(seed)], check=True, stdout=subprocess.DEVNULL)
    return path


async def until(condition: Any) -> None:
    """Poll with a bare asyncio sleep: Pilot.pause walks every widget of the screen on each call, a cost
    a real terminal does not have, and that grows with the screen (it took the GIL from the app's
    query thread, but hardly touched the floor's four widgets)."""
    while not condition():
        await asyncio.sleep(0.001)


async def keystrokes(pilot: Any, search: Any, changed: Any) -> list[float]:
    """Set the search value (no Pilot per-key idle wait, which a real terminal does not have) and time
    until `changed()` says the table shows the new rows."""
    timings = []
    for typed in TYPED:
        started = time.perf_counter()
        search.value = typed
        await until(changed)
        timings.append((time.perf_counter() - started) * 1000)
        await pilot.app.workers.wait_for_complete()
        await pilot.pause()
    return timings


def fill_team_database(url: str, db: Path) -> None:
    """Copy the demo file into the team database once; an already filled one is used as it is."""
    from sqlalchemy.engine import make_url

    from trivsel_tui.store.store import Store

    store = Store.open(make_url(url), "benchmark")
    with store.connect() as connection:
        empty = connection.exec_driver_sql('SELECT count(*) FROM "case"').scalar() == 0
    store.close()
    if empty:
        print(f"copying {db} into the team database …", file=sys.stderr)
        command = [sys.executable, "-m", "trivsel_tui", "migrate-to", url, "--db", str(db)]
        subprocess.run(command, check=True, stdout=subprocess.DEVNULL)


async def measure_app(db: Path | str) -> dict[str, float]:
    from textual.widgets import DataTable, Input

    from trivsel_tui.app import TrivselApp
    from trivsel_tui.domain.rules import load_rules
    from trivsel_tui.settings import Settings
    from trivsel_tui.store.store import Store

    rules = load_rules()
    if isinstance(db, str):
        from sqlalchemy.engine import make_url

        store = Store.open(make_url(db), "benchmark")
    else:
        store = Store.open(db, "benchmark")
    app = TrivselApp(store=store, settings=Settings(actor="benchmark"), rules=rules)
    result: dict[str, float] = {}
    async with app.run_test(size=SIZE) as pilot:
        table = app.screen.query_one("#due", DataTable)
        await until(lambda: table.row_count > 0)
        result["first_rows_ms"] = (time.perf_counter() - START) * 1000
        await app.workers.wait_for_complete()
        screen: Any = app.screen
        await pilot.press("slash")
        search = screen.query_one("#search", Input)
        seen = [screen.rows]

        def changed() -> bool:
            if screen.rows is seen[-1]:
                return False
            seen.append(screen.rows)
            return True

        timings = await keystrokes(pilot, search, changed)
    result |= _filter_figures(timings)
    result["raw_query_ms"] = _raw_query_ms(store, rules)
    store.close()
    return result


def _raw_query_ms(store: Any, rules: Any) -> float:
    from trivsel_tui.store.dashboard import DueFilters, DueQuery, due_rows

    query = DueQuery.from_rules(rules)
    raw = []
    for _ in range(5):
        started = time.perf_counter()
        due_rows(store, query, DueFilters(), limit=100)
        raw.append((time.perf_counter() - started) * 1000)
    return statistics.median(raw)


async def measure_floor() -> dict[str, float]:
    """The floor: what Textual itself costs to show a 100-row table and to replace its rows."""
    from textual.app import App, ComposeResult
    from textual.widgets import DataTable, Footer, Header, Input

    class Floor(App[None]):
        def compose(self) -> ComposeResult:
            yield Header()
            yield Input(id="search")
            yield DataTable(id="due", cursor_type="row", zebra_stripes=True)
            yield Footer()

        def on_mount(self) -> None:
            table = self.query_one(DataTable)
            for key in ("due", "what", "where", "category", "responsible", "state"):
                table.add_column(key, key=key)
            self.generation = 0
            self.fill("")

        def fill(self, text: str) -> None:
            table = self.query_one(DataTable)
            with self.batch_update():
                table.clear()
                for i in range(100):
                    cells = (f"om {i} dage", f"Opgave {text} {i}", f"2026-{i:04d} · Skole", "Vold", "Lene", "åben")
                    table.add_row(*cells, key=str(i))
            self.generation += 1

        def on_input_changed(self, event: Input.Changed) -> None:
            self.fill(event.value)

    app = Floor()
    result: dict[str, float] = {}
    async with app.run_test(size=SIZE) as pilot:
        table = app.query_one(DataTable)
        await until(lambda: table.row_count > 0)
        result["first_rows_ms"] = (time.perf_counter() - START) * 1000
        search = app.query_one(Input)
        seen = [app.generation]

        def changed() -> bool:
            if app.generation == seen[-1]:
                return False
            seen.append(app.generation)
            return True

        timings = await keystrokes(pilot, search, changed)
    return result | _filter_figures(timings)


def _filter_figures(timings: list[float]) -> dict[str, float]:
    each = {f"filter_{typed.replace(' ', '_')}_ms": ms for typed, ms in zip(TYPED, timings, strict=True)}
    return {"filter_ms": statistics.median(timings), "filter_max_ms": max(timings), **each}


def child(kind: str, db: Path | None, db_url: str | None) -> None:
    import resource

    result = asyncio.run(measure_floor() if kind == "floor" else measure_app(db_url or db or Path()))
    result["peak_rss_mb"] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(json.dumps(result))


def run_child(kind: str, db: Path, db_url: str | None) -> dict[str, float]:
    command = [sys.executable, __file__, "--child", "app" if kind == "postgres" else kind, "--db", str(db)]
    if kind == "postgres" and db_url:
        command += ["--db-url", db_url]
    done = subprocess.run(command, capture_output=True, text=True, check=True)
    if not done.stdout.strip():
        raise SystemExit(f"the {kind} child printed no figures:\n{done.stderr}")
    numbers: dict[str, float] = json.loads(done.stdout.strip().splitlines()[-1])
    return numbers


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--cases", type=int, default=100_000)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--db", type=Path, help="benchmark this database file instead of the cached demo")
    parser.add_argument("--db-url", help="also benchmark this team database (PostgreSQL) with the same data")
    parser.add_argument("--child", choices=("app", "floor"), help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        child(args.child, args.db, args.db_url)
        return
    db = args.db or build(args.cases, args.seed)
    kinds = ("floor", "app", "postgres") if args.db_url else ("floor", "app")
    if args.db_url:
        fill_team_database(args.db_url, db)
    runs: dict[str, list[dict[str, float]]] = {kind: [] for kind in kinds}
    for _ in range(args.rounds):
        for kind in kinds:
            runs[kind].append(run_child(kind, db, args.db_url))
            print(json.dumps({"run": kind, **{k: round(v, 1) for k, v in runs[kind][-1].items()}}))
    medians = {kind: {k: statistics.median(r[k] for r in rs) for k in rs[0]} for kind, rs in runs.items()}
    summary = {kind: {k: round(v, 1) for k, v in m.items()} for kind, m in medians.items()}
    for kind in kinds[1:]:  # the app on SQLite, and on PostgreSQL with --db-url
        against_floor = {k: round(medians[kind][k] / medians["floor"][k], 2) for k in ("first_rows_ms", *FILTER)}
        summary[f"ratio_{kind}_to_floor"] = against_floor
    if args.db_url:
        figures = ("first_rows_ms", *FILTER, "raw_query_ms")
        summary["ratio_postgres_to_sqlite"] = {k: round(medians["postgres"][k] / medians["app"][k], 2) for k in figures}
    print(json.dumps({"cases": args.cases, "rounds": args.rounds, **summary}))


if __name__ == "__main__":
    main()
