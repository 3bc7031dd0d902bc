"""The audit log's append-only guards: triggers that refuse any UPDATE or DELETE of an entry.

SQLite raises from the trigger itself; PostgreSQL calls a plpgsql function that raises. Only a data
migration that rewrites the log itself (sealing its values, 0011 and 0015) lifts them, for that rewrite
alone; `trivsel check` verifies that they are in place. Each function takes an engine, a connection or
alembic's op.get_bind().
"""

from __future__ import annotations

from typing import Any

from trivsel_tui.store.dialect import is_postgres

MESSAGE = "audit_entry is append-only"
GUARDS = {
    "audit_entry_no_update": "BEFORE UPDATE",
    "audit_entry_no_delete": "BEFORE DELETE",
}


def restore(bind: Any) -> None:
    if is_postgres(bind):
        bind.exec_driver_sql(
            "CREATE OR REPLACE FUNCTION audit_entry_append_only() RETURNS trigger LANGUAGE plpgsql AS"
            f" $$BEGIN RAISE EXCEPTION '{MESSAGE}'; END$$"
        )
        for name, when in GUARDS.items():
            bind.exec_driver_sql(
                f"CREATE TRIGGER {name} {when} ON audit_entry FOR EACH ROW EXECUTE FUNCTION audit_entry_append_only()"
            )
        return
    for name, when in GUARDS.items():
        bind.exec_driver_sql(f"CREATE TRIGGER {name} {when} ON audit_entry BEGIN SELECT RAISE(ABORT, '{MESSAGE}'); END")


def lift(bind: Any) -> None:
    on_table = " ON audit_entry" if is_postgres(bind) else ""
    for name in GUARDS:
        bind.exec_driver_sql(f"DROP TRIGGER IF EXISTS {name}{on_table}")


def present(bind: Any) -> set[str]:
    """The guards' names that exist now."""
    if is_postgres(bind):
        sql = "SELECT tgname FROM pg_trigger WHERE tgrelid = 'audit_entry'::regclass AND NOT tgisinternal"
    else:
        sql = "SELECT name FROM sqlite_master WHERE type = 'trigger' AND tbl_name = 'audit_entry'"
    return {row[0] for row in bind.exec_driver_sql(sql)}
