"""The store: sessions that audit every change, read and write transactions, migrations at open."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from functools import cached_property
from pathlib import Path
from typing import TYPE_CHECKING, Any

from sqlalchemy import Connection
from sqlalchemy.engine import URL

from trivsel_tui.store.db import make_engine, try_maintenance, writer
from trivsel_tui.store.dialect import ChangeListener, database_login, make_postgres_engine, shown_url
from trivsel_tui.store.guard import check_database_file, remember_healthy
from trivsel_tui.store.migrate import migrate
from trivsel_tui.store.types import Progress

if TYPE_CHECKING:
    from sqlalchemy.orm import sessionmaker

    from trivsel_tui.store.session import StoreSession


def utc_now() -> datetime:
    return datetime.now(UTC)


Location = Path | URL  # a SQLite file, or a team database on PostgreSQL (store.dialect.parse_url)


class Store:
    def __init__(
        self, location: Location, actor: str, clock: Callable[[], datetime] = utc_now, key: str | None = None
    ) -> None:
        self.path = location if isinstance(location, Path) else None
        self.url = location if isinstance(location, URL) else None
        self.actor = actor
        self.clock = clock
        self.key = key  # the SQLCipher passphrase of an encrypted file; None for a plain one
        if isinstance(location, Path):
            self.read_only = check_database_file(location, key).read_only
            self.engine = make_engine(location, self.read_only, key)
        else:
            self.read_only = False
            self.engine = make_postgres_engine(location)
        self.backup_made: Path | None = None
        self._listener: ChangeListener | None = None
        self.last_change_seen: int | None = None  # store.dashboard.last_change

    @property
    def where(self) -> str:
        """Which database, as the user may see it (a PostgreSQL URL without its password)."""
        return str(self.path) if self.path is not None else shown_url(self.url or "")

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
        location: Location,
        actor: str,
        clock: Callable[[], datetime] = utc_now,
        progress: Progress | None = None,
        key: str | None = None,
    ) -> Store:
        """Open (creating if needed) and migrate to the current schema, backing up an older file first."""
        store = cls(location, actor, clock, key)
        try:
            store.backup_made = migrate(store.engine, store.path, clock, store.read_only, progress, key, store.where)
            if store.url is not None:
                with store.engine.connect() as connection:
                    store.actor = database_login(connection) or actor
            if store.path is not None:
                store._gather_statistics_if_missing(store.path)
        except BaseException:
            store.engine.dispose()
            raise
        return store

    def _gather_statistics_if_missing(self, path: Path) -> None:
        """Without table statistics SQLite picks slow plans for the dashboard; opening never waits for them.
        (PostgreSQL's autovacuum gathers its own.)"""
        with self.engine.connect() as connection:
            has_stats = connection.exec_driver_sql("SELECT 1 FROM sqlite_master WHERE name = 'sqlite_stat1'").first()
        if not has_stats and not self.read_only:
            try_maintenance(path, "ANALYZE", self.key)

    def refresh_statistics(self) -> None:
        """After a large write (the demo generator): fresh statistics, and the WAL folded back and truncated."""
        with writer(self.engine).connect() as connection:
            connection.exec_driver_sql("ANALYZE")
            connection.commit()
        if self.path is not None:
            try_maintenance(self.path, "PRAGMA wal_checkpoint(TRUNCATE)", self.key)

    def may_have_changed(self) -> bool:
        """False only when certain that nobody changed anything since the last call: on PostgreSQL a
        LISTEN connection hears every commit, without a query; SQLite has to look (store.dashboard)."""
        if self.url is None:
            return True
        if self._listener is None:
            self._listener = ChangeListener(self.url)
            return True
        return self._listener.changed()

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
        if self._listener is not None:
            self._listener.close()
        if self.path is None:
            return
        # SQLite's advice for long-lived apps: let it refresh statistics that have gone stale, on close.
        if not self.read_only:
            try_maintenance(self.path, "PRAGMA optimize", self.key)
        remember_healthy(self.path)
