"""Engine set-up: one SQLite file, WAL, synchronous=FULL, foreign keys, busy timeout, mode 0600."""

from __future__ import annotations

import os
from datetime import date
from pathlib import Path
from typing import Any

from sqlalchemy import Engine, create_engine, event

from trivsel_tui.domain.clock import local_day_bound

BUSY_TIMEOUT_MS = 10_000
WRITE_OPTION = "trivsel_write"

PRAGMAS = (
    "PRAGMA journal_mode=WAL",
    "PRAGMA synchronous=FULL",  # a committed case must survive a power cut
    "PRAGMA foreign_keys=ON",
    f"PRAGMA busy_timeout={BUSY_TIMEOUT_MS}",
)


def ensure_private_file(path: Path) -> None:
    """Create the folder and the file (mode 0600) before SQLite does, so it never exists world-readable."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd = os.open(path, os.O_CREAT | os.O_RDWR, 0o600)
    os.close(fd)
    os.chmod(path, 0o600)


SQL_TIME_FORMAT = "%Y-%m-%d %H:%M:%S.%f"  # how SQLAlchemy stores DateTime in SQLite


def local_day_bound_utc(day: str | None, end: int) -> str | None:
    """Start (end=0) or 23:59 (end=1) of a Copenhagen calendar day, as stored UTC text. For SQL."""
    if not day:
        return None
    moment = local_day_bound(date.fromisoformat(day[:10]), end=bool(end))
    return moment.in_tz("UTC").strftime(SQL_TIME_FORMAT)


def _on_connect(dbapi_connection: Any, _record: Any) -> None:
    # Let SQLAlchemy's "begin" event decide how transactions start (see _on_begin).
    dbapi_connection.isolation_level = None
    dbapi_connection.create_function("local_day_bound_utc", 2, local_day_bound_utc, deterministic=True)
    cursor = dbapi_connection.cursor()
    for pragma in PRAGMAS:
        cursor.execute(pragma)
    cursor.close()


def _on_begin(connection: Any) -> None:
    # A writer takes the write lock up front: two app copies then queue on busy_timeout
    # instead of failing with "database is locked" when a read turns into a write.
    if connection.get_execution_options().get(WRITE_OPTION):
        connection.exec_driver_sql("BEGIN IMMEDIATE")
    else:
        connection.exec_driver_sql("BEGIN")


def make_engine(path: Path) -> Engine:
    ensure_private_file(path)
    engine = create_engine(
        f"sqlite:///{path}",
        connect_args={"check_same_thread": False, "timeout": BUSY_TIMEOUT_MS / 1000},
    )
    event.listen(engine, "connect", _on_connect)
    event.listen(engine, "begin", _on_begin)
    return engine


def writer(engine: Engine) -> Engine:
    """The same engine (same pool) whose transactions begin IMMEDIATE."""
    return engine.execution_options(**{WRITE_OPTION: True})
