"""Everything that differs between SQLite (one consultant's file) and PostgreSQL (a team's shared database).

The rest of the store writes portable SQL; where the two databases really differ, it asks this module.
SQLAlchemy is imported where it is used: the dashboard builds its SQL text here before it is loaded.
"""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

from trivsel_tui.locations import resolve_db_target
from trivsel_tui.store.db import compact_json

if TYPE_CHECKING:
    from sqlalchemy import Engine
    from sqlalchemy.engine import URL

POSTGRES = "postgresql"
DRIVER = "postgresql+psycopg"  # psycopg 3; a plain postgresql:// URL is read as this
CONNECT_TIMEOUT_S = 10  # an unreachable server is a message after ten seconds, not a hang


class DatabaseUrlError(ValueError):
    """A --db-url that is not a PostgreSQL URL."""


def dialect_name(bind: Any) -> str:
    """'sqlite' or 'postgresql', for an engine, a connection, alembic's op.get_bind() or the name itself
    (Store.dialect_name: the dashboard's SQL is built without SQLAlchemy on SQLite)."""
    return bind if isinstance(bind, str) else str(bind.dialect.name)


def is_postgres(bind: Any) -> bool:
    return dialect_name(bind) == POSTGRES


def parse_url(text: str) -> URL:
    """postgresql:// or postgresql+psycopg:// → the psycopg 3 URL; anything else is refused."""
    from sqlalchemy.engine import make_url
    from sqlalchemy.exc import ArgumentError

    try:
        url = make_url(text.strip())
    except ArgumentError as exc:
        raise DatabaseUrlError(text) from exc
    if url.get_backend_name() != POSTGRES or url.get_driver_name() not in ("psycopg", "psycopg2"):
        raise DatabaseUrlError(text)
    return url.set(drivername=DRIVER)


def resolve_location(db: Path | None, db_url: str | None, configured_url: str = "") -> Path | URL:
    """The database to open (locations.resolve_db_target), a URL checked and read."""
    target = resolve_db_target(db, db_url, configured_url)
    return target if isinstance(target, Path) else parse_url(target)


def shown_url(url: URL | str) -> str:
    """The URL as the user may see it: never the password."""
    from sqlalchemy.engine import make_url

    return make_url(url).render_as_string(hide_password=True) if url else ""


def make_postgres_engine(url: URL) -> Engine:
    # pre_ping: a team server restarts now and then; a stale pooled connection must not become an error.
    from sqlalchemy import create_engine

    connect_args = {"connect_timeout": CONNECT_TIMEOUT_S}
    return create_engine(url, json_serializer=compact_json, pool_pre_ping=True, connect_args=connect_args)


def is_unique_violation(error: Exception, table: str, column: str) -> bool:
    """An IntegrityError from a unique index on table.column: PostgreSQL names the index,
    SQLite writes "UNIQUE constraint failed: table.column"."""
    original = getattr(error, "orig", error)
    constraint = getattr(getattr(original, "diag", None), "constraint_name", None)
    if constraint is not None:
        return constraint in (f"ix_{table}_{column}", f"{table}_{column}_key")
    return f"{table}.{column}" in str(original)


def database_login(bind: Any) -> str | None:
    """On PostgreSQL, who is logged in: the audit log's actor is the database role, not a settings name."""
    if not is_postgres(bind):
        return None
    from sqlalchemy import text

    return str(bind.execute(text("SELECT current_user")).scalar_one())


def lock_case_numbers(bind: Any) -> None:
    """Serialise drawing case numbers until the transaction ends. SQLite's writers already queue
    (BEGIN IMMEDIATE); on PostgreSQL two consultants would otherwise both read the same max()."""
    if is_postgres(bind):
        from sqlalchemy import text

        bind.execute(text("SELECT pg_advisory_xact_lock(hashtext('trivsel case numbers'))"))


def vacuum(engine: Engine) -> None:
    """Free the space of deleted rows (after kassation). Runs outside a transaction on both databases."""
    if is_postgres(engine):
        with engine.connect().execution_options(isolation_level="AUTOCOMMIT") as connection:
            connection.exec_driver_sql("VACUUM")
        return
    raw = engine.raw_connection()  # VACUUM cannot run inside the transaction SQLAlchemy begins
    try:
        raw.driver_connection.execute("VACUUM")  # type: ignore[union-attr]
        raw.driver_connection.execute("PRAGMA wal_checkpoint(TRUNCATE)")  # type: ignore[union-attr]
    finally:
        raw.close()


