"""A database from the first schema revision keeps its open tasks visible under the dashboard's category filter."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from sqlalchemy import Connection, text

from tests.conftest import NOW
from trivsel_tui.domain.rules import Rules
from trivsel_tui.store.dashboard import DueFilters, DueQuery, due_rows
from trivsel_tui.store.migrate import upgrade
from trivsel_tui.store.store import Store

STAMP = "2026-01-01 10:00:00.000000"


def insert(connection: Connection, table: str, **values: Any) -> None:
    """A row with the given values; every other NOT NULL column of that revision gets an empty value."""
    for column in connection.exec_driver_sql(f'PRAGMA table_info("{table}")').all():
        name, kind, not_null, default = column[1], column[2].upper(), column[3], column[4]
        if not_null and default is None and name not in values and name != "id":
            values[name] = (
                STAMP if "DATE" in kind else 0 if kind in ("INTEGER", "BOOLEAN") else "[]" if "JSON" in kind else ""
            )
    names = ", ".join(f'"{name}"' for name in values)
    connection.execute(text(f'INSERT INTO "{table}" ({names}) VALUES ({", ".join(":" + n for n in values)})'), values)


def test_tasks_from_revision_0001_show_under_their_category(tmp_path: Path, rules: Rules) -> None:
    path = tmp_path / "old.sqlite3"
    old = Store(path, "tester")
    upgrade(old.engine, "0001")
    classification = {"categories": ["violence_threats", "sexual_harassment"], "types": [], "actions": []}
    with old.engine.begin() as connection:
        insert(connection, "workplace", id=1, name="Bostedet Lyngbo")
        insert(connection, "case", id=1, ref="2026-0001", workplace_id=1, affected_person="Ida Dahl", status="open")
        insert(connection, "episode", id=1, case_id=1, occurred_at=STAMP, classification=json.dumps(classification))
        for number, code in enumerate(("police_report", "insurance_report", "offer_support"), start=1):
            insert(
                connection,
                "task",
                id=number,
                case_id=1,
                action_code=code,
                title=f"Opgave {number}",
                due_at="2026-12-01 10:00:00.000000",
            )
    old.close()

    store = Store.open(path, "tester", lambda: NOW)
    try:
        query = DueQuery.from_rules(rules)
        for category in ("violence_threats", "sexual_harassment"):
            rows = due_rows(store, query, DueFilters(category=category), limit=None)
            assert sorted(row.title for row in rows if row.ref == "2026-0001") == ["Opgave 1", "Opgave 2", "Opgave 3"]
        assert not [r for r in due_rows(store, query, DueFilters(category="bullying_degrading"), limit=None) if r.ref]
    finally:
        store.close()
