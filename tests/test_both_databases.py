"""The store on SQLite and on a real PostgreSQL: migrations with data, the audit guard, sequences."""

from __future__ import annotations

from datetime import date, datetime
from pathlib import Path
from typing import Any

import pytest
import sqlalchemy as sa
from sqlalchemy.engine import URL
from sqlalchemy.exc import DBAPIError
from sqlmodel import select

from tests.conftest import NOW
from trivsel_tui.store.dialect import advance_sequences, is_postgres
from trivsel_tui.store.migrate import current_revision, head_revision, upgrade
from trivsel_tui.store.models import ActionItem, Task, Workplace
from trivsel_tui.store.queries import save_workplace
from trivsel_tui.store.store import Location, Store

pytestmark = pytest.mark.both_databases


@pytest.fixture
def empty_location(database: str, tmp_path: Path, request: pytest.FixtureRequest) -> Location:
    if database == "sqlite":
        return tmp_path / "old.sqlite3"
    url: URL = request.getfixturevalue("empty_postgres")
    return url


def _filled(table: sa.Table, **values: Any) -> dict[str, Any]:
    """A row with every required column that `values` does not name set to an empty value of its type."""
    row: dict[str, Any] = {}
    for column in table.columns:
        if column.name in values or column.nullable or column.primary_key:
            continue
        kind = column.type.python_type if not isinstance(column.type, sa.JSON) else list
        row[column.name] = {str: "", int: 0, bool: False, datetime: NOW.replace(tzinfo=None), list: []}[kind]
    return row | values


def test_every_migration_keeps_the_rows_and_converts_the_data(empty_location: Location) -> None:
    old = Store(empty_location, "tester")
    upgrade(old.engine, "0003")
    metadata = sa.MetaData()
    with old.engine.begin() as connection:
        metadata.reflect(connection)
        tables = metadata.tables

        def insert(table: str, **values: Any) -> None:
            connection.execute(tables[table].insert().values(_filled(tables[table], **values)))

        insert("workplace", id=1, name="Bostedet Lyngbo", risk_violence_citizens=True, created_at=datetime(2026, 1, 5))
        insert("workplace", id=2, name="Skolen", risk_violence_citizens=False)
        insert("case", id=1, ref="2026-0001", workplace_id=1, affected_person="Ida Dahl", status="open")
        classification = {"categories": ["violence_threats", "sexual_harassment"]}
        insert("episode", id=1, case_id=1, occurred_at=datetime(2026, 1, 2), classification=classification)
        insert("task", id=1, case_id=1, episode_id=1, action_code="insubiz", title="Anmeld")
        insert("action_plan", id=1, workplace_id=1, kind="prevention_violence", status="adopted")
        insert("action_item", id=1, plan_id=1, measure="Alarm", effective=True)
        insert("action_item", id=2, plan_id=1, measure="Kursus", effective=False)
        insert("action_item", id=3, plan_id=1, measure="Skilt", effective=None)
        insert("audit_entry", id=1, at=datetime(2026, 1, 1), actor="t", entity="case", entity_id=1, action="create")
        advance_sequences(connection)  # what the demo generator and migrate-to do after explicit ids
    old.close()

    upgraded = Store.open(empty_location, "tester", lambda: NOW)
    assert current_revision(upgraded.engine) == head_revision()
    with upgraded.read() as session:
        flagged = {w.name: w.risk_flagged_on for w in session.exec(select(Workplace))}
        assert flagged == {"Bostedet Lyngbo": date(2026, 1, 5), "Skolen": None}
        effective = {i.measure: i.effective for i in session.exec(select(ActionItem))}
        assert effective == {"Alarm": "yes", "Kursus": "no", "Skilt": None}
        assert session.exec(select(Task)).one().categories == ",violence_threats,sexual_harassment,"
    with upgraded.connect() as connection:
        assert connection.execute(sa.text("SELECT count(*) FROM audit_entry")).scalar() == 1
    assert save_workplace(upgraded, {"name": "Jobcentret"}).id == 3
    upgraded.close()


def test_the_audit_log_cannot_be_changed_or_deleted(store: Store) -> None:
    save_workplace(store, {"name": "Jobcenter"})
    for statement in ("UPDATE audit_entry SET actor = 'en anden'", "DELETE FROM audit_entry"):
        with pytest.raises(DBAPIError, match="append-only"), store.engine.begin() as connection:
            connection.execute(sa.text(statement))
    with store.connect() as connection:
        assert connection.execute(sa.text("SELECT actor FROM audit_entry")).scalars().all() == ["tester"]


def test_the_open_task_index_is_partial(store: Store) -> None:
    """The dashboard walks open tasks by due date; done tasks must not fill the index."""
    with store.connect() as connection:
        if is_postgres(connection):
            sql = "SELECT indexdef FROM pg_indexes WHERE indexname = 'ix_task_open_due'"
        else:
            sql = "SELECT sql FROM sqlite_master WHERE name = 'ix_task_open_due'"
        definition = connection.execute(sa.text(sql)).scalar_one()
    assert "WHERE" in definition and "done_at IS NULL" in definition
