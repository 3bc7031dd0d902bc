"""Migration 0013 drops task.workplace_id (never written) and keeps every task, its indexes and its links."""

from __future__ import annotations

from pathlib import Path

from sqlalchemy import text

from tests.conftest import NOW
from tests.test_upgrade_categories import insert
from trivsel_tui.store.migrate import upgrade
from trivsel_tui.store.store import Store

KEPT_INDEXES = {
    "ix_task_case_id",
    "ix_task_episode_id",
    "ix_task_open_due",
    "ix_task_deadlines",
}  # ix_task_stats became ix_task_deadlines (0019)


def task_schema(store: Store) -> tuple[set[str], dict[str, str]]:
    with store.engine.connect() as connection:
        columns = {row[1] for row in connection.exec_driver_sql('PRAGMA table_info("task")')}
        indexes = dict(
            connection.exec_driver_sql(
                "SELECT name, sql FROM sqlite_master WHERE type='index' AND tbl_name='task'"
            ).all()
        )
    return columns, indexes


def test_the_upgrade_drops_the_column_and_keeps_every_task(tmp_path: Path) -> None:
    path = tmp_path / "old.sqlite3"
    old = Store(path, "tester")
    upgrade(old.engine, "0012")
    with old.engine.begin() as connection:
        insert(connection, "workplace", id=1, name="Bostedet Lyngbo")
        insert(connection, "case", id=1, ref="2026-0001", workplace_id=1, affected_person="Ida Dahl", status="open")
        for number in range(1, 4):
            insert(connection, "task", id=number, case_id=1, title=f"Opgave {number}", workplace_id=None)
    old.close()

    store = Store.open(path, "tester", lambda: NOW)
    try:
        columns, indexes = task_schema(store)
        assert "workplace_id" not in columns and "case_id" in columns
        assert set(indexes) >= KEPT_INDEXES and "ix_task_workplace_id" not in indexes
        assert "done_at IS NULL" in (indexes["ix_task_open_due"] or ""), "the open-tasks index stays partial"
        with store.engine.connect() as connection:
            rows = connection.execute(text("SELECT id, case_id, title FROM task ORDER BY id")).all()
            assert [tuple(row) for row in rows] == [(n, 1, f"Opgave {n}") for n in range(1, 4)]
            assert not connection.exec_driver_sql("PRAGMA foreign_key_check").all()
    finally:
        store.close()


def test_a_new_database_has_no_task_workplace_column(store: Store) -> None:
    columns, _ = task_schema(store)
    assert "workplace_id" not in columns
