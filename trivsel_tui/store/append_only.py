"""The audit log's append-only guards: SQLite triggers that refuse any UPDATE or DELETE of an entry.

Only a data migration that rewrites the log itself (sealing its values, 0011 and 0015) lifts them, for
that rewrite alone; `trivsel check` verifies that they are in place.
"""

from __future__ import annotations

from typing import Any

GUARDS = {
    "audit_entry_no_update": "BEFORE UPDATE",
    "audit_entry_no_delete": "BEFORE DELETE",
}


def lift(op: Any) -> None:
    if op.get_bind().dialect.name == "sqlite":
        for name in GUARDS:
            op.execute(f"DROP TRIGGER IF EXISTS {name}")


def restore(op: Any) -> None:
    if op.get_bind().dialect.name == "sqlite":
        for name, when in GUARDS.items():
            guard = "BEGIN SELECT RAISE(ABORT, 'audit_entry is append-only'); END"
            op.execute(f"CREATE TRIGGER {name} {when} ON audit_entry {guard}")
