"""Engine set-up: one SQLite file, WAL, synchronous=FULL, foreign keys, busy timeout, mode 0600."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Any
from urllib.parse import quote

from trivsel_tui.domain.clock import local_day_bound
from trivsel_tui.store.cipher import apply_key, connect, database_errors, driver

if TYPE_CHECKING:
    from sqlalchemy import Engine

BUSY_TIMEOUT_MS = 10_000
WRITE_OPTION = "trivsel_write"
# A reader holding an old snapshot makes the WAL grow; once it is reset it shrinks back to this.
JOURNAL_SIZE_LIMIT = 64 * 1024 * 1024

PRAGMAS = (
    "PRAGMA journal_mode=WAL",
    "PRAGMA synchronous=FULL",  # a committed case must survive a power cut
    "PRAGMA foreign_keys=ON",
    f"PRAGMA busy_timeout={BUSY_TIMEOUT_MS}",
    f"PRAGMA journal_size_limit={JOURNAL_SIZE_LIMIT}",
)
READ_ONLY_PRAGMAS = ("PRAGMA foreign_keys=ON", f"PRAGMA busy_timeout={BUSY_TIMEOUT_MS}")


SQL_TIME_FORMAT = "%Y-%m-%d %H:%M:%S.%f"  # how SQLAlchemy stores DateTime in SQLite


def local_day_bound_utc(day: str | None, end: int) -> str | None:
    """Start (end=0) or 23:59 (end=1) of a Copenhagen calendar day, as stored UTC text. For SQL."""
    if not day:
        return None
    moment = local_day_bound(date.fromisoformat(day[:10]), end=bool(end))
    return moment.in_tz("UTC").strftime(SQL_TIME_FORMAT)


def _configure(dbapi_connection: Any, pragmas: tuple[str, ...], key: str | None) -> None:
    apply_key(dbapi_connection, key)  # before anything else reads the (encrypted) file
    # Let SQLAlchemy's "begin" event decide how transactions start (see _on_begin).
    dbapi_connection.isolation_level = None
    dbapi_connection.create_function("local_day_bound_utc", 2, local_day_bound_utc, deterministic=True)
    cursor = dbapi_connection.cursor()
    for pragma in pragmas:
        cursor.execute(pragma)
    cursor.close()


def _on_begin(connection: Any) -> None:
    # A writer takes the write lock up front: two app copies then queue on busy_timeout
    # instead of failing with "database is locked" when a read turns into a write.
    if connection.get_execution_options().get(WRITE_OPTION):
        connection.exec_driver_sql("BEGIN IMMEDIATE")
    else:
        connection.exec_driver_sql("BEGIN")


def compact_json(value: Any) -> str:
    """JSON columns as UTF-8 text without padding: "ø" stays one letter instead of "\\u00f8", and no
    spaces after , and :. The same values on reading; about 10 % smaller classifications on disk."""
    return json.dumps(value, ensure_ascii=False, separators=(",", ":"))


def make_engine(path: Path, read_only: bool = False, key: str | None = None) -> Engine:
    """An engine on a file that guard.check_database_file has accepted; read-only opens it mode=ro.

    With a key (a passphrase) the file is an SQLCipher one, opened through sqlcipher3 (store/cipher.py)."""
    from sqlalchemy import create_engine, event

    engine = create_engine(
        f"sqlite:///{_uri(path, read_only)}&uri=true",
        connect_args={"check_same_thread": False, "timeout": BUSY_TIMEOUT_MS / 1000},
        json_serializer=compact_json,
        module=driver(key),
    )
    pragmas = READ_ONLY_PRAGMAS if read_only else PRAGMAS
    event.listen(engine, "connect", lambda dbapi_connection, _record: _configure(dbapi_connection, pragmas, key))
    event.listen(engine, "begin", _on_begin)
    return engine


def _uri(path: Path, read_only: bool) -> str:
    return f"file:{quote(str(path))}?mode={'ro' if read_only else 'rwc'}"


def driver_connection(path: Path, read_only: bool = False, key: str | None = None) -> Any:
    """A connection of the driver itself (sqlite3, or sqlcipher3 with a key), set up as the engine's are
    (key, pragmas, the SQL date function) but without SQLAlchemy: the dashboard reads through these
    (Store.rows). Autocommit: each statement reads the newest committed data."""
    connection = driver(key).connect(
        _uri(path, read_only), uri=True, timeout=BUSY_TIMEOUT_MS / 1000, check_same_thread=False
    )
    try:
        _configure(connection, READ_ONLY_PRAGMAS if read_only else PRAGMAS, key)
    except BaseException:
        connection.close()
        raise
    return connection


def writer(engine: Engine) -> Engine:
    """The same engine (same pool) whose transactions begin IMMEDIATE."""
    return engine.execution_options(**{WRITE_OPTION: True})


def try_maintenance(path: Path, statement: str, key: str | None = None) -> bool:
    """Run ANALYZE / PRAGMA optimize only if the write lock is free right now; never wait for it.

    Statistics are a nicety: opening or closing must not queue behind another copy's long write.
    """
    try:
        connection = connect(path, key, mode="rw", timeout=0)
    except database_errors():
        return False
    try:
        connection.execute(statement)
        return True
    except database_errors():  # locked, busy, read-only, or no longer the file it was: another time
        return False
    finally:
        connection.close()
