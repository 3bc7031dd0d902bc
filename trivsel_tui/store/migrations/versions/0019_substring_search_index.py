"""A substring (trigram) index for the dashboard's search (store/search_index.py): a search that matches few
rows finds them through the index instead of reading every open task.

- SQLite: two contentless FTS5 tables with the trigram tokenizer over the stored search keys:
  task_search_index (the open tasks' title and owner) and case_search_index (every case's ref and affected
  person). Contentless: they keep no copy of the text (only the index), and triggers keep them in step
  with every insert, update and delete, with the old values a contentless table needs to delete a row.
  An SQLite built without FTS5 or without the trigram tokenizer (older than 3.34) gets no index; the
  search then reads every open task, as before.
- PostgreSQL: pg_trgm GIN indexes on the same columns, kept in step by the server. A server where the
  app's role may not create the pg_trgm extension gets no index (and a warning); the search is then a
  plain LIKE, correct but slower. The indexes can be added later by a role that may (see the README).

Every row is kept; only indexes are added. Downgrade drops them (the pg_trgm extension itself stays).

Revision ID: 0019
Revises: 0018
"""

import logging

import sqlalchemy as sa
from alembic import op

revision = "0019"
down_revision = "0018"
branch_labels = None
depends_on = None

log = logging.getLogger(__name__)

# Index name → (table, indexed columns, the column that must be NULL for a row to be indexed). Written out
# here, not imported: a migration must keep meaning what it meant when it was written.
TRIGRAM = "trigram case_sensitive 1"  # the keys are case-folded already: compare them as they are
SQLITE_INDEXES = {
    "task_search_index": ("task", ("title_search", "owner_search"), "done_at"),  # open tasks only
    "case_search_index": ('"case"', ("ref", "affected_person_search"), None),
}
POSTGRES_INDEXES = {
    "ix_task_open_search": ("task", ("title_search", "owner_search"), "done_at"),
    "ix_case_search": ('"case"', ("ref", "affected_person_search"), None),
}


def upgrade() -> None:
    bind = op.get_bind()
    if bind.dialect.name == "postgresql":
        _postgres_upgrade(bind)
    elif _sqlite_has_trigram(bind):
        for name, (table, columns, unless) in SQLITE_INDEXES.items():
            _sqlite_index(name, table, columns, unless)
    else:
        log.warning("SQLite without FTS5 trigram: the dashboard's search reads every open task")


def downgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        for name in POSTGRES_INDEXES:
            op.execute(f"DROP INDEX IF EXISTS {name}")
        return
    for name in SQLITE_INDEXES:
        for event in ("insert", "update", "delete"):
            op.execute(f"DROP TRIGGER IF EXISTS {name}_{event}")
        op.execute(f"DROP TABLE IF EXISTS {name}")


def _sqlite_has_trigram(bind: sa.Connection) -> bool:
    try:
        bind.exec_driver_sql(f"CREATE VIRTUAL TABLE temp.trigram_probe USING fts5(x, tokenize='{TRIGRAM}')")
    except sa.exc.DBAPIError:
        return False
    bind.exec_driver_sql("DROP TABLE temp.trigram_probe")
    return True


def _where(unless: str | None, row: str = "") -> str:
    return f" WHERE {row}{unless} IS NULL" if unless else ""


def _sqlite_index(name: str, table: str, columns: tuple[str, ...], unless: str | None) -> None:
    """The FTS5 table, filled from `table`, and the triggers that keep it so."""
    listed = ", ".join(columns)

    def values(row: str) -> str:
        return ", ".join(f"{row}.{column}" for column in columns)

    add = f"INSERT INTO {name}(rowid, {listed}) SELECT new.id, {values('new')}{_where(unless, 'new.')};"
    # A contentless table deletes a row by being told the exact values it indexed.
    command = f"INSERT INTO {name}({name}, rowid, {listed}) SELECT 'delete'"
    remove = f"{command}, old.id, {values('old')}{_where(unless, 'old.')};"
    watched = ", ".join((*columns, unless) if unless else columns)
    op.execute(f"CREATE VIRTUAL TABLE {name} USING fts5({listed}, content='', tokenize='{TRIGRAM}')")
    op.execute(f"INSERT INTO {name}(rowid, {listed}) SELECT id, {listed} FROM {table}{_where(unless)}")
    op.execute(f"CREATE TRIGGER {name}_insert AFTER INSERT ON {table} BEGIN {add} END")
    op.execute(f"CREATE TRIGGER {name}_update AFTER UPDATE OF {watched} ON {table} BEGIN {remove} {add} END")
    op.execute(f"CREATE TRIGGER {name}_delete AFTER DELETE ON {table} BEGIN {remove} END")


def _postgres_upgrade(bind: sa.Connection) -> None:
    if not _postgres_extension(bind, "pg_trgm"):
        log.warning("pg_trgm is not available to this role: the dashboard's search reads every open task")
        return
    for name, (table, columns, unless) in POSTGRES_INDEXES.items():
        operators = ", ".join(f"{column} gin_trgm_ops" for column in columns)
        op.execute(f"CREATE INDEX {name} ON {table} USING gin ({operators}){_where(unless)}")


def _postgres_extension(bind: sa.Connection, extension: str) -> bool:
    """Create the extension if this role may; a refusal rolls back only its own savepoint."""
    try:
        with bind.begin_nested():
            bind.exec_driver_sql(f"CREATE EXTENSION IF NOT EXISTS {extension}")
    except sa.exc.DBAPIError:
        return False
    return True
