"""The store: sessions that audit every change, read and write transactions, migrations at open."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from functools import cached_property
from pathlib import Path
from typing import TYPE_CHECKING, Any

from sqlalchemy import Connection

from trivsel_tui.store.db import make_engine, try_maintenance, writer
from trivsel_tui.store.guard import check_database_file, remember_healthy
from trivsel_tui.store.migrate import migrate
from trivsel_tui.store.types import Progress

if TYPE_CHECKING:
    from sqlalchemy.orm import sessionmaker

    from trivsel_tui.store.session import StoreSession


def utc_now() -> datetime:
    return datetime.now(UTC)


class Store:
    def __init__(self, path: Path, actor: str, clock: Callable[[], datetime] = utc_now, key: str | None = None) -> None:
        self.path = path
        self.actor = actor
        self.clock = clock
        self.key = key  # the SQLCipher passphrase of an encrypted file; None for a plain one
        self.read_only = check_database_file(path, key).read_only
        self.engine = make_engine(path, self.read_only, key)
        self.backup_made: Path | None = None

    @cached_property
    def _sessions(self) -> tuple[sessionmaker[StoreSession], sessionmaker[StoreSession]]:
        """Reader and writer session factories, made on the first ORM call (importing the ORM is slow)."""
        from sqlalchemy.orm import sessionmaker

        from trivsel_tui.store.session import StoreSession

        options: dict[str, Any] = {"class_": StoreSession, "expire_on_commit": False}
        options["info"] = {"actor": self.actor, "clock": self.clock}
        return sessionmaker(bind=self.engine, **options), sessionmaker(bind=writer(self.engine), **options)

    @classmethod
    def open(
        cls,
        path: Path,
        actor: str,
        clock: Callable[[], datetime] = utc_now,
        progress: Progress | None = None,
        key: str | None = None,
    ) -> Store:
        """Open (creating if needed) and migrate to the current schema, backing up an older file first."""
        store = cls(path, actor, clock, key)
        try:
            store.backup_made = migrate(store.engine, path, clock, store.read_only, progress, key)
            store._gather_statistics_if_missing()
        except BaseException:
            store.engine.dispose()
            raise
        return store

    def _gather_statistics_if_missing(self) -> None:
        """Without table statistics SQLite picks slow plans for the dashboard; opening never waits for them."""
        with self.engine.connect() as connection:
            has_stats = connection.exec_driver_sql("SELECT 1 FROM sqlite_master WHERE name = 'sqlite_stat1'").first()
        if not has_stats and not self.read_only:
            try_maintenance(self.path, "ANALYZE", self.key)

    def refresh_statistics(self) -> None:
        """After a large write (the demo generator): fresh statistics, and the WAL folded back and truncated."""
        with writer(self.engine).connect() as connection:
            connection.exec_driver_sql("ANALYZE")
            connection.commit()
        try_maintenance(self.path, "PRAGMA wal_checkpoint(TRUNCATE)", self.key)

    @contextmanager
    def connect(self) -> Iterator[Connection]:
        """A plain Core connection for reading: no ORM, so the dashboard's first rows need none."""
        with self.engine.connect() as connection:
            yield connection

    @contextmanager
    def read(self) -> Iterator[StoreSession]:
        with self._sessions[0]() as session:
            yield session

    @contextmanager
    def write(self) -> Iterator[StoreSession]:
        """One transaction (BEGIN IMMEDIATE); commits on success, rolls back on any error."""
        with self._sessions[1]() as session, session.begin():
            yield session

    def close(self) -> None:
        self.engine.dispose()
        # SQLite's advice for long-lived apps: let it refresh statistics that have gone stale, on close.
        if not self.read_only:
            try_maintenance(self.path, "PRAGMA optimize", self.key)
        remember_healthy(self.path)
