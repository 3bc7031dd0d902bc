"""Consistent, verified copies of the database (SQLite's online backup API) and restoring from one.

A copy is written under a temporary name and renamed only once it is complete and verified, so a
kill during the copy never leaves a 0-byte or half-written file under a backup's name.
"""

from __future__ import annotations

import contextlib
import os
import sqlite3
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from trivsel_tui.store.guard import OUR_TABLES, SQLITE_HEADER
from trivsel_tui.store.types import Progress
from trivsel_tui.texts import t

# The tables whose row counts must match between a database and its copy.
COUNTED_TABLES = ("workplace", "case", "episode", "task", "case_note", "action_plan", "action_item", "audit_entry")
PARTIAL_SUFFIX = ".delvis"
BACKUP_PAGES = 4096  # pages per step (16 MB): the copy stays one snapshot, progress shows between steps
BUSY_TIMEOUT_S = 10.0


class BackupError(RuntimeError):
    """A copy could not be made, verified or restored; the message is Danish and names the file."""


@dataclass(frozen=True)
class BackupResult:
    path: Path
    counts: dict[str, int]


def backup_path_for(path: Path, now: datetime, label: str = "backup") -> Path:
    stamp = now.strftime("%Y%m%dT%H%M%S")
    return path.with_name(f"{path.name}.{label}-{stamp}")


def default_backup_path(path: Path, now: datetime) -> Path:
    """<data folder>/sikkerhedskopier/trivsel-2026-11-28_154700.sqlite3 (local time of `now`)."""
    return path.parent / t("backup.folder") / f"{path.stem}-{now.strftime('%Y-%m-%d_%H%M%S')}{path.suffix}"


def connect(path: Path, readonly: bool = False) -> sqlite3.Connection:
    """A plain sqlite3 connection (no ORM) for copying and checking."""
    if readonly:
        connection = sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro", uri=True, timeout=BUSY_TIMEOUT_S)
    else:
        connection = sqlite3.connect(path, timeout=BUSY_TIMEOUT_S)
    connection.isolation_level = None  # we say BEGIN ourselves
    return connection


@contextlib.contextmanager
def closing(connection: sqlite3.Connection) -> Iterator[sqlite3.Connection]:
    try:
        yield connection
    finally:
        connection.close()


