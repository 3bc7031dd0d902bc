"""Backup, restore and check, as a user runs them: the `trivsel` command and the app's reminder."""

from __future__ import annotations

import os
import signal
import sqlite3
import stat
import subprocess
import sys
from datetime import timedelta
from pathlib import Path

import pytest
from sqlmodel import func, select

from tests.conftest import NOW, settle
from tests.test_cli import trivsel
from trivsel_tui.app import TrivselApp
from trivsel_tui.domain.rules import Rules
from trivsel_tui.settings import Settings
from trivsel_tui.store.backup import inspect_backup
from trivsel_tui.store.demo import generate_demo
from trivsel_tui.store.models import Case
from trivsel_tui.store.store import Store


def demo_db(path: Path, cases: int = 5) -> Path:
    result = trivsel("demo", "--db", str(path), "--cases", str(cases))
    assert result.returncode == 0, result.stderr
    return path


def case_count(path: Path) -> int:
    with sqlite3.connect(path) as connection:
        return int(connection.execute('SELECT count(*) FROM "case"').fetchone()[0])


def test_backup_is_a_verified_private_copy_named_with_date_and_time(tmp_path: Path) -> None:
    db = demo_db(tmp_path / "trivsel.sqlite3")
    result = trivsel("backup", "--db", str(db))
    assert result.returncode == 0, result.stderr
    copies = list((tmp_path / "sikkerhedskopier").iterdir())
    assert len(copies) == 1
    copy = copies[0]
    assert copy.name.startswith("trivsel-20") and copy.suffix == ".sqlite3"
    assert str(copy) in result.stdout and "5 sager" in result.stdout
    assert stat.S_IMODE(copy.stat().st_mode) == 0o600
    assert stat.S_IMODE(copy.parent.stat().st_mode) == 0o700
    assert inspect_backup(copy).counts["case"] == 5
    with sqlite3.connect(db) as connection:
        assert connection.execute("SELECT value FROM app_state WHERE key = 'last_backup_at'").fetchone()


def test_backup_never_overwrites_and_refuses_a_file_that_is_not_ours(tmp_path: Path) -> None:
    db = demo_db(tmp_path / "trivsel.sqlite3")
    target = tmp_path / "copy.sqlite3"
    assert trivsel("backup", "--db", str(db), "--to", str(target)).returncode == 0
    again = trivsel("backup", "--db", str(db), "--to", str(target))
    assert again.returncode == 2 and "findes allerede" in again.stderr
    foreign = tmp_path / "notes.sqlite3"
    sqlite3.connect(foreign).execute("CREATE TABLE notes (text)").connection.close()
    refused = trivsel("backup", "--db", str(foreign), "--to", str(tmp_path / "x.sqlite3"))
    assert refused.returncode == 1
    assert "ikke en trivsel-database" in refused.stderr and "Traceback" not in refused.stderr
    assert not (tmp_path / "x.sqlite3").exists()


def test_backup_while_a_writer_holds_the_lock_copies_only_committed_data(tmp_path: Path) -> None:
    db = demo_db(tmp_path / "trivsel.sqlite3")
    writer = sqlite3.connect(db, isolation_level=None)
    writer.execute("BEGIN IMMEDIATE")
    writer.execute("UPDATE \"case\" SET affected_person = 'Ikke committet' WHERE id = 1")
    try:
        result = trivsel("backup", "--db", str(db), "--to", str(tmp_path / "copy.sqlite3"))
    finally:
        writer.execute("ROLLBACK")
        writer.close()
    assert result.returncode == 0, result.stderr
    with sqlite3.connect(tmp_path / "copy.sqlite3") as copy:
        names = [row[0] for row in copy.execute('SELECT affected_person FROM "case"')]
    assert "Ikke committet" not in names and len(names) == 5


KILLED_CHILD = """
import sys, time
from pathlib import Path
from trivsel_tui.store import backup

def slow_verify(*args):
    print("copying", flush=True)
    time.sleep(60)

backup._verify = slow_verify
backup.backup_database(Path(sys.argv[1]), Path(sys.argv[2]))
"""


def test_a_kill_during_backup_leaves_no_file_under_the_backups_name(tmp_path: Path) -> None:
    db = demo_db(tmp_path / "trivsel.sqlite3")
    target = tmp_path / "copy.sqlite3"
    child = subprocess.Popen(
        [sys.executable, "-c", KILLED_CHILD, str(db), str(target)], stdout=subprocess.PIPE, text=True
    )
    assert child.stdout is not None
    assert child.stdout.readline().strip() == "copying"  # the copy is written, not yet verified
    os.kill(child.pid, signal.SIGKILL)
    child.wait(timeout=30)
    assert not target.exists(), "a killed backup must not leave a file under the backup's name"
    assert [path.name for path in tmp_path.iterdir() if path.name.startswith("copy")] == []


def test_restore_into_a_running_setup_keeps_the_current_file(tmp_path: Path) -> None:
    db = demo_db(tmp_path / "trivsel.sqlite3", cases=5)
    copy = tmp_path / "copy.sqlite3"
    assert trivsel("backup", "--db", str(db), "--to", str(copy)).returncode == 0
    assert trivsel("demo", "--db", str(db), "--cases", "3", "--seed", "2").returncode == 0
    running = Store.open(db, "tester")  # the app is open on the file while the user restores
    try:
        with running.read() as session:
            assert session.exec(select(func.count()).select_from(Case)).one() == 8
        result = trivsel("restore", str(copy), "--db", str(db))
        assert result.returncode == 0, result.stderr
        assert "Gendannet" in result.stdout and "5 sager" in result.stdout
        with running.read() as session:
            assert session.exec(select(func.count()).select_from(Case)).one() == 5
    finally:
        running.close()
    kept = next(path for path in tmp_path.glob("trivsel.sqlite3.før-gendannelse-*") if path.name[-4:] != "-shm")
    assert str(kept) in result.stdout
    assert case_count(kept) == 8
    assert stat.S_IMODE(kept.stat().st_mode) == 0o600


