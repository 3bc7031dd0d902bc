"""Backup, check and retention at scale: time them on the cached demo database and print one JSON line.

    python benchmarks/lifecycle.py --cases 100000

Works on a copy of the cached database (benchmarks/.cache/, built by benchmarks/dashboard.py), so the
cache is never upgraded or changed. Baselines measured in the same run: a plain file copy for the
backup, and SQLite's own `PRAGMA quick_check` for the check.
"""

from __future__ import annotations

import argparse
import json
import shutil
import sqlite3
import sys
import tempfile
import time
from datetime import UTC, datetime
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))
from dashboard import build


def timed(action: object) -> float:
    start = time.perf_counter()
    action()  # type: ignore[operator]
    return round(time.perf_counter() - start, 2)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--cases", type=int, default=100_000)
    args = parser.parse_args()
    from trivsel_tui.store.backup import backup_database
    from trivsel_tui.store.check import check_database
    from trivsel_tui.store.retention import retention_rows
    from trivsel_tui.store.store import Store

    cached = build(args.cases, 1)
    with tempfile.TemporaryDirectory(prefix="trivsel-bench-") as folder:
        db = Path(folder) / "trivsel.sqlite3"
        shutil.copyfile(cached, db)
        upgrade_s = timed(lambda: Store.open(db, "bench").close())  # the cache may be at an older schema
        copy_s = timed(lambda: shutil.copyfile(db, Path(folder) / "plain-copy.sqlite3"))
        backup_s = timed(lambda: backup_database(db, Path(folder) / "backup.sqlite3"))
        quick_s = timed(lambda: sqlite3.connect(db).execute("PRAGMA quick_check").fetchall())
        findings: list[object] = []
        check_s = timed(lambda: findings.extend(check_database(db)))
        store = Store.open(db, "bench")
        rows: list[object] = []
        retention_s = timed(lambda: rows.extend(retention_rows(store, datetime.now(UTC).date())))
        store.close()
        result = {
            "cases": args.cases,
            "file_mb": round(db.stat().st_size / 1e6),
            "upgrade_s": upgrade_s,
            "backup_s": backup_s,
            "plain_copy_s": copy_s,
            "backup_vs_copy": round(backup_s / max(copy_s, 0.01), 1),
            "check_s": check_s,
            "quick_check_s": quick_s,
            "check_vs_quick_check": round(check_s / max(quick_s, 0.01), 1),
            "check_ok": all(f.ok for f in findings),  # type: ignore[attr-defined]
            "retention_list_s": retention_s,
            "retention_rows": len(rows),
        }
    print(json.dumps(result))


if __name__ == "__main__":
    main()