def row_counts(connection: sqlite3.Connection) -> dict[str, int]:
    present = {row[0] for row in connection.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
    return {
        table: connection.execute(f'SELECT count(*) FROM "{table}"').fetchone()[0]
        for table in COUNTED_TABLES
        if table in present
    }


def _fsync_folder(folder: Path) -> None:
    with contextlib.suppress(OSError):  # not every OS lets a folder be opened (Windows)
        fd = os.open(folder, os.O_RDONLY)
        try:
            os.fsync(fd)
        finally:
            os.close(fd)


def _partial_name(target: Path) -> Path:
    return target.with_name(f".{target.name}.{os.getpid()}{PARTIAL_SUFFIX}")


def backup_database(path: Path, target: Path, progress: Progress | None = None) -> BackupResult:
    """Copy `path` to `target` (mode 0600) while other connections may be writing, and verify the copy.

    The copy is one read snapshot of the source; `quick_check` must pass on it and its row counts
    must equal the source's in that same snapshot. Only then is it renamed to `target`.
    """
    target.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
    partial = _partial_name(target)
    fd = os.open(partial, os.O_CREAT | os.O_WRONLY | os.O_TRUNC, 0o600)
    os.close(fd)
    try:
        with closing(connect(path, readonly=True)) as source, closing(connect(partial)) as dest:
            source.execute("BEGIN")  # one snapshot for the copy and the counts
            expected = row_counts(source)
            source.backup(dest, pages=BACKUP_PAGES, progress=_pages_copied(progress), sleep=0)
            source.execute("COMMIT")
            dest.execute("PRAGMA journal_mode=DELETE")  # a backup is one self-contained file
            _verify(dest, expected, target)
        with open(partial, "rb+") as written:
            os.fsync(written.fileno())
        os.replace(partial, target)
        _fsync_folder(target.parent)
    except BaseException:
        partial.unlink(missing_ok=True)
        raise
    os.chmod(target, 0o600)
    return BackupResult(target, expected)


def _pages_copied(progress: Progress | None) -> Callable[[int, int, int], object] | None:
    if progress is None:
        return None
    return lambda _status, remaining, total: progress("backup", total - remaining, total)


def _verify(copy: sqlite3.Connection, expected: dict[str, int], target: Path) -> None:
    result = copy.execute("PRAGMA quick_check").fetchone()[0]
    if result != "ok":
        raise BackupError(t("backup.copy_damaged", path=target, error=result))
    counts = row_counts(copy)
    if counts != expected:
        raise BackupError(t("backup.counts_differ", path=target))


@dataclass(frozen=True)
class FileReport:
    """What a file holds, once it is known to be a sound trivsel database."""

    revision: str
    counts: dict[str, int]


def _read_header(path: Path) -> bytes:
    try:
        with open(path, "rb") as handle:
            return handle.read(len(SQLITE_HEADER))
    except OSError as exc:
        raise BackupError(t("backup.cannot_read", path=path, error=exc.strerror)) from exc


def _require_our_tables(connection: sqlite3.Connection, path: Path) -> None:
    tables = {row[0] for row in connection.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
    if not OUR_TABLES.issubset(tables):
        raise BackupError(t("backup.not_ours", path=path))


def require_ours(path: Path) -> None:
    """Refuse (BackupError) a file that is not a trivsel database. Cheap: no page check."""
    if _read_header(path) != SQLITE_HEADER:
        raise BackupError(t("backup.not_ours", path=path))
    try:
        with closing(connect(path, readonly=True)) as connection:
            _require_our_tables(connection, path)
    except sqlite3.DatabaseError as exc:
        raise BackupError(t("backup.damaged", path=path, error=exc)) from exc


def inspect_backup(path: Path) -> FileReport:
    """Refuse a file that is not a trivsel database or fails quick_check; otherwise say what it holds."""
    if _read_header(path) != SQLITE_HEADER:
        raise BackupError(t("backup.not_ours", path=path))
    try:
        with closing(connect(path, readonly=True)) as connection:
            _require_our_tables(connection, path)
            check = connection.execute("PRAGMA quick_check").fetchone()[0]
            if check != "ok":
                raise BackupError(t("backup.damaged", path=path, error=check))
            revision = connection.execute("SELECT version_num FROM alembic_version").fetchone()
            return FileReport(revision[0] if revision else "", row_counts(connection))
    except sqlite3.DatabaseError as exc:
        raise BackupError(t("backup.damaged", path=path, error=exc)) from exc


LAST_BACKUP_KEY = "last_backup_at"


def record_backup(path: Path, when: datetime) -> bool:
    """Remember in the database itself when it was last backed up (for the app's reminder).

    Best effort: a writer holding the lock must not turn a good backup into a failure; the
    reminder then simply shows once more. Returns whether it was recorded.
    """
    try:
        with closing(sqlite3.connect(path, timeout=2.0)) as connection, connection:
            if not connection.execute("SELECT 1 FROM sqlite_master WHERE name = 'app_state'").fetchone():
                return False  # a file from before app_state: backed up, but not yet upgraded
            connection.execute(
                "INSERT INTO app_state (key, value) VALUES (?, ?)"
                " ON CONFLICT (key) DO UPDATE SET value = excluded.value",
                (LAST_BACKUP_KEY, when.isoformat()),
            )
            return True
    except sqlite3.OperationalError:
        return False


def restore_into(source: Path, path: Path) -> None:
    """Replace the contents of the database at `path` with `source`, through SQLite.

    Writing through the backup API (not by renaming files) keeps a running app's open
    connections valid: they see the restored data at their next read.
    """
    with closing(connect(source, readonly=True)) as src, closing(connect(path)) as dest:
        src.backup(dest)
        dest.execute("PRAGMA journal_mode=WAL")
    os.chmod(path, 0o600)


@dataclass(frozen=True)
class RestoreResult:
    restored: FileReport
    kept: Path | None  # where the database as it was before the restore is now
    kept_damaged: bool  # it could not be read, so it was moved aside as it was


def restore_database(path: Path, source: Path, now: datetime, known_revisions: set[str]) -> RestoreResult:
    """Restore `source` into the database at `path`, keeping the current one first.

    A sound current file is copied (verified) before it is overwritten in place; a damaged
    one is moved aside untouched. Nothing is ever deleted.
    """
    restored = inspect_backup(source)
    if restored.revision not in known_revisions:
        raise BackupError(t("backup.too_new", path=source, revision=restored.revision))
    kept: Path | None = None
    damaged = False
    if path.exists():
        try:
            inspect_backup(path)
        except BackupError:
            damaged = True
        if damaged:
            kept = _move_aside(path, backup_path_for(path, now, t("store_notes.damaged_label")))
        else:
            kept = backup_database(path, backup_path_for(path, now, t("store_notes.restore_label"))).path
    if not path.exists():
        fd = os.open(path, os.O_CREAT | os.O_WRONLY, 0o600)
        os.close(fd)
    restore_into(source, path)
    return RestoreResult(restored, kept, damaged)


def _move_aside(path: Path, kept: Path) -> Path:
    """Rename the file and its WAL companions, so a damaged database is kept exactly as it was."""
    for suffix in ("-wal", "-shm"):
        companion = path.with_name(path.name + suffix)
        if companion.exists():
            os.replace(companion, kept.with_name(kept.name + suffix))
    os.replace(path, kept)
    return kept
