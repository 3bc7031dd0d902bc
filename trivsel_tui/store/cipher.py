"""Encryption at rest (optional): the same database file, encrypted whole by SQLCipher.

An encrypted file is opened with `sqlcipher3` (the `encryption` extra) instead of `sqlite3`; every
other line of the store stays the same. The key is the user's passphrase, handed to SQLCipher as
`PRAGMA key`, which derives the page key with PBKDF2-HMAC-SHA512 (256,000 rounds) and the file's own
random salt. It lives only in this process's memory: never an argument, an environment variable or
a file (the passphrase is asked for by the CLI, see cli.py).

An encrypted file has no "SQLite format 3" header: its first 16 bytes are the salt and the rest looks
random. So a file without the header whose size is whole pages "looks encrypted"; a wrong passphrase
and a file that is not ours cannot be told apart, and the message says both.
"""

from __future__ import annotations

import importlib.util
import os
import sqlite3
import stat
import sys
from pathlib import Path
from typing import Any

from trivsel_tui.texts import t

SQLITE_HEADER = b"SQLite format 3\x00"
PAGE_MULTIPLE = 512  # the smallest page size; every SQLCipher file is whole pages
WIPE_CHUNK = 1024 * 1024


class CipherError(RuntimeError):
    """Encryption is asked for and cannot be had, or the passphrase does not open the file (Danish message)."""


class WrongPassphraseError(CipherError):
    pass


def available() -> bool:
    return importlib.util.find_spec("sqlcipher3") is not None


def looks_encrypted(path: Path) -> bool:
    """Not an SQLite file by its header, but whole pages long: an SQLCipher file (or random bytes)."""
    try:
        info = path.stat()
        if not stat.S_ISREG(info.st_mode):  # never open a FIFO or a device to look: it could block
            return False
        with open(path, "rb") as file:
            header = file.read(len(SQLITE_HEADER))
    except OSError:
        return False
    return info.st_size > 0 and info.st_size % PAGE_MULTIPLE == 0 and header != SQLITE_HEADER


def driver(key: str | None) -> Any:
    """The DB-API module for a file: sqlite3 for a plain one, sqlcipher3 for an encrypted one."""
    if key is None:
        return sqlite3
    if not available():
        raise CipherError(t("encryption.not_installed"))
    import sqlcipher3.dbapi2

    return sqlcipher3.dbapi2


def database_errors() -> tuple[type[Exception], ...]:
    """sqlite3's and (once loaded) sqlcipher3's DatabaseError: the two drivers have separate classes."""
    loaded = sys.modules.get("sqlcipher3.dbapi2")
    return (sqlite3.DatabaseError, loaded.DatabaseError) if loaded else (sqlite3.DatabaseError,)


def operational_errors() -> tuple[type[Exception], ...]:
    loaded = sys.modules.get("sqlcipher3.dbapi2")
    return (sqlite3.OperationalError, loaded.OperationalError) if loaded else (sqlite3.OperationalError,)


def quoted(key: str) -> str:
    if "\x00" in key:
        raise CipherError(t("encryption.bad_passphrase"))
    return "'" + key.replace("'", "''") + "'"


def apply_key(connection: Any, key: str | None) -> None:
    """The first statements on a new connection to an encrypted file (SQLCipher logs nothing to stderr)."""
    if key is not None:
        connection.execute("PRAGMA cipher_log_level = NONE")
        connection.execute(f"PRAGMA key = {quoted(key)}")


def connect(path: Path, key: str | None, mode: str = "rwc", timeout: float = 10.0) -> Any:
    """A DB-API connection (no ORM) to a plain or encrypted file; mode is SQLite's URI mode (ro, rw, rwc)."""
    uri = f"{path.resolve().as_uri()}?mode={mode}"
    connection = driver(key).connect(uri, uri=True, timeout=timeout, isolation_level=None)
    try:
        apply_key(connection, key)
    except BaseException:
        connection.close()
        raise
    return connection


def connect_for_export(path: Path) -> Any:
    """A plain file opened through sqlcipher3 (no key): only that driver has sqlcipher_export()."""
    uri = f"{path.resolve().as_uri()}?mode=rw"
    return driver("").connect(uri, uri=True, timeout=0, isolation_level=None)


def verify(path: Path, key: str) -> None:
    """Raise WrongPassphraseError unless `key` opens the file."""
    connection = connect(path, key, mode="ro")
    try:
        connection.execute("SELECT count(*) FROM sqlite_master").fetchone()
    except database_errors() as exc:
        if "locked" in str(exc):
            raise CipherError(t("open_errors.locked", path=path)) from exc
        raise WrongPassphraseError(t("encryption.wrong_passphrase", path=path)) from exc
    finally:
        connection.close()


def overwrite(fd: int) -> None:
    """Overwrite an open file with zeros and flush it to disk.

    As securely as the OS allows: on a copy-on-write or flash file system (APFS, btrfs, most SSDs) the
    old blocks may survive the overwrite; full-disk encryption is what protects those (README).
    """
    remaining = os.fstat(fd).st_size
    os.lseek(fd, 0, os.SEEK_SET)
    zeros = bytes(WIPE_CHUNK)
    while remaining > 0:
        remaining -= os.write(fd, zeros[: min(remaining, WIPE_CHUNK)])
    os.fsync(fd)


def wipe(path: Path) -> None:
    """Overwrite a file (see overwrite) and remove it; a missing file is fine."""
    try:
        fd = os.open(path, os.O_WRONLY | os.O_NOFOLLOW)
    except FileNotFoundError:
        return
    try:
        overwrite(fd)
    finally:
        os.close(fd)
    path.unlink()


def companions(path: Path) -> list[Path]:
    return [path.with_name(path.name + suffix) for suffix in ("-wal", "-shm", "-journal")]
