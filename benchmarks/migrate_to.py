"""`trivsel migrate-to` on the cached demo database: time the copy, verify it, print one JSON line.

    python benchmarks/migrate_to.py --cases 10000 --db-url postgresql://…/empty_database

The team database must be empty (migrate-to refuses anything else). After the copy, this script checks
on its own what migrate-to promises: every table's row count equal, the audit log identical row for row
(ids, actors, sealed values), a sealed case history that still opens with the copied keys, and a new case
that gets a fresh number. Baseline in the same run: a plain file copy of the SQLite database.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import shutil
import subprocess
import sys
import tempfile
import time
from datetime import UTC, datetime
from pathlib import Path

from sqlalchemy import Connection, Table, func, select

sys.path.insert(0, str(Path(__file__).parent))
from dashboard import build


def _count(connection: Connection, table: Table) -> int:
    return int(connection.execute(select(func.count()).select_from(table)).scalar_one())


def _audit_digest(connection: Connection) -> str:
    from trivsel_tui.store.models import AuditEntry

    table = AuditEntry.__table__  # type: ignore[attr-defined]
    digest = hashlib.sha256()
    for row in connection.execute(select(table).order_by(table.c.id)).yield_per(5000):
        digest.update(repr(tuple(row)).encode())
    return digest.hexdigest()


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--cases", type=int, default=10_000)
    parser.add_argument("--db-url", required=True, help="an EMPTY team database on PostgreSQL")
    args = parser.parse_args()
    from sqlalchemy.engine import make_url

    from trivsel_tui.store.cases import EpisodeInput, register_episode
    from trivsel_tui.store.queries import case_detail, save_workplace
    from trivsel_tui.store.store import Store
    from trivsel_tui.store.transfer import _tables

    cached = build(args.cases, 1)
    with tempfile.TemporaryDirectory(prefix="trivsel-bench-") as folder:
        db = Path(folder) / "trivsel.sqlite3"
        shutil.copyfile(cached, db)
        Store.open(db, "bench").close()  # the cache may be at an older schema
        started = time.perf_counter()
        shutil.copyfile(db, Path(folder) / "plain-copy.sqlite3")
        plain_copy_s = time.perf_counter() - started
        command = [sys.executable, "-m", "trivsel_tui", "migrate-to", args.db_url, "--db", str(db)]
        started = time.perf_counter()
        moved = subprocess.run(command, capture_output=True, text=True, check=False)
        migrate_s = time.perf_counter() - started
        if moved.returncode != 0:
            sys.exit(f"migrate-to failed ({moved.returncode}): {moved.stderr.strip()}")
        lite, team = Store.open(db, "bench"), Store.open(make_url(args.db_url), "bench")
        with lite.connect() as a, team.connect() as b:
            counts = {table.name: (_count(a, table), _count(b, table)) for table in _tables()}
            audit_identical = _audit_digest(a) == _audit_digest(b)
        first_case = case_detail(lite, 1)
        history_opens = first_case is not None and case_detail(team, 1) == first_case
        workplace = save_workplace(team, {"name": f"Ny arbejdsplads {datetime.now(UTC).isoformat()}"})
        case_id, _episode = register_episode(team, EpisodeInput(workplace.id or 0, datetime.now(UTC), "Ny", "citizen"))
        new = case_detail(team, case_id)
        with lite.connect() as a:
            used = set(a.exec_driver_sql('SELECT ref FROM "case"').scalars())
        lite.close()
        team.close()
    print(
        json.dumps(
            {
                "cases": args.cases,
                "migrate_to_s": round(migrate_s, 1),
                "plain_file_copy_s": round(plain_copy_s, 2),
                "rows": sum(source for source, _copy in counts.values()),
                "tables_equal": sum(source == copy for source, copy in counts.values()),
                "tables": len(counts),
                "unequal": {name: pair for name, pair in counts.items() if pair[0] != pair[1]},
                "audit_rows": counts["audit_entry"][0],
                "audit_identical": audit_identical,
                "case_1_same_on_both": history_opens,
                "new_case_ref": new.case.ref if new else None,
                "new_ref_is_fresh": new is not None and new.case.ref not in used,
            }
        )
    )


if __name__ == "__main__":
    main()
