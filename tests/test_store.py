"""The SQLite store: file safety, PRAGMAs, audit log, concurrency, migrations."""

from __future__ import annotations

import os
import sqlite3
import stat
import threading
from datetime import UTC, date, datetime
from pathlib import Path

import pytest
from sqlalchemy import text
from sqlmodel import select

from tests.conftest import NOW
from trivsel_tui.store import audit
from trivsel_tui.store.migrate import current_revision, head_revision, upgrade
from trivsel_tui.store.models import AuditEntry, Case, Episode, Task, Workplace
from trivsel_tui.store.queries import DuplicateNameError, save_workplace
from trivsel_tui.store.store import Store

pytestmark = pytest.mark.both_databases


def add_case(store: Store, name: str = "Plejecenter Åbrinken") -> Case:
    with store.write() as session:
        workplace = Workplace(name=name)
        session.add(workplace)
        session.flush()
        case = Case(ref="2026-0001", workplace_id=workplace.id, affected_person="Mette Hansen")
        session.add(case)
        session.flush()
        session.add(Episode(case_id=case.id, occurred_at=NOW, behaviours=["kick"], description="Spark"))
        session.add(Task(case_id=case.id, title="Anmeld i Insubiz", due_at=NOW))
        return case


@pytest.mark.sqlite_only
def test_new_database_is_private_and_configured(store: Store, db_path: Path) -> None:
    assert stat.S_IMODE(os.stat(db_path).st_mode) == 0o600
    with store.engine.connect() as connection:
        pragma = {
            name: connection.exec_driver_sql(f"PRAGMA {name}").scalar()
            for name in ("journal_mode", "synchronous", "foreign_keys", "busy_timeout")
        }
    assert pragma == {"journal_mode": "wal", "synchronous": 2, "foreign_keys": 1, "busy_timeout": 10_000}
    add_case(store)
    for companion in db_path.parent.glob(db_path.name + "-*"):
        assert stat.S_IMODE(os.stat(companion).st_mode) == 0o600, companion


