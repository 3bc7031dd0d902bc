"""The store: sessions that audit every change, read and write transactions, migrations at open.

Opening a current SQLite file and reading the dashboard's first rows need no SQLAlchemy: the schema
revision is one plain query, and hand-written reads (Store.rows) go through the driver's own
connections. The engine, the ORM and alembic are made or imported on first use.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from datetime import UTC, datetime
from functools import cached_property
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeAlias

from trivsel_tui.store.db import driver_connection, make_engine, try_maintenance, writer
from trivsel_tui.store.dialect import POSTGRES, ChangeListener, shown_url
from trivsel_tui.store.guard import check_database_file, remember_healthy
from trivsel_tui.store.revisions import head_revision

if TYPE_CHECKING:
    from sqlalchemy import Connection, Engine
    from sqlalchemy.engine import URL
    from sqlalchemy.orm import sessionmaker

    from trivsel_tui.store.session import StoreSession
    from trivsel_tui.store.types import Progress


def utc_now() -> datetime:
    return datetime.now(UTC)


# A SQLite file, or a team database on PostgreSQL (store.dialect.parse_url). A string, so that the
# annotation needs no SQLAlchemy at run time.
Location: TypeAlias = "Path | URL"


class Store:
    def __init__(
        self, location: Location, actor: str, clock: Callable[[], datetime] = utc_now, key: str | None = None
    ) -> None:
        self.path = location if isinstance(location, Path) else None
        self.url = None if isinstance(location, Path) else location
        self.actor = actor
        self.clock = clock
        self.key = key  # the SQLCipher passphrase of an encrypted file; None for a plain one
        self.read_only = check_database_file(location, key).read_only if isinstance(location, Path) else False
        self.backup_made: Path | None = None
        self._listener: ChangeListener | None = None
        self.last_change_seen: int | None = None  # store.dashboard.last_change
        self.has_search_index: bool | None = None  # store.search_index.has_index
        self._idle: list[Any] | None = []  # driver connections to the SQLite file, for Store.rows; None: closed
        self._idle_lock = threading.Lock()
        self._shared = threading.local()  # PostgreSQL: the connection this thread's reads share (shared_reads)

    @cached_property
    def engine(self) -> Engine:
        """SQLAlchemy's engine, made on first use: a current SQLite file's first rows are read without it."""
        if self.path is not None:
            return make_engine(self.path, self.read_only, self.key)
        from trivsel_tui.store.dialect import make_postgres_engine

        assert self.url is not None
        return make_postgres_engine(self.url)

    @property
    def dialect_name(self) -> str:
        """'sqlite' or 'postgresql' (store.dialect), known without making the engine."""
        return "sqlite" if self.path is not None else POSTGRES

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
            if store.path is None or store._file_revision() != head_revision():  # alembic only for work
                from trivsel_tui.store.migrate import migrate

                store.backup_made = migrate(
                    store.engine, store.path, clock, store.read_only, progress, key, store.where
                )
            if store.url is not None:
                from trivsel_tui.store.dialect import database_login

                with store.engine.connect() as connection:
                    store.actor = database_login(connection) or actor
            if store.path is not None:
                store._gather_statistics_if_missing(store.path)
        except BaseException:
            store._dispose()
            raise
        return store

    def _file_revision(self) -> str | None:
        """The SQLite file's schema revision, in one plain query (None for a new file)."""
        if not self.fetch("SELECT 1 FROM sqlite_master WHERE name = 'alembic_version'"):
            return None
        found = self.fetch("SELECT version_num FROM alembic_version")
        return str(found[0][0]) if found else None

    def _gather_statistics_if_missing(self, path: Path) -> None:
        """Without table statistics SQLite picks slow plans for the dashboard; opening never waits for them.
        (PostgreSQL's autovacuum gathers its own.)"""
        has_stats = self.fetch("SELECT 1 FROM sqlite_master WHERE name = 'sqlite_stat1'")
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
    def rows(self, sql: str, params: Mapping[str, Any] | None = None) -> Iterator[Iterator[Sequence[Any]]]:
        """The rows of a hand-written read (the dashboard's SQL), fetched a thousand at a time as they are
        read. One SQL text for both databases, with :name parameters. On SQLite through a connection of
        the driver itself: neither SQLAlchemy's import nor its row objects stand between the file and the
        first rows. On PostgreSQL through the engine (text() gives psycopg its parameter style)."""
        if self.path is None:
            from sqlalchemy import text

            with self._postgres_connection() as connection:
                result = connection.execution_options(yield_per=1000).execute(text(sql), dict(params or {}))
                yield iter(result)
            return
        connection = self._borrow()
        try:
            cursor = connection.execute(sql, dict(params or {}))
            try:
                yield (row for rows in iter(lambda: cursor.fetchmany(1000), []) for row in rows)
            finally:
                cursor.close()
        finally:
            self._give_back(connection)  # also after a failed statement: the connection itself is fine

    def fetch(self, sql: str, params: Mapping[str, Any] | None = None) -> list[Sequence[Any]]:
        """Every row of a hand-written read (see rows). On PostgreSQL without a server-side cursor: it costs
        three round trips to the server (declare, fetch, close) for rows that are all wanted at once."""
        if self.path is None:
            from sqlalchemy import text

            with self._postgres_connection() as connection:
                return list(connection.execute(text(sql), dict(params or {})))
        with self.rows(sql, params) as found:
            return list(found)

    @contextmanager
    def shared_reads(self) -> Iterator[None]:
        """The reads inside (rows, fetch) share one connection and transaction on PostgreSQL: each read's
        own would cost round trips to the server (the pool's ping, BEGIN, ROLLBACK), which add up on a
        dashboard keystroke. SQLite keeps its pool of driver connections."""
        if self.path is not None or getattr(self._shared, "connection", None) is not None:
            yield
            return
        with self.engine.connect() as connection:
            self._shared.connection = connection
            try:
                yield
            finally:
                self._shared.connection = None

    @contextmanager
    def _postgres_connection(self) -> Iterator[Connection]:
        shared = getattr(self._shared, "connection", None)
        if shared is not None:
            yield shared
            return
        with self.engine.connect() as connection:
            yield connection

    def _borrow(self) -> Any:
        with self._idle_lock:
            if self._idle:  # None once closed: a late read (a worker) still gets its own connection
                return self._idle.pop()
        assert self.path is not None
        return driver_connection(self.path, self.read_only, self.key)

    def _give_back(self, connection: Any) -> None:
        # Kept open for the next read: its page cache and parsed schema make the next keystroke cheaper.
        with self._idle_lock:
            if self._idle is not None:
                self._idle.append(connection)
                return
        connection.close()

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

    def _dispose(self) -> None:
        if "engine" in self.__dict__:  # made only if something needed it
            self.engine.dispose()
        with self._idle_lock:
            idle, self._idle = self._idle or [], None
        for connection in idle:
            connection.close()

    def close(self) -> None:
        self._dispose()
        if self._listener is not None:
            self._listener.close()
        if self.path is None:
            return
        # SQLite's advice for long-lived apps: let it refresh statistics that have gone stale, on close.
        if not self.read_only:
            try_maintenance(self.path, "PRAGMA optimize", self.key)
        remember_healthy(self.path)