def test_restore_over_a_damaged_database_moves_it_aside(tmp_path: Path) -> None:
    db = demo_db(tmp_path / "trivsel.sqlite3")
    copy = tmp_path / "copy.sqlite3"
    assert trivsel("backup", "--db", str(db), "--to", str(copy)).returncode == 0
    with open(db, "r+b") as handle:
        handle.seek(4096 * 3)
        handle.write(b"\xff" * 3000)
    damaged = db.read_bytes()
    result = trivsel("restore", str(copy), "--db", str(db))
    assert result.returncode == 0, result.stderr
    kept = next(path for path in tmp_path.glob("trivsel.sqlite3.skadet-*") if path.name[-4:] not in ("-wal", "-shm"))
    assert kept.read_bytes() == damaged, "the damaged file is kept exactly as it was"
    assert case_count(db) == 5
    assert trivsel("check", "--db", str(db)).returncode == 0


@pytest.mark.parametrize("kind", ["text", "foreign", "damaged"])
def test_restore_refuses_a_file_that_is_not_a_sound_trivsel_database(tmp_path: Path, kind: str) -> None:
    db = demo_db(tmp_path / "trivsel.sqlite3")
    bad = tmp_path / "bad.sqlite3"
    if kind == "text":
        bad.write_text("hej", encoding="utf-8")
    elif kind == "foreign":
        sqlite3.connect(bad).execute("CREATE TABLE notes (text)").connection.close()
    else:
        assert trivsel("backup", "--db", str(db), "--to", str(bad)).returncode == 0
        with open(bad, "r+b") as handle:
            handle.seek(4096 * 3)
            handle.write(b"\xff" * 3000)
    before = db.read_bytes()
    result = trivsel("restore", str(bad), "--db", str(db))
    assert result.returncode == 1
    assert result.stderr.startswith("trivsel: ") and result.stderr.count("\n") == 1
    assert "Traceback" not in result.stderr
    assert db.read_bytes() == before
    assert not list(tmp_path.glob("*før-gendannelse*"))


def test_check_passes_on_a_healthy_database(tmp_path: Path) -> None:
    db = demo_db(tmp_path / "trivsel.sqlite3")
    result = trivsel("check", "--db", str(db))
    assert result.returncode == 0, result.stdout + result.stderr
    assert result.stdout.count("✓") == 6 and "Alt i orden" in result.stdout


@pytest.mark.parametrize(
    ("damage", "said"),
    [
        ("DROP TRIGGER audit_entry_no_delete", "Auditloggens beskyttelse mangler: audit_entry_no_delete"),
        (
            'INSERT INTO "case" (ref, workplace_id, affected_person, affected_job, consultant, status,'
            " close_reason, created_at, updated_at) VALUES ('X-1', 1, 'Uden historik', '', '', 'open', '',"
            " '2026-01-01', '2026-01-01')",
            "1 række mangler sin oprettelse i auditloggen (case: 1)",
        ),
        ("PRAGMA foreign_keys=OFF; UPDATE episode SET case_id = 999 WHERE id = 1", "henviser til noget"),
    ],
)
def test_check_reports_each_broken_guarantee_in_danish(tmp_path: Path, damage: str, said: str) -> None:
    db = demo_db(tmp_path / "trivsel.sqlite3")
    with sqlite3.connect(db) as connection:
        connection.executescript(damage)
    result = trivsel("check", "--db", str(db))
    assert result.returncode == 1
    assert said in result.stdout and "✗" in result.stdout
    assert "Traceback" not in result.stderr


async def test_the_app_reminds_when_the_data_is_in_no_recent_backup(store: Store, rules: Rules) -> None:
    generate_demo(store, rules, 3, 1, NOW - timedelta(days=10))
    app = TrivselApp(store=store, settings=Settings(actor="tester"), rules=rules, clock=lambda: NOW)
    async with app.run_test() as pilot:
        await settle(app, pilot)
        assert any("sikkerhedskopi i 10 dage" in n.message for n in app._notifications)
    quiet = TrivselApp(
        store=store, settings=Settings(actor="tester", backup_reminder_days=0), rules=rules, clock=lambda: NOW
    )
    async with quiet.run_test() as pilot:
        await settle(quiet, pilot)
        assert not any("sikkerhedskopi" in n.message for n in quiet._notifications)


def test_restore_refuses_a_fifo_or_a_folder_without_blocking(tmp_path: Path) -> None:
    """backup.py's own file check now lives in store/guard.py with the opening check: a FIFO given as the
    backup is refused at once (it used to block on reading its header)."""
    db = tmp_path / "trivsel.sqlite3"
    Store.open(db, "tester").close()
    fifo = tmp_path / "kopi.sqlite3"
    os.mkfifo(fifo)
    for given in (fifo, tmp_path):
        result = trivsel("restore", str(given), "--db", str(db))
        assert result.returncode in (1, 2) and "Traceback" not in result.stderr
        assert result.stderr.startswith("trivsel: ") and len(result.stderr.strip().splitlines()) == 1
