"""A substring (trigram) index for the dashboard's search (store/search_index.py): a search that matches few
rows finds them through the index instead of reading every open task.

Two index tables, the same on both databases: task_search_index (the open tasks' title and owner search
keys) and case_search_index (every case's ref and affected person's search key), each row under its
source row's id, kept in step with every insert, update and delete of the source by triggers.

- SQLite: contentless FTS5 tables with the trigram tokenizer. Contentless: they keep no copy of the text,
  only the index; a row is deleted by telling the table the exact values it indexed (the triggers pass
  the old row's). An SQLite built without FTS5 or its trigram tokenizer (before 3.34) gets no index
  tables; the search then reads every open task, as before.
- PostgreSQL: narrow plain tables with pg_trgm GIN indexes (a GIN trigram match must be checked against
  the row, and the task table's rows are wide). A role that may not create the pg_trgm extension gets
  the tables without the GIN indexes: the search still reads only the narrow table. The trigger
  function runs as the tables' owner, and the roles that may read `task` may read the index tables.

Every row is kept; only index tables are added. Downgrade drops them (the pg_trgm extension stays).

Revision ID: 0020
Revises: 0019
"""

import logging

import sqlalchemy as sa
from alembic import op

revision = "0020"
down_revision = "0019"
branch_labels = None
depends_on = None

log = logging.getLogger(__name__)

# Index table → (source table, indexed columns, the column that must be NULL for a row to be indexed).
# Written out here, not imported: a migration must keep meaning what it meant when it was written.
INDEXES = {
    "task_search_index": ("task", ("title_search", "owner_search"), "done_at"),  # open tasks only
    "case_search_index": ('"case"', ("ref", "affected_person_search"), None),
}
TRIGRAM = "trigram case_sensitive 1"  # the keys are case-folded already: compare them as they are


def upgrade() -> None:
    bind = op.get_bind()
    if bind.dialect.name == "postgresql":
        trigrams = _postgres_extension(bind, "pg_trgm")
        if not trigrams:
            log.warning("pg_trgm is not available to this role: the dashboard's search has no trigram index")
        for name, (table, columns, unless) in INDEXES.items():
            _postgres_index(name, table, columns, unless, trigrams)
    elif _sqlite_has_trigram(bind):
        for name, (table, columns, unless) in INDEXES.items():
            _sqlite_index(name, table, columns, unless)
    else:
        log.warning("SQLite without FTS5 trigram: the dashboard's search reads every open task")


def downgrade() -> None:
    postgres = op.get_bind().dialect.name == "postgresql"
    for name, (table, _columns, _unless) in INDEXES.items():
        if postgres:
            op.execute(f"DROP TRIGGER IF EXISTS {name}_sync ON {table}")
            op.execute(f"DROP FUNCTION IF EXISTS {name}_sync()")
        else:
            for event in ("insert", "update", "delete"):
                op.execute(f"DROP TRIGGER IF EXISTS {name}_{event}")
        op.execute(f"DROP TABLE IF EXISTS {name}")


def _where(unless: str | None, row: str = "") -> str:
    return f" WHERE {row}{unless} IS NULL" if unless else ""


def _watched(columns: tuple[str, ...], unless: str | None) -> str:
    return ", ".join((*columns, unless) if unless else columns)


def _sqlite_has_trigram(bind: sa.Connection) -> bool:
    try:
        bind.exec_driver_sql(f"CREATE VIRTUAL TABLE temp.trigram_probe USING fts5(x, tokenize='{TRIGRAM}')")
    except sa.exc.DBAPIError:
        return False
    bind.exec_driver_sql("DROP TABLE temp.trigram_probe")
    return True


