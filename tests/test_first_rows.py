"""What the dashboard does before and around its first rows (issue 13): one first-page query, the backup
reminder after the rows, and the indexes that keep a page and a narrow search from reading every row.

Not timed (benchmarks/dashboard.py measures); these guard the structure the timings rest on.
"""

from __future__ import annotations

import sqlite3
import threading
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import text

from tests.conftest import NOW, settle
from tests.test_upgrade_categories import insert
from trivsel_tui.app import TrivselApp
from trivsel_tui.domain.rules import Rules
from trivsel_tui.screens import home
from trivsel_tui.settings import Settings
from trivsel_tui.store import state
from trivsel_tui.store.dashboard import DueFilters, DueQuery, _parts, due_rows
from trivsel_tui.store.demo import generate_demo
from trivsel_tui.store.migrate import upgrade
from trivsel_tui.store.store import Store
from trivsel_tui.texts import t


@pytest.mark.both_databases
async def test_the_dashboard_asks_for_its_first_page_once(
    store: Store, settings: Settings, rules: Rules, monkeypatch: pytest.MonkeyPatch
) -> None:
    calls: list[DueFilters] = []
    first_page = home.first_page

    def counted(*args: Any) -> home.FirstPage:
        calls.append(args[2])
        return first_page(*args)

    monkeypatch.setattr(home, "first_page", counted)
    generate_demo(store, rules, 3, 1, NOW)
    app = TrivselApp(store=store, settings=settings, rules=rules, clock=lambda: NOW)
    async with app.run_test() as pilot:
        await settle(app, pilot)
        assert isinstance(app.screen, home.HomeScreen) and app.screen.rows
    assert len(calls) == 1, "mount and the first resume each loaded the same page"


