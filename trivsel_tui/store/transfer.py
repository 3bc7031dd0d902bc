"""Copy a consultant's SQLite database into an empty team database (`trivsel migrate-to URL`).

Every table the schema knows, in foreign-key order, rows as they are (ids, audit log, sealed values);
one transaction on the team database, so a failed copy leaves it empty. Then the counts are compared
table by table and the id sequences moved past the copied ids.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from sqlalchemy import func, select

from trivsel_tui.store.db import writer
from trivsel_tui.store.dialect import advance_sequences
from trivsel_tui.store.store import Store
from trivsel_tui.texts import t

if TYPE_CHECKING:
    from sqlalchemy import Connection, Table

BATCH = 2000


class TransferError(RuntimeError):
    """The team database is not empty, or the copy does not match; the message (Danish) says which."""


def _tables() -> list[Table]:
    from sqlmodel import SQLModel

    from trivsel_tui.store import models  # noqa: F401  (registers the tables on the metadata)

    return list(SQLModel.metadata.sorted_tables)


def _counts(connection: Connection, tables: list[Table]) -> dict[str, int]:
    return {
        table.name: int(connection.execute(select(func.count()).select_from(table)).scalar_one()) for table in tables
    }


def copy_database(source: Store, target: Store, progress: Callable[[str, int], None] | None = None) -> dict[str, int]:
    """Copy every row of `source` into the empty `target` (both at the current schema). Returns the counts."""
    tables = _tables()
    with target.connect() as connection:
        filled = [name for name, count in _counts(connection, tables).items() if count]
    if filled:
        raise TransferError(t("team_db.target_not_empty", tables=", ".join(filled)))
    with source.connect() as reader, writer(target.engine).begin() as out:
        for table in tables:
            rows = reader.execution_options(yield_per=BATCH).execute(select(table).order_by(*table.primary_key))
            copied = 0
            for batch in rows.partitions():
                out.execute(table.insert(), [dict(row._mapping) for row in batch])
                copied += len(batch)
            if progress:
                progress(table.name, copied)
        advance_sequences(out)
    with source.connect() as reader, target.connect() as copy:
        expected, found = _counts(reader, tables), _counts(copy, tables)
    if expected != found:
        differing = ", ".join(
            f"{name} {expected[name]}≠{found[name]}" for name in expected if expected[name] != found[name]
        )
        raise TransferError(t("team_db.counts_differ", tables=differing))
    target.refresh_statistics()  # the planner's statistics now, not when autovacuum gets round to it
    return found