def test_store_follows_the_environment_variable(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from trivsel_tui.locations import resolve_db_path

    monkeypatch.setenv("TRIVSEL_DB", str(tmp_path / "env.sqlite3"))
    assert resolve_db_path(None) == tmp_path / "env.sqlite3"
    assert resolve_db_path(tmp_path / "flag.sqlite3") == tmp_path / "flag.sqlite3"


def test_every_insert_update_and_delete_is_audited(store: Store) -> None:
    case = add_case(store)
    with store.write() as session:
        loaded = session.get(Case, case.id)
        assert loaded is not None
        loaded.status = "closed"
        loaded.close_reason = "Løst"
        task = session.exec(select(Task)).one()
        session.delete(task)
    with store.read() as session:
        entries = session.exec(select(AuditEntry).order_by(AuditEntry.id)).all()
        values = audit.opened_changes(session, list(entries))
    summary = [(e.entity, e.action) for e in entries]
    assert summary == [
        ("workplace", "create"),
        ("case", "create"),
        ("episode", "create"),
        ("task", "create"),
        ("case", "update"),
        ("task", "delete"),
    ]
    update = entries[4]
    assert values[4] == {"status": ["open", "closed"], "close_reason": ["", "Løst"]}
    assert update.changes == {"status": None, "close_reason": None}, "the values are sealed with the case's key"
    assert update.actor == store.actor  # the database login on PostgreSQL
    assert update.at == NOW
    assert values[5] is not None and values[5]["title"] == ["Anmeld i Insubiz", None]


def test_failed_transaction_leaves_neither_row_nor_audit(store: Store) -> None:
    with pytest.raises(RuntimeError), store.write() as session:
        session.add(Workplace(name="Jobcenter"))
        session.flush()
        raise RuntimeError("boom")
    with store.read() as session:
        assert session.exec(select(Workplace)).all() == []
        assert session.exec(select(AuditEntry)).all() == []


@pytest.mark.sqlite_only
def test_audit_log_cannot_be_changed_or_deleted(store: Store, db_path: Path) -> None:
    add_case(store)
    connection = sqlite3.connect(db_path)
    with pytest.raises(sqlite3.IntegrityError, match="append-only"):
        connection.execute("UPDATE audit_entry SET actor = 'someone else'")
    with pytest.raises(sqlite3.IntegrityError, match="append-only"):
        connection.execute("DELETE FROM audit_entry")
    connection.close()


@pytest.mark.sqlite_only
def test_timestamps_are_stored_in_utc(store: Store, db_path: Path) -> None:
    from zoneinfo import ZoneInfo

    with store.write() as session:
        session.add(Workplace(name="Skolen"))
    case_time = datetime(2026, 7, 1, 14, 0, tzinfo=ZoneInfo("Europe/Copenhagen"))
    with store.write() as session:
        workplace = session.exec(select(Workplace)).one()
        case = Case(ref="2026-0001", workplace_id=workplace.id, affected_person="A")
        session.add(case)
        session.flush()
        session.add(Episode(case_id=case.id, occurred_at=case_time, behaviours=["push"]))
    raw = sqlite3.connect(db_path).execute("SELECT occurred_at FROM episode").fetchone()[0]
    assert raw.startswith("2026-07-01 12:00:00")
    with store.read() as session:
        assert session.exec(select(Episode)).one().occurred_at == case_time.astimezone(UTC)


def test_two_app_copies_writing_at_once_both_succeed(db_path: Path) -> None:
    first = Store.open(db_path, "første")
    second = Store.open(db_path, "anden")
    errors: list[BaseException] = []

    def write_many(store: Store, prefix: str) -> None:
        try:
            for i in range(40):
                with store.write() as session:
                    # Read, then write in the same transaction: the pattern that deadlocks without IMMEDIATE.
                    count = len(session.exec(select(Workplace)).all())
                    session.add(Workplace(name=f"{prefix}-{i}-{count}"))
        except BaseException as exc:  # collect for the assertion below
            errors.append(exc)

    threads = [threading.Thread(target=write_many, args=(s, p)) for s, p in ((first, "a"), (second, "b"))]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    with first.read() as session:
        assert len(session.exec(select(Workplace)).all()) == 80
        assert len(session.exec(select(AuditEntry)).all()) == 80
    first.close()
    second.close()


def test_duplicate_workplace_name_is_a_clear_error(store: Store) -> None:
    save_workplace(store, {"name": "Jobcenter"})
    with pytest.raises(DuplicateNameError):
        save_workplace(store, {"name": "Jobcenter"})


def test_upgrade_from_first_revision_keeps_data_and_backs_up(tmp_path: Path) -> None:
    path = tmp_path / "old.sqlite3"
    old = Store(path, "tester")
    upgrade(old.engine, "0001")
    assert current_revision(old.engine) == "0001"
    with old.engine.begin() as connection:
        connection.execute(
            text(
                "INSERT INTO workplace (id, name, unit, med_level, risk_violence_citizens, risk_sexual_citizens,"
                " leader_name, amr_name, tr_name, last_wellbeing_survey, created_at, updated_at)"
                " VALUES (1, 'Bostedet Lyngbo', 'Socialpsykiatri', 'Lokal MED', 1, 1, 'L', 'A', 'T', '2025-03-01',"
                " '2026-01-01 10:00:00', '2026-01-01 10:00:00')"
            )
        )
        connection.execute(
            text(
                'INSERT INTO "case" (id, ref, workplace_id, affected_person, consultant, status, close_reason,'
                " created_at, updated_at) VALUES (1, '2026-0001', 1, 'Ida Dahl', 'Lene', 'open', '',"
                " '2026-01-01 10:00:00', '2026-01-01 10:00:00')"
            )
        )
        connection.execute(
            text(
                "INSERT INTO audit_entry (at, actor, entity, entity_id, action, changes)"
                " VALUES ('2026-01-01 10:00:00', 'tester', 'case', 1, 'create', '{}')"
            )
        )
    old.close()

    upgraded = Store.open(path, "tester", lambda: NOW)
    assert current_revision(upgraded.engine) == head_revision() != "0001"
    assert upgraded.backup_made is not None and upgraded.backup_made.exists()
    assert stat.S_IMODE(os.stat(upgraded.backup_made).st_mode) == 0o600
    with upgraded.read() as session:
        workplace = session.exec(select(Workplace)).one()
        case = session.exec(select(Case)).one()
        assert (workplace.name, workplace.last_wellbeing_survey, workplace.risk_sexual_citizens) == (
            "Bostedet Lyngbo",
            date(2025, 3, 1),
            True,
        )
        assert (case.ref, case.affected_person) == ("2026-0001", "Ida Dahl")
        assert len(session.exec(select(AuditEntry)).all()) == 1
    # The backup is the old file, still at the old revision.
    backup = sqlite3.connect(upgraded.backup_made)
    assert backup.execute("SELECT version_num FROM alembic_version").fetchone() == ("0001",)
    assert backup.execute('SELECT affected_person FROM "case"').fetchone() == ("Ida Dahl",)
    upgraded.close()


@pytest.mark.sqlite_only
def test_opening_a_current_database_makes_no_backup(store: Store, db_path: Path) -> None:
    store.close()
    again = Store.open(db_path, "tester")
    assert again.backup_made is None
    assert list(db_path.parent.glob("*før-opgradering*")) == []
    again.close()


@pytest.mark.sqlite_only
def test_json_is_stored_compact_and_reads_back_unchanged(store: Store) -> None:
    from trivsel_tui.store.cases import load_draft, save_draft

    value = {"person": "Søren Ærbø", "notes": ["Åse, »citat«", "x: y"], "n": 2}
    save_draft(store, "episode", value)
    with sqlite3.connect(store.path) as connection:
        (raw,) = connection.execute("SELECT data FROM draft WHERE key = 'episode'").fetchone()
    assert "Søren Ærbø" in raw and "\\u00f8" not in raw and '", "' not in raw and '": ' not in raw
    assert load_draft(store, "episode") == value


def test_an_episode_view_carries_every_fact_the_wizard_reads_back() -> None:
    from dataclasses import fields

    from trivsel_tui.store.cases import FACT_FIELDS
    from trivsel_tui.store.views import EpisodeView

    assert set(FACT_FIELDS) <= {f.name for f in fields(EpisodeView)}
