"""Consistent, verified copies of the database (SQLite's online backup API) and restoring from one.

A copy is written under a temporary name and renamed only once it is complete and verified, so a
kill during the copy never leaves a 0-byte or half-written file under a backup's name.
"""

from __future__ import annotations

import contextlib
import os
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any

from trivsel_tui.store import cipher
from trivsel_tui.store.guard import BackupError as BackupError  # raised here too; callers import it from here
from trivsel_tui.store.guard import check_backup_file
from trivsel_tui.store.private import create_private_file
from trivsel_tui.store.types import Progress
from trivsel_tui.texts import t

# The tables whose row counts must match between a database and its copy.
COUNTED_TABLES = ("workplace", "case", "episode", "task", "case_note", "action_plan", "action_item", "audit_entry")
PARTIAL_SUFFIX = ".delvis"
BACKUP_PAGES = 4096  # pages per step (16 MB): the copy stays one snapshot, progress shows between steps
BUSY_TIMEOUT_S = 10.0


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


def connect(path: Path, readonly: bool = False, key: str | None = None) -> Any:
    """A DB-API connection (no ORM) for copying and checking; we say BEGIN ourselves."""
    return cipher.connect(path, key, mode="ro" if readonly else "rwc", timeout=BUSY_TIMEOUT_S)


@contextlib.contextmanager
def closing(connection: Any) -> Iterator[Any]:
    try:
        yield connection
    finally:
        connection.close()


def row_counts(connection: Any) -> dict[str, int]:
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


def backup_database(path: Path, target: Path, progress: Progress | None = None, key: str | None = None) -> BackupResult:
    """Copy `path` to `target` (mode 0600) while other connections may be writing, and verify the copy.

    The copy is one read snapshot of the source; `quick_check` must pass on it and its row counts
    must equal the source's in that same snapshot. Only then is it renamed to `target`. The copy of
    an encrypted database is encrypted with the same passphrase.
    """
    target.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
    partial = _partial_name(target)
    fd = os.open(partial, os.O_CREAT | os.O_WRONLY | os.O_TRUNC, 0o600)
    os.close(fd)
    try:
        with closing(connect(path, readonly=True, key=key)) as source, closing(connect(partial, key=key)) as dest:
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


def _verify(copy: Any, expected: dict[str, int], target: Path) -> None:
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


def require_ours(path: Path, key: str | None = None) -> None:
    """Refuse (BackupError) a file that is not a trivsel database. Cheap: no page check (store/guard.py)."""
    check_backup_file(path, key, full=False)


def inspect_backup(path: Path, key: str | None = None) -> FileReport:
    """Refuse a file that is not a trivsel database or fails quick_check; otherwise say what it holds."""
    revision = check_backup_file(path, key, full=True)
    with closing(connect(path, readonly=True, key=key)) as connection:
        return FileReport(revision, row_counts(connection))


def encrypt_database(path: Path, key: str) -> BackupResult:
    """Turn the plain database at `path` into an SQLCipher file under the same name.

    The plain file stays until the encrypted copy has passed quick_check with the same row counts
    (one exclusive snapshot); then the copy takes its name and the plain file's blocks are
    overwritten with zeros through a handle kept open across the rename (cipher.overwrite).
    Refused while another program has the file open: it would go on writing to the plain file.
    """
    partial = _partial_name(path)
    partial.unlink(missing_ok=True)
    create_private_file(partial)
    try:
        with closing(cipher.connect_for_export(path)) as source:
            _take_alone(source, path)
            expected = row_counts(source)
            source.execute(f"ATTACH DATABASE ? AS encrypted KEY {cipher.quoted(key)}", (str(partial),))
            source.execute("BEGIN EXCLUSIVE")  # no other program reads or writes until the copy is done
            source.execute("SELECT sqlcipher_export('encrypted')")
            source.execute("COMMIT")
            source.execute("DETACH DATABASE encrypted")
        with closing(connect(partial, key=key)) as copy:
            _verify(copy, expected, partial)
            copy.execute("PRAGMA journal_mode=WAL")
        with open(partial, "rb+") as written:
            os.fsync(written.fileno())
        _replace_and_overwrite(path, partial)
    except BaseException:
        partial.unlink(missing_ok=True)
        raise
    return BackupResult(path, expected)


