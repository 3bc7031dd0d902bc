"""The WAL stays small: a size limit on every connection, and folded back after a large write."""

from __future__ import annotations

import sqlite3
from pathlib import Path

from sqlalchemy import text

from tests.conftest import NOW
from trivsel_tui.domain.rules import Rules
from trivsel_tui.store.db import JOURNAL_SIZE_LIMIT
from trivsel_tui.store.demo import generate_demo
from trivsel_tui.store.store import Store


def test_every_connection_limits_the_wal(store: Store) -> None:
    with store.read() as session:
        limit = session.connection().execute(text("PRAGMA journal_size_limit")).scalar()
    assert limit == JOURNAL_SIZE_LIMIT <= 64 * 1024 * 1024


def test_the_demo_generator_leaves_an_empty_wal(store: Store, rules: Rules, db_path: Path) -> None:
    wal = db_path.with_name(db_path.name + "-wal")
    generate_demo(store, rules, 60, 1, NOW)
    assert wal.stat().st_size == 0  # checkpointed and truncated while the store is still open


def test_after_an_old_reader_lets_go_the_wal_is_truncated_again(store: Store, rules: Rules, db_path: Path) -> None:
    wal = db_path.with_name(db_path.name + "-wal")
    reader = sqlite3.connect(db_path, isolation_level=None)
    reader.execute("BEGIN")
    reader.execute("SELECT count(*) FROM workplace").fetchone()  # holds a snapshot: no checkpoint can reset the WAL
    generate_demo(store, rules, 60, 1, NOW)
    assert wal.stat().st_size > 0
    reader.execute("ROLLBACK")
    reader.close()
    store.refresh_statistics()  # what the app does after a large write
    assert wal.stat().st_size == 0
