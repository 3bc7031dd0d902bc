"""Upgrading an existing database to the sealed audit log (migration 0011): time it and print one JSON line.

    python benchmarks/upgrade.py --cases 100000 [--before COMMIT]

The upgrade needs a file at the revision before it (0010). That is built once, by the demo generator of
the last commit whose newest migration was 0010, and cached in benchmarks/.cache/ (about 2 minutes and
900 MB at 100,000 cases). Each run upgrades a fresh copy of it, so the cache is never changed.

Baselines measured in the same run, on the same copy:
  plain_copy_s   copying the file (what the pre-upgrade backup cannot beat)
  raw_select_s   reading every audit row's changes with plain sqlite3 (what the sealing cannot beat)
The upgrade itself is split into the pre-upgrade backup and the rest (migrations, mostly the sealing).
With --before COMMIT the same upgrade is also timed with that commit's code (e.g. the one before the bulk
sealing), in a child process on its own fresh copy, right after this code's run: before/after in one run.
"""

from __future__ import annotations

import argparse
import json
import shutil
import sqlite3
import subprocess
import sys
import tarfile
import tempfile
import time
from pathlib import Path

CACHE = Path(__file__).parent / ".cache"
ROOT = Path(__file__).parent.parent
# The last commit whose newest migration is 0010 (the task-category backfill).
BEFORE_SEALING = "49eae50942676af5932074257405ddec6bf3798a"


def build_at_0010(cases: int, seed: int) -> Path:
    path = CACHE / f"demo-{cases}-seed{seed}-rev0010.sqlite3"
    if path.exists():
        return path
    CACHE.mkdir(exist_ok=True)
    print(f"building {path} with the code of {BEFORE_SEALING[:7]} …", file=sys.stderr)
    with tempfile.TemporaryDirectory(prefix="trivsel-0010-") as folder:
        source = source_at(BEFORE_SEALING, Path(folder))
        partial = path.with_suffix(".partial")
        command = [sys.executable, "-m", "trivsel_tui", "demo", "--db", str(partial), "--cases", str(cases)]
        env = {"PYTHONPATH": str(source), "PATH": "/usr/bin:/bin"}
        # cwd: the source tree must not see this checkout's trivsel_tui first on sys.path.
        subprocess.run([*command, "--seed", str(seed)], check=True, stdout=subprocess.DEVNULL, env=env, cwd=folder)
        partial.rename(path)
    return path


def source_at(commit: str, folder: Path) -> Path:
    archive = subprocess.run(["git", "-C", str(ROOT), "archive", commit], check=True, capture_output=True)
    (Path(folder) / "source.tar").write_bytes(archive.stdout)
    with tarfile.open(Path(folder) / "source.tar") as tar:
        tar.extractall(Path(folder) / "source", filter="data")
    return Path(folder) / "source"


OLD_UPGRADE = """
import sys, time
import trivsel_tui
assert not trivsel_tui.__file__.startswith(sys.argv[2]), trivsel_tui.__file__
from pathlib import Path
from trivsel_tui.store.store import Store
started = time.perf_counter()
Store.open(Path(sys.argv[1]), "bench").close()
print(round(time.perf_counter() - started, 2))
"""


def upgrade_with(commit: str, cached: Path, folder: Path) -> float:
    source = source_at(commit, folder)
    db = folder / "before.sqlite3"
    shutil.copyfile(cached, db)
    env = {"PYTHONPATH": str(source), "PATH": "/usr/bin:/bin", "XDG_STATE_HOME": str(folder / "state")}
    command = [sys.executable, "-c", OLD_UPGRADE, str(db), str(ROOT)]
    done = subprocess.run(command, check=True, capture_output=True, env=env, cwd=folder)
    return float(done.stdout.decode().split()[-1])


def timed(action: object) -> float:
    start = time.perf_counter()
    action()  # type: ignore[operator]
    return round(time.perf_counter() - start, 2)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--cases", type=int, default=100_000)
    parser.add_argument("--before", help="also time the upgrade with this commit's code")
    args = parser.parse_args()
    from trivsel_tui.store.store import Store

    cached = build_at_0010(args.cases, 1)
    with tempfile.TemporaryDirectory(prefix="trivsel-bench-") as folder:
        db = Path(folder) / "trivsel.sqlite3"
        copy_s = timed(lambda: shutil.copyfile(cached, db))
        with sqlite3.connect(db) as connection:
            audit_rows = connection.execute("SELECT count(*) FROM audit_entry").fetchone()[0]
            select_s = timed(lambda: connection.execute("SELECT id, entity, changes FROM audit_entry").fetchall())
        backup_ended: list[float] = []

        def progress(stage: str, done: int, total: int) -> None:
            if stage == "backup" and done == total:
                backup_ended.append(time.perf_counter())

        started = time.perf_counter()
        upgrade_s = timed(lambda: Store.open(db, "bench", progress=progress).close())
        backup_s = round(backup_ended[0] - started, 2)
        result = {
            "cases": args.cases,
            "audit_rows": audit_rows,
            "file_mb": round(cached.stat().st_size / 1e6),
            "upgrade_s": upgrade_s,
            "of_which_backup_s": backup_s,
            "of_which_migrations_s": round(upgrade_s - backup_s, 2),
            "plain_copy_s": copy_s,
            "raw_select_s": select_s,
            "upgrade_vs_copy": round(upgrade_s / max(copy_s, 0.01), 1),
            "backup_vs_copy": round(backup_s / max(copy_s, 0.01), 1),
            "migrations_vs_raw_select": round((upgrade_s - backup_s) / max(select_s, 0.01), 1),
        }
        db.unlink()
        if args.before:
            before_s = upgrade_with(args.before, cached, Path(folder))
            result.update(before_commit=args.before[:7], before_upgrade_s=before_s)
            result["before_vs_after"] = round(before_s / max(upgrade_s, 0.01), 1)
    print(json.dumps(result))


if __name__ == "__main__":
    main()