def _take_alone(source: Any, path: Path) -> None:
    """Leave WAL mode (folding the WAL into the file); SQLite refuses that while anyone else has it open."""
    try:
        mode = source.execute("PRAGMA journal_mode=DELETE").fetchone()[0]
    except cipher.operational_errors() as exc:
        raise BackupError(t("encryption.in_use", path=path)) from exc
    if str(mode).lower() != "delete":
        raise BackupError(t("encryption.in_use", path=path))


def _replace_and_overwrite(path: Path, encrypted: Path) -> None:
    for companion in cipher.companions(path):
        cipher.wipe(companion)
    fd = os.open(path, os.O_RDWR | os.O_NOFOLLOW)  # the plain file, held past the rename
    try:
        os.replace(encrypted, path)
        _fsync_folder(path.parent)
        cipher.overwrite(fd)
    finally:
        os.close(fd)


LAST_BACKUP_KEY = "last_backup_at"


def record_backup(path: Path, when: datetime, key: str | None = None) -> bool:
    """Remember in the database itself when it was last backed up (for the app's reminder).

    Best effort: a writer holding the lock must not turn a good backup into a failure; the
    reminder then simply shows once more. Returns whether it was recorded.
    """
    try:
        with closing(cipher.connect(path, key, mode="rw", timeout=2.0)) as connection:
            if not connection.execute("SELECT 1 FROM sqlite_master WHERE name = 'app_state'").fetchone():
                return False  # a file from before app_state: backed up, but not yet upgraded
            connection.execute(
                "INSERT INTO app_state (key, value) VALUES (?, ?)"
                " ON CONFLICT (key) DO UPDATE SET value = excluded.value",
                (LAST_BACKUP_KEY, when.isoformat()),
            )
            return True
    except cipher.operational_errors():
        return False


def restore_into(source: Path, path: Path, key: str | None = None) -> None:
    """Replace the contents of the database at `path` with `source`, through SQLite.

    Writing through the backup API (not by renaming files) keeps a running app's open
    connections valid: they see the restored data at their next read.
    """
    with closing(connect(source, readonly=True, key=key)) as src, closing(connect(path, key=key)) as dest:
        src.backup(dest)
        dest.execute("PRAGMA journal_mode=WAL")
    os.chmod(path, 0o600)


@dataclass(frozen=True)
class RestoreResult:
    restored: FileReport
    kept: Path | None  # where the database as it was before the restore is now
    kept_damaged: bool  # it could not be read, so it was moved aside as it was


def restore_database(
    path: Path, source: Path, now: datetime, known_revisions: set[str], key: str | None = None
) -> RestoreResult:
    """Restore `source` into the database at `path`, keeping the current one first.

    A sound current file is copied (verified) before it is overwritten in place; a damaged
    one is moved aside untouched. Nothing is ever deleted. An encrypted database takes only a copy
    encrypted with the same passphrase `key`, a plain one only a plain copy.
    """
    if path.exists() and path.stat().st_size and cipher.looks_encrypted(path) != cipher.looks_encrypted(source):
        raise BackupError(t("encryption.mixed_restore", source=source, path=path))
    restored = inspect_backup(source, key)
    if restored.revision not in known_revisions:
        raise BackupError(t("backup.too_new", path=source, revision=restored.revision))
    kept: Path | None = None
    damaged = False
    if path.exists():
        try:
            inspect_backup(path, key)
        except BackupError:
            damaged = True
        if damaged:
            kept = _move_aside(path, backup_path_for(path, now, t("store_notes.damaged_label")))
        else:
            kept = backup_database(path, backup_path_for(path, now, t("store_notes.restore_label")), key=key).path
    if not path.exists():
        fd = os.open(path, os.O_CREAT | os.O_WRONLY, 0o600)
        os.close(fd)
    restore_into(source, path, key)
    return RestoreResult(restored, kept, damaged)


def _move_aside(path: Path, kept: Path) -> Path:
    """Rename the file and its WAL companions, so a damaged database is kept exactly as it was."""
    for suffix in ("-wal", "-shm"):
        companion = path.with_name(path.name + suffix)
        if companion.exists():
            os.replace(companion, kept.with_name(kept.name + suffix))
    os.replace(path, kept)
    return kept
