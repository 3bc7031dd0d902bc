"""CLI benchmark: whole-process times against baselines measured in the same run.

    python benchmarks/cli.py [--cases 100000] [--repeat 7]

  classify / info   `trivsel classify FILE` and `trivsel info --db DB`, median wall time of whole
                    processes, and the ratio to `python -c pass` (target ≤ 10×)
  due --json        `trivsel due --json` on the demo database: wall time, peak memory of the process,
                    and the ratio to the bare SQL (the same query and rows, read by a bare Python
                    process with the sqlite3 module; target ≤ 3×); output goes to /dev/null
Runs alternate between the command and its baseline so that load on the machine hits both alike.
"""

from __future__ import annotations

import sys

# benchmarks/statistics.py has the standard library's `statistics` module's name: look in this folder last.
sys.path.append(sys.path.pop(0))

import argparse
import json
import os
import statistics
import subprocess
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))
from dashboard import build

FACTS = {
    "occurred_at": "2026-03-02T10:00:00+01:00",
    "behaviours": ["kick"],
    "perpetrator": "citizen",
    "injury": "physical",
    "intentional": True,
}

# The bare-SQL baseline: a Python process that runs the dashboard's SQL with the sqlite3 module and
# reads every row. It defines the one SQL function the query needs with the standard library only.
BARE_SQL = """
import json, sqlite3, sys
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo
UTC, LOCAL = ZoneInfo("UTC"), ZoneInfo("Europe/Copenhagen")
def bound(day, end):
    if not day:
        return None
    moment = datetime.combine(date.fromisoformat(day[:10]), time(23, 59) if end else time(0), LOCAL)
    return moment.astimezone(UTC).strftime("%Y-%m-%d %H:%M:%S.%f")
job = json.load(open(sys.argv[1]))
connection = sqlite3.connect(job["db"])
connection.create_function("local_day_bound_utc", 2, bound, deterministic=True)
count = sum(1 for _ in connection.execute(job["sql"], job["params"]))
print(count)
"""


def timed(command: list[str], stdin: str | None = None) -> tuple[float, float]:
    """Wall time (ms) and peak RSS (MB) of one whole process; its output goes to /dev/null."""
    started = time.perf_counter()
    with subprocess.Popen(
        command, stdin=subprocess.PIPE if stdin else None, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE
    ) as process:
        if stdin:
            assert process.stdin is not None
            process.stdin.write(stdin.encode())
            process.stdin.close()
        _pid, status, usage = os.wait4(process.pid, 0)
        elapsed = (time.perf_counter() - started) * 1000
        process.returncode = os.waitstatus_to_exitcode(status)
        assert process.stderr is not None
        error = process.stderr.read().decode()
    if process.returncode != 0:
        raise SystemExit(f"{command} failed: {error}")
    return elapsed, usage.ru_maxrss / 1024


def side_by_side(commands: dict[str, list[str]], repeat: int) -> dict[str, dict[str, float]]:
    times: dict[str, list[float]] = {name: [] for name in commands}
    memory: dict[str, float] = dict.fromkeys(commands, 0.0)
    for _ in range(repeat):
        for name, command in commands.items():
            elapsed, rss = timed(command)
            times[name].append(elapsed)
            memory[name] = max(memory[name], rss)
    return {
        name: {"median_ms": statistics.median(values), "min_ms": min(values), "peak_rss_mb": memory[name]}
        for name, values in times.items()
    }


def bare_sql_job(db: Path, folder: Path) -> Path:
    """The exact SQL and parameters `trivsel due` runs (all rows, dashboard order), for the baseline."""
    from trivsel_tui.domain.rules import load_rules
    from trivsel_tui.store import dashboard
    from trivsel_tui.store.dashboard import DueQuery

    params = dict(DueQuery.from_rules(load_rules()).params)
    union = dashboard.union_sql("sqlite")
    order = f"{dashboard.SORTS['due']} ASC, due ASC, source, source_id, kind, title_sort"
    sql = f"SELECT * FROM ({union}) AS due_rows ORDER BY {order}"
    job = folder / "job.json"
    job.write_text(json.dumps({"db": str(db), "sql": sql, "params": params}), encoding="utf-8")
    return job


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--cases", type=int, default=100_000)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--repeat", type=int, default=7)
    parser.add_argument("--db", type=Path, help="use this database instead of the cached demo")
    args = parser.parse_args()
    db = args.db or build(args.cases, args.seed)
    python = sys.executable
    trivsel = [python, "-m", "trivsel_tui"]
    with tempfile.TemporaryDirectory() as folder_name:
        folder = Path(folder_name)
        facts = folder / "facts.json"
        facts.write_text(json.dumps(FACTS), encoding="utf-8")
        quick = side_by_side(
            {
                "python -c pass": [python, "-c", "pass"],
                "trivsel classify": [*trivsel, "classify", str(facts)],
                "trivsel info": [*trivsel, "info", "--db", str(db)],
            },
            args.repeat,
        )
        job = bare_sql_job(db, folder)
        due = side_by_side(
            {
                "bare SQL": [python, "-c", BARE_SQL, str(job)],
                "trivsel due --json": [*trivsel, "due", "--json", "--db", str(db)],
            },
            max(3, args.repeat // 2),
        )
    floor = quick["python -c pass"]["median_ms"]
    for name, figures in {**quick, **due}.items():
        print(json.dumps({"command": name, **{k: round(v, 1) for k, v in figures.items()}}, ensure_ascii=False))
    ratios = {
        "classify_to_python": round(quick["trivsel classify"]["median_ms"] / floor, 1),
        "info_to_python": round(quick["trivsel info"]["median_ms"] / floor, 1),
        "due_json_to_bare_sql": round(due["trivsel due --json"]["median_ms"] / due["bare SQL"]["median_ms"], 2),
    }
    print(json.dumps({"cases": args.cases, "ratios": ratios}))


if __name__ == "__main__":
    main()