# --- SQL the dashboard's hand-written queries need -------------------------------------------------


def fixed_join(bind: Any) -> str:
    """SQLite's CROSS JOIN … ON keeps the written join order (a planner hint); PostgreSQL has no such form."""
    return "JOIN" if is_postgres(bind) else "CROSS JOIN"


def plus_months(bind: Any, day: str, months_param: str) -> str:
    """The calendar day `months_param` months after the date or timestamp `day`, as a date."""
    if is_postgres(bind):
        return f"CAST(CAST({day} AS DATE) + make_interval(months => CAST(:{months_param} AS INTEGER)) AS DATE)"
    return f"date({day}, '+' || :{months_param} || ' months')"


def plus_hours(bind: Any, moment: str, hours_param: str) -> str:
    """The timestamp `hours_param` hours after the timestamp `moment`."""
    if is_postgres(bind):
        return f"({moment} + make_interval(hours => CAST(:{hours_param} AS INTEGER)))"
    return f"datetime({moment}, '+' || :{hours_param} || ' hours')"


def stored_utc(value: Any) -> datetime:
    """A timestamp read from a hand-written query: SQLite gives its stored text (naive UTC), PostgreSQL a
    naive datetime. Parsed with its offset: six times faster than replace(tzinfo=…) at 100k rows."""
    if isinstance(value, datetime):
        return value.replace(tzinfo=UTC)
    return datetime.fromisoformat(f"{value}+00:00")


# --- Schema pieces that only one database can express --------------------------------------------


CHANGES_CHANNEL = "trivsel_changes"


def create_change_notice(bind: Any) -> None:
    """PostgreSQL: every committed change (it writes the audit log) notifies the dashboards listening."""
    if not is_postgres(bind):
        return
    bind.exec_driver_sql(
        "CREATE OR REPLACE FUNCTION audit_entry_notify() RETURNS trigger LANGUAGE plpgsql AS"
        f" $$BEGIN PERFORM pg_notify('{CHANGES_CHANNEL}', ''); RETURN NULL; END$$"
    )
    bind.exec_driver_sql(
        "CREATE TRIGGER audit_entry_notify AFTER INSERT ON audit_entry"
        " FOR EACH STATEMENT EXECUTE FUNCTION audit_entry_notify()"
    )


class ChangeListener:
    """A PostgreSQL connection that LISTENs for changes: asking whether there were any costs no query."""

    def __init__(self, url: URL) -> None:
        import psycopg

        conninfo = url.set(drivername=POSTGRES).render_as_string(hide_password=False)
        self._connection = psycopg.connect(conninfo, autocommit=True, connect_timeout=CONNECT_TIMEOUT_S)
        self._connection.execute(f"LISTEN {CHANGES_CHANNEL}")

    def changed(self) -> bool:
        """Whether anyone committed a change since the last call (reads what has arrived, never waits)."""
        return any(True for _ in self._connection.notifies(timeout=0))

    def close(self) -> None:
        self._connection.close()


def create_day_bound_function(bind: Any) -> None:
    """local_day_bound_utc(day, end) in SQL: SQLite gets it as a Python function on every connection
    (store.db); PostgreSQL keeps it in the schema. 00:00 or 23:59 Copenhagen time, as naive UTC."""
    if not is_postgres(bind):
        return
    bind.exec_driver_sql(
        "CREATE OR REPLACE FUNCTION local_day_bound_utc(day date, is_end integer) RETURNS timestamp"
        " LANGUAGE sql IMMUTABLE AS $$ SELECT ((day + CASE WHEN is_end = 1 THEN time '23:59' ELSE time '00:00' END)"
        " AT TIME ZONE 'Europe/Copenhagen') AT TIME ZONE 'UTC' $$"
    )


def advance_sequences(bind: Any) -> None:
    """After rows were inserted with explicit ids (demo data, migrate-to), the next id follows the highest one."""
    if not is_postgres(bind):
        return  # SQLite's rowids already do
    from sqlalchemy import text

    serials = bind.execute(
        text(
            "SELECT table_name, column_name FROM information_schema.columns"
            " WHERE table_schema = current_schema() AND column_default LIKE 'nextval(%'"
        )
    ).all()
    for table, column in serials:
        bind.exec_driver_sql(
            f"SELECT setval(pg_get_serial_sequence('\"{table}\"', '{column}'), COALESCE(max({column}), 0) + 1, false)"
            f' FROM "{table}"'
        )
