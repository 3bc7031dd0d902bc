"""`--db` names a file that may not be ours: refuse it untouched; never wait for or take the write lock to read."""

from __future__ import annotations

import hashlib
import os
import sqlite3
import stat
from pathlib import Path

import pytest
from sqlalchemy.exc import OperationalError

from tests.conftest import NOW
from tests.test_cli import trivsel
from trivsel_tui.domain.rules import Rules
from trivsel_tui.store.demo import generate_demo
from trivsel_tui.store.store import Store


def fingerprint(path: Path) -> tuple[str, int]:
    return hashlib.sha256(path.read_bytes()).hexdigest(), stat.S_IMODE(os.stat(path).st_mode)


def assert_refused(result: object, words: str) -> None:
    assert result.returncode == 2, result.stderr  # type: ignore[attr-defined]
    stderr = result.stderr  # type: ignore[attr-defined]
    assert "Traceback" not in stderr
    assert len(stderr.strip().splitlines()) == 1, stderr
    assert words in stderr


@pytest.fixture
def our_db(tmp_path: Path, rules: Rules) -> Path:
    path = tmp_path / "trivsel.sqlite3"
    store = Store.open(path, "tester", lambda: NOW)
    generate_demo(store, rules, 20, seed=1, anchor=NOW)
    store.close()
    return path


@pytest.mark.parametrize("command", [["due"], ["demo", "--cases", "1"], []])
def test_another_programs_sqlite_file_is_refused_untouched(tmp_path: Path, command: list[str]) -> None:
    other = tmp_path / "photos.db"
    with sqlite3.connect(other) as connection:
        connection.execute("CREATE TABLE photo (id INTEGER PRIMARY KEY, name TEXT)")
        connection.execute("INSERT INTO photo (name) VALUES ('ferie.jpg')")
    connection.close()
    os.chmod(other, 0o644)
    before = fingerprint(other)

    result = trivsel(*command, "--db", str(other))

    assert_refused(result, "SQLite-database fra et andet program")
    assert fingerprint(other) == before
    tables = sqlite3.connect(other).execute("SELECT name FROM sqlite_master WHERE type = 'table'").fetchall()
    assert tables == [("photo",)]


def test_a_system_text_file_keeps_its_bytes_and_mode(tmp_path: Path) -> None:
    passwd = tmp_path / "passwd"
    passwd.write_text("root:x:0:0:root:/root:/bin/bash\n", encoding="utf-8")
    os.chmod(passwd, 0o644)
    before = fingerprint(passwd)

    result = trivsel("due", "--db", str(passwd))

    assert_refused(result, "er ikke en trivsel-database")
    assert fingerprint(passwd) == before


def test_a_symbolic_link_is_judged_by_the_file_it_points_at(tmp_path: Path) -> None:
    target = tmp_path / "passwd"
    target.write_text("root:x:0:0:root:/root:/bin/bash\n", encoding="utf-8")
    os.chmod(target, 0o644)
    link = tmp_path / "trivsel.sqlite3"
    link.symlink_to(target)
    before = fingerprint(target)

    assert_refused(trivsel("demo", "--db", str(link), "--cases", "1"), "er ikke en trivsel-database")
    assert fingerprint(target) == before


def test_a_dangling_symbolic_link_creates_nothing(tmp_path: Path) -> None:
    target = tmp_path / "elsewhere" / "planted"
    (tmp_path / "elsewhere").mkdir()
    link = tmp_path / "trivsel.sqlite3"
    link.symlink_to(target)

    assert_refused(trivsel("demo", "--db", str(link), "--cases", "1"), "symbolsk henvisning")
    assert not target.exists()


def test_a_fifo_is_refused_without_blocking(tmp_path: Path) -> None:
    fifo = tmp_path / "pipe"
    os.mkfifo(fifo, 0o644)

    assert_refused(trivsel("demo", "--db", str(fifo), "--cases", "1"), "ikke en almindelig fil")
    assert stat.S_IMODE(os.stat(fifo).st_mode) == 0o644


def test_an_empty_file_becomes_a_private_database(tmp_path: Path) -> None:
    empty = tmp_path / "ny.sqlite3"
    empty.touch(mode=0o644)
    result = trivsel("demo", "--db", str(empty), "--cases", "1")
    assert result.returncode == 0, result.stderr
    assert stat.S_IMODE(os.stat(empty).st_mode) == 0o600