async def test_a_failed_first_page_is_one_danish_message(
    store: Store, settings: Settings, rules: Rules, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The page read ahead (before Textual composes) fails like any read: the seam's one Danish message.
    On SQLite it is the driver's own error now, not SQLAlchemy's wrapper."""

    def locked(*_args: Any) -> home.FirstPage:
        raise sqlite3.OperationalError("database is locked")

    monkeypatch.setattr(home, "first_page", locked)
    app = TrivselApp(store=store, settings=settings, rules=rules, clock=lambda: NOW)
    async with app.run_test() as pilot:
        await settle(app, pilot)
        messages = [n.message for n in app._notifications]
    assert any(t("data_errors.locked") in message for message in messages), messages


async def test_the_backup_reminder_waits_for_the_first_rows(
    store: Store, settings: Settings, rules: Rules, monkeypatch: pytest.MonkeyPatch
) -> None:
    rows_when_asked: list[int] = []
    asked = threading.Event()
    first_page = home.first_page

    def slow_first_page(*args: Any) -> home.FirstPage:
        asked.wait(0.5)  # a reminder that does not wait for the rows is asked meanwhile
        return first_page(*args)

    def reminder(_store: Store, _days: int, _now: Any) -> str:
        screen = app.screen
        rows_when_asked.append(len(screen.rows) if isinstance(screen, home.HomeScreen) else -1)
        asked.set()
        return "Husk en sikkerhedskopi"

    monkeypatch.setattr(home, "first_page", slow_first_page)
    monkeypatch.setattr(state, "backup_reminder", reminder)
    generate_demo(store, rules, 3, 1, NOW)
    app = TrivselApp(store=store, settings=settings, rules=rules, clock=lambda: NOW)
    async with app.run_test() as pilot:
        await settle(app, pilot)
        assert any("Husk en sikkerhedskopi" in n.message for n in app._notifications)
    assert len(rows_when_asked) == 1 and rows_when_asked[0] > 0


def plan(store: Store, sql: str, **params: Any) -> str:
    with store.connect() as connection:
        rows = connection.execute(text(f"EXPLAIN QUERY PLAN {sql}"), params).all()
    return " ".join(str(row[-1]) for row in rows)


def test_unclassified_episodes_are_found_without_reading_every_episode(store: Store, rules: Rules) -> None:
    details = plan(store, f"SELECT * FROM ({_parts('sqlite')[1]})", **DueQuery.from_rules(rules).params)
    assert "ix_episode_unclassified" in details
    assert "ix_episode_stats" not in details


def test_the_open_task_index_holds_what_a_search_skips_on(store: Store) -> None:
    with store.connect() as connection:
        columns = [row[2] for row in connection.exec_driver_sql("PRAGMA index_info(ix_task_open_due)")]
    assert columns == ["due_at", "case_id", "legal_deadline", "title_search", "owner_search"]


def test_the_upgrade_to_0017_keeps_every_row_and_a_search_finds_them(tmp_path: Path, rules: Rules) -> None:
    path = tmp_path / "old.sqlite3"
    old = Store(path, "tester")
    upgrade(old.engine, "0016")
    with old.engine.begin() as connection:
        insert(connection, "workplace", id=1, name="Ølsemagle Skole", name_search="ølsemagle skole")
        insert(connection, "case", id=1, ref="2026-0001", workplace_id=1, affected_person="Åse Ørum", status="open")
        for number in range(1, 4):
            insert(
                connection,
                "task",
                id=number,
                case_id=1,
                title=f"Opgave {number}",
                title_search=f"opgave {number}",
                due_at=f"2026-12-0{number} 10:00:00.000000",
            )
        insert(connection, "episode", id=1, case_id=1, categories="")
    old.close()

    store = Store.open(path, "tester", lambda: NOW)
    try:
        with store.connect() as connection:
            assert connection.exec_driver_sql("SELECT count(*) FROM task").scalar() == 3
            assert connection.exec_driver_sql("SELECT count(*) FROM episode").scalar() == 1
        found = due_rows(store, DueQuery.from_rules(rules), DueFilters(search="opgave 2"))
        assert [row.title for row in found] == ["Opgave 2"]
    finally:
        store.close()


async def test_the_dashboard_footer_is_built_once_and_follows_a_changed_key(
    store: Store, settings: Settings, rules: Rules, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Textual rebuilt the footer (a widget per key) three times at start with the same keys."""
    from textual.widgets._footer import FooterKey

    made: list[str] = []
    init = FooterKey.__init__

    def counted(self: FooterKey, key: str, *args: Any, **kwargs: Any) -> None:
        made.append(key)
        init(self, key, *args, **kwargs)

    monkeypatch.setattr(FooterKey, "__init__", counted)
    app = TrivselApp(store=store, settings=settings, rules=rules, clock=lambda: NOW)
    async with app.run_test(size=(200, 40)) as pilot:
        await settle(app, pilot)
        keys = [key.key for key in app.screen.query(FooterKey)]
        assert "d" in keys
        # Under load the rows may arrive after the first footer, which then rightly changes once; what must
        # not happen is a rebuild that shows the same keys, as Textual's does on every focus and resume.
        made.clear()
        for _ in range(3):
            app.screen.refresh_bindings()
            await settle(app, pilot)
        assert made == [], "the same keys again: no footer key made anew"
        app.set_keymap({"done": "z"})  # the keys change: the footer follows
        await settle(app, pilot)
        keys = [key.key for key in app.screen.query(FooterKey)]
        assert "z" in keys and "d" not in keys


@pytest.mark.skipif(not Path("/proc/self/fd").is_dir(), reason="counts open files through /proc")
def test_a_failed_plain_read_keeps_no_connection_open(db_path: Path) -> None:
    """Store.rows lends a driver connection per read; one whose statement fails comes back too."""
    store = Store.open(db_path, "tester")
    store.fetch("SELECT 1")  # the pool's first connection
    before = len(list(Path("/proc/self/fd").iterdir()))
    for _ in range(20):
        with pytest.raises(sqlite3.OperationalError):
            store.fetch("SELECT * FROM no_such_table")
    assert len(list(Path("/proc/self/fd").iterdir())) == before
    store.close()
