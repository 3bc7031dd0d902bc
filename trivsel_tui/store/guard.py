"""Decide whether a database file may be opened, before SQLite or alembic touch it.

Only a new or empty file, or one that already carries our schema, is ours. Anything else –
another program's SQLite file, a text file, a folder, a FIFO, a damaged database – is refused
with a Danish one-line message and left exactly as it was (no tables, no chmod, no bytes).

`PRAGMA quick_check` reads every page (about 2.4 s for 100,000 cases), so it runs only when the
file has changed since trivsel last closed it cleanly or last checked it: after a crash, a copy,
a restore or another program's write. trivsel's own clean close records the file's fingerprint.
"""

from __future__ import annotations

import contextlib
import json
import os
import stat
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from trivsel_tui.locations import state_dir
from trivsel_tui.store import cipher
from trivsel_tui.store.cipher import SQLITE_HEADER
from trivsel_tui.store.private import FILE_MODE, create_private_file, write_private_text
from trivsel_tui.texts import t

# Tables every revision of our schema has had since the first one.
OUR_TABLES = frozenset({"alembic_version", "audit_entry", "case", "task"})
CHECK_TIMEOUT_S = 2.0


class DatabaseRefusedError(RuntimeError):
    """The file is not one we may open; the message (Danish) says why and what to do."""


class SchemaTooNewError(RuntimeError):
    """The file was written by a newer trivsel-tui than this one (raised by store.migrate)."""


class BackupError(DatabaseRefusedError):
    """A backup could not be made, verified or restored, or a file given as one is not ours (Danish message)."""


class PassphraseNeededError(DatabaseRefusedError):
    """The file looks encrypted and no passphrase was given: the caller may ask for one and try again."""


@dataclass(frozen=True)
class DatabaseFile:
    path: Path
    read_only: bool


def check_database_file(path: Path, key: str | None = None) -> DatabaseFile:
    """Create a new database file 0600, or check that an existing one is ours and healthy.

    An encrypted file needs its key (the passphrase); without one it is refused with PassphraseNeededError."""
    try:
        info = os.stat(path)  # follows a symbolic link: the file it points at is what is checked
    except FileNotFoundError:
        if path.is_symlink():
            raise DatabaseRefusedError(t("open_errors.dangling_link", path=path)) from None
        create_private_file(path)
        return DatabaseFile(path, read_only=False)
    if stat.S_ISDIR(info.st_mode):
        raise DatabaseRefusedError(t("cli.is_folder", path=path))
    if not stat.S_ISREG(info.st_mode):
        raise DatabaseRefusedError(t("open_errors.not_regular", path=path))
    read_only = not os.access(path, os.W_OK)
    if info.st_size > 0:
        _check_contents(path, key, full=_fingerprint(info) != _healthy_files().get(_key(path)))
    if not read_only and info.st_uid == os.geteuid() and stat.S_IMODE(info.st_mode) != FILE_MODE:
        os.chmod(path, FILE_MODE)  # ours (empty or our schema): it holds personal data
    return DatabaseFile(path, read_only)


def _check_contents(path: Path, key: str | None, full: bool) -> None:
    """The database about to be opened: empty or ours; with `full`, quick_check passes (and is remembered)."""
    if _inspect(path, key, full, DatabaseRefusedError) and full:
        remember_healthy(path)


def check_backup_file(path: Path, key: str | None = None, full: bool = True) -> str:
    """A backup (or a database to copy): a trivsel database with tables, sound with `full`. Returns its
    schema revision; raises BackupError with a line that does not point at --db."""
    try:
        info = os.stat(path)
    except OSError as exc:
        raise BackupError(t("backup.cannot_read", path=path, error=exc.strerror)) from exc
    if not stat.S_ISREG(info.st_mode):  # a FIFO would block the reading below; a folder is no backup
        raise BackupError(t("backup.not_ours", path=path))
    revision = _inspect(path, key, full, BackupError)
    if revision is None:
        raise BackupError(t("backup.not_ours", path=path))
    return revision


def _inspect(path: Path, key: str | None, full: bool, refused: type[DatabaseRefusedError]) -> str | None:
    """The one check of a file's contents: SQLite (or SQLCipher with `key`), our tables, quick_check if `full`.
    Returns the schema revision, or None for a file without tables (a new database)."""
    backup = refused is BackupError

    def refusal(name: str, error: object = "") -> DatabaseRefusedError:
        return refused(t(f"backup.{name}" if backup else f"open_errors.{name}", path=path, error=error))

    if key is None:
        with open(path, "rb") as file:
            header = file.read(len(SQLITE_HEADER))
        if header != SQLITE_HEADER and cipher.looks_encrypted(path):
            raise PassphraseNeededError(t("encryption.no_passphrase", path=path))
        if header != SQLITE_HEADER:
            raise refusal("not_ours" if backup else "not_sqlite")
    else:
        try:
            cipher.verify(path, key)
        except cipher.CipherError as exc:
            if backup:
                raise BackupError(str(exc)) from exc
            raise  # the CLI asks again on a wrong passphrase
    try:
        connection = cipher.connect(path, key, mode="ro", timeout=CHECK_TIMEOUT_S)
    except cipher.database_errors() as exc:
        raise refused(t("open_errors.cannot_open", path=path, error=exc)) from exc
    try:
        tables = {row[0] for row in connection.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
        if not tables:
            return None
        if not tables >= OUR_TABLES:
            raise refusal("not_ours")
        if "task_search_index" in tables and not backup and not reads_trigram_index(connection):
            raise refusal("no_search_module")
        if full and (found := connection.execute("PRAGMA quick_check(1)").fetchone()) != ("ok",):
            raise refusal("damaged", " ".join(str(found[0] if found else "").split()))  # one line
        row = connection.execute("SELECT version_num FROM alembic_version").fetchone()
        return str(row[0]) if row else ""
    except cipher.operational_errors() as exc:
        if "locked" in str(exc):
            raise refused(t("open_errors.locked", path=path)) from exc
        raise refusal("damaged", exc) from exc
    except cipher.database_errors() as exc:  # "malformed", "file is not a database"
        raise refusal("damaged", exc) from exc
    finally:
        connection.close()


def reads_trigram_index(connection: Any) -> bool:
    """Whether this SQLite has FTS5 and its trigram tokenizer (3.34+), which the search index needs (migration
    0020). Some Python builds lack FTS5: there every write to a task or a case would fail in the index's
    triggers, so such a file is refused with a message rather than opened."""
    options = {row[0] for row in connection.execute("PRAGMA compile_options")}
    version = tuple(int(part) for part in connection.execute("SELECT sqlite_version()").fetchone()[0].split("."))
    return "ENABLE_FTS5" in options and version >= (3, 34)


def _healthy_record() -> Path:
    return state_dir() / "healthy-databases.json"


def _key(path: Path) -> str:
    return str(path.resolve())


def _fingerprint(info: os.stat_result) -> list[int]:
    return [info.st_dev, info.st_ino, info.st_size, info.st_mtime_ns]


def _healthy_files() -> dict[str, list[int]]:
    try:
        record = json.loads(_healthy_record().read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    return record if isinstance(record, dict) else {}


def remember_healthy(path: Path) -> None:
    """The file as it is now passed quick_check or was closed cleanly by trivsel: skip the check next time."""
    with contextlib.suppress(OSError):
        record = _healthy_files()
        record[_key(path)] = _fingerprint(os.stat(path))
        write_private_text(_healthy_record(), json.dumps(record))