def corrupt(path: Path) -> None:
    """Overwrite a page in the middle of the file with garbage, as a failing disk would."""
    page = 4096
    with open(path, "r+b") as file:
        size = file.seek(0, os.SEEK_END)
        file.seek((size // page // 2) * page)
        file.write(b"\xa5" * page)


def test_a_damaged_database_is_refused_and_demo_writes_nothing(our_db: Path) -> None:
    corrupt(our_db)
    before = fingerprint(our_db)

    result = trivsel("demo", "--db", str(our_db), "--cases", "5")

    assert_refused(result, "beskadiget")
    assert "sikkerhedskopi" in result.stderr
    assert fingerprint(our_db) == before
    assert_refused(trivsel("due", "--db", str(our_db)), "beskadiget")


def test_reading_does_not_wait_behind_a_writer(our_db: Path) -> None:
    # Without statistics the old open ran ANALYZE under BEGIN IMMEDIATE and queued 10 s behind the writer.
    with sqlite3.connect(our_db) as connection:
        connection.execute("DROP TABLE sqlite_stat1")
    connection.close()
    writer = sqlite3.connect(our_db, isolation_level=None)
    writer.execute("BEGIN IMMEDIATE")
    writer.execute("UPDATE workplace SET name = name || ' ' WHERE id = 1")
    try:
        # The old open waited out the 10 s busy timeout and then called the healthy file "not a database".
        result = trivsel("due", "--db", str(our_db))
    finally:
        writer.execute("ROLLBACK")
        writer.close()
    assert result.returncode == 0, result.stderr
    assert result.stdout.count("\n") > 5


def test_database_is_locked_is_called_locked(our_db: Path) -> None:
    holder = sqlite3.connect(our_db, isolation_level=None)
    holder.execute("PRAGMA locking_mode=EXCLUSIVE")
    holder.execute("BEGIN EXCLUSIVE")
    try:
        result = trivsel("due", "--db", str(our_db))
    finally:
        holder.execute("ROLLBACK")
        holder.close()
    assert result.returncode != 0
    assert "Traceback" not in result.stderr
    assert "er låst (database is locked)" in result.stderr


def test_a_read_only_file_can_be_read(our_db: Path, rules: Rules, monkeypatch: pytest.MonkeyPatch) -> None:
    from trivsel_tui.store.dashboard import DueQuery, due_rows

    # The tests run as root, who may write anything; pretend the file is read-only as for any other user.
    real_access = os.access
    monkeypatch.setattr(os, "access", lambda path, mode: False if mode == os.W_OK else real_access(path, mode))
    before = fingerprint(our_db)

    store = Store.open(our_db, "tester", lambda: NOW)
    try:
        assert store.read_only
        assert len(due_rows(store, DueQuery.from_rules(rules), limit=None)) > 5
        with pytest.raises(OperationalError, match="readonly"), store.write() as session:
            session.connection().exec_driver_sql("UPDATE workplace SET name = name")
    finally:
        store.close()
    assert fingerprint(our_db) == before


def test_quick_check_runs_only_when_the_file_changed_since_trivsel_closed_it(
    our_db: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    statements: list[str] = []
    real_connect = sqlite3.connect

    def traced(*args: object, **kwargs: object) -> sqlite3.Connection:
        connection = real_connect(*args, **kwargs)  # type: ignore[call-overload]
        connection.set_trace_callback(statements.append)
        return connection

    monkeypatch.setattr(sqlite3, "connect", traced)
    Store.open(our_db, "tester", lambda: NOW).close()
    assert not [s for s in statements if "quick_check" in s]

    with real_connect(our_db) as outside:  # another program writes to the file
        outside.execute("UPDATE workplace SET name = name || '!' WHERE id = 1")
    outside.close()
    Store.open(our_db, "tester", lambda: NOW).close()
    assert [s for s in statements if "quick_check" in s]


def test_revisions_read_from_the_files_agree_with_alembic() -> None:
    from alembic.config import Config
    from alembic.script import ScriptDirectory

    from trivsel_tui.store.migrate import SCRIPT_LOCATION
    from trivsel_tui.store.revisions import head_revision, revisions

    config = Config()
    config.set_main_option("script_location", SCRIPT_LOCATION)
    script = ScriptDirectory.from_config(config)
    assert head_revision() == script.get_current_head()
    assert revisions() == {rev.revision: rev.down_revision for rev in script.walk_revisions()}


def test_opening_a_current_database_does_not_import_alembic(our_db: Path) -> None:
    import subprocess
    import sys

    code = (
        "import sys; from pathlib import Path; from trivsel_tui.store.store import Store;"
        f"Store.open(Path({str(our_db)!r}), 'x').close(); print('alembic' in sys.modules)"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60)
    assert result.stdout.strip() == "False", result.stderr