def _sqlite_index(name: str, table: str, columns: tuple[str, ...], unless: str | None) -> None:
    """The FTS5 table, filled from `table`, and the triggers that keep it so."""
    listed = ", ".join(columns)

    def values(row: str) -> str:
        return ", ".join(f"{row}.{column}" for column in columns)

    add = f"INSERT INTO {name}(rowid, {listed}) SELECT new.id, {values('new')}{_where(unless, 'new.')};"
    # A contentless table deletes a row by being told the exact values it indexed.
    command = f"INSERT INTO {name}({name}, rowid, {listed}) SELECT 'delete'"
    remove = f"{command}, old.id, {values('old')}{_where(unless, 'old.')};"
    op.execute(f"CREATE VIRTUAL TABLE {name} USING fts5({listed}, content='', tokenize='{TRIGRAM}')")
    op.execute(f"INSERT INTO {name}(rowid, {listed}) SELECT id, {listed} FROM {table}{_where(unless)}")
    op.execute(f"CREATE TRIGGER {name}_insert AFTER INSERT ON {table} BEGIN {add} END")
    watched = _watched(columns, unless)
    op.execute(f"CREATE TRIGGER {name}_update AFTER UPDATE OF {watched} ON {table} BEGIN {remove} {add} END")
    op.execute(f"CREATE TRIGGER {name}_delete AFTER DELETE ON {table} BEGIN {remove} END")


def _postgres_index(name: str, table: str, columns: tuple[str, ...], unless: str | None, trigrams: bool) -> None:
    """The narrow table, filled from `table`, its trigger, its GIN index if pg_trgm is there, and the same
    readers as `table`."""
    listed = ", ".join(columns)
    typed = ", ".join(f"{column} VARCHAR NOT NULL" for column in columns)
    op.execute(f"CREATE TABLE {name} (id INTEGER PRIMARY KEY, {typed})")
    op.execute(f"INSERT INTO {name} (id, {listed}) SELECT id, {listed} FROM {table}{_where(unless)}")
    kept = f"NEW.{unless} IS NULL" if unless else "TRUE"
    new = ", ".join(f"NEW.{column}" for column in columns)
    # SECURITY DEFINER: a consultant's role that may write `task` need not be granted the index table.
    op.execute(f"""CREATE FUNCTION {name}_sync() RETURNS trigger LANGUAGE plpgsql
        SECURITY DEFINER SET search_path FROM CURRENT AS $$
        BEGIN
            IF TG_OP <> 'INSERT' THEN DELETE FROM {name} WHERE id = OLD.id; END IF;
            IF TG_OP <> 'DELETE' AND {kept} THEN INSERT INTO {name} (id, {listed}) VALUES (NEW.id, {new}); END IF;
            RETURN NULL;
        END $$""")
    op.execute(f"""CREATE TRIGGER {name}_sync AFTER INSERT OR DELETE OR UPDATE OF {_watched(columns, unless)}
        ON {table} FOR EACH ROW EXECUTE FUNCTION {name}_sync()""")
    if trigrams:
        operators = ", ".join(f"{column} gin_trgm_ops" for column in columns)
        op.execute(f"CREATE INDEX ix_{name} ON {name} USING gin ({operators})")
    source = table.strip('"')
    op.execute(f"""DO $$ DECLARE reader record; BEGIN
        FOR reader IN SELECT DISTINCT grantee FROM information_schema.role_table_grants
            WHERE table_name = '{source}' AND privilege_type = 'SELECT' AND grantee <> current_user
        LOOP EXECUTE 'GRANT SELECT ON {name} TO '
            || CASE WHEN reader.grantee = 'PUBLIC' THEN 'PUBLIC' ELSE quote_ident(reader.grantee) END;
        END LOOP;
    END $$""")


def _postgres_extension(bind: sa.Connection, extension: str) -> bool:
    """Create the extension if this role may; a refusal rolls back only its own savepoint."""
    try:
        with bind.begin_nested():
            bind.exec_driver_sql(f"CREATE EXTENSION IF NOT EXISTS {extension}")
    except sa.exc.DBAPIError:
        return False
    return True
