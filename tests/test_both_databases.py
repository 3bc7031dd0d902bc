"""The store on SQLite and on a real PostgreSQL: migrations with data, the audit guard, sequences."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date, datetime
from pathlib import Path
from typing import Any

import pytest
import sqlalchemy as sa
from sqlalchemy.engine import URL
from sqlalchemy.exc import DBAPIError
from sqlmodel import select

from tests.conftest import NOW
from trivsel_tui.domain.rules import Rules
from trivsel_tui.store.cases import EpisodeInput, register_episode
from trivsel_tui.store.dashboard import SORTS, DueFilters, DueQuery, due_rows, due_summary, responsibles
from trivsel_tui.store.demo import generate_demo
from trivsel_tui.store.dialect import advance_sequences, is_postgres
from trivsel_tui.store.migrate import current_revision, head_revision, upgrade
from trivsel_tui.store.models import ActionItem, Task, Workplace
from trivsel_tui.store.outcomes import OutcomeInput, outcomes_for, save_outcome
from trivsel_tui.store.parties import PartyInput, parties_for, save_party
from trivsel_tui.store.person_export import collect_person
from trivsel_tui.store.queries import case_detail, list_workplaces, save_workplace, search_cases
from trivsel_tui.store.retention import release_hold, retention_rows, set_hold
from trivsel_tui.store.statistics import StatFilters, count_episodes, open_tasks_by_action, prevention_status
from trivsel_tui.store.store import Location, Store
from trivsel_tui.store.talks import TalkInput, add_talk, talks_for
from trivsel_tui.store.timeline import case_timeline

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
        insert("task", id=2, case_id=1, episode_id=1, action_code="police_report", title="Politianmeld")
        insert("action_plan", id=1, workplace_id=1, kind="prevention_violence", status="adopted")
        insert("action_item", id=1, plan_id=1, measure="Alarm", effective=True)
        insert("action_item", id=2, plan_id=1, measure="Kursus", effective=False)
        insert("action_item", id=3, plan_id=1, measure="Skilt", effective=None)
        insert(
            "audit_entry",
            id=1,
            at=datetime(2026, 1, 1),
            actor="t",
            entity="case",
            entity_id=1,
            action="create",
            changes={"ref": [None, "2026-0001"]},
        )
        workplace_change = {"leader_name": [None, "Lis Leder"]}
        insert("audit_entry", id=2, at=NOW.replace(tzinfo=None), actor="t", entity="workplace", entity_id=1,
               action="create", changes=workplace_change)  # fmt: skip
        advance_sequences(connection)  # what the demo generator and migrate-to do after explicit ids
    old.close()

    upgraded = Store.open(empty_location, "tester", lambda: NOW)
    assert current_revision(upgraded.engine) == head_revision()
    with upgraded.read() as session:
        flagged = {w.name: w.risk_flagged_on for w in session.exec(select(Workplace))}
        assert flagged == {"Bostedet Lyngbo": date(2026, 1, 5), "Skolen": None}
        effective = {i.measure: i.effective for i in session.exec(select(ActionItem))}
        assert effective == {"Alarm": "yes", "Kursus": "no", "Skilt": None}
        tasks = session.exec(select(Task).order_by(Task.id)).all()
        assert {task.categories for task in tasks} == {",violence_threats,sexual_harassment,"}
        assert [(task.owner_role, task.legal_deadline) for task in tasks] == [("", False), ("hr", True)]
    with upgraded.connect() as connection:
        audit = connection.execute(sa.text("SELECT entity, changes, sealed FROM audit_entry ORDER BY id")).all()
    assert len(audit) == 2
    assert all(sealed for _entity, _changes, sealed in audit), "0011 and 0015 sealed the values"
    assert "Lis Leder" not in str(audit[1][1]) and "leader_name" in str(audit[1][1])
    assert save_workplace(upgraded, {"name": "Jobcentret"}).id == 3
    upgraded.close()


def test_the_audit_log_cannot_be_changed_or_deleted(store: Store) -> None:
    save_workplace(store, {"name": "Jobcenter"})
    for statement in ("UPDATE audit_entry SET actor = 'en anden'", "DELETE FROM audit_entry"):
        with pytest.raises(DBAPIError, match="append-only"), store.engine.begin() as connection:
            connection.execute(sa.text(statement))
    with store.connect() as connection:
        assert connection.execute(sa.text("SELECT actor FROM audit_entry")).scalars().all() == [store.actor]


def test_the_open_task_index_is_partial(store: Store) -> None:
    """The dashboard walks open tasks by due date; done tasks must not fill the index."""
    with store.connect() as connection:
        if is_postgres(connection):
            sql = "SELECT indexdef FROM pg_indexes WHERE indexname = 'ix_task_open_due'"
        else:
            sql = "SELECT sql FROM sqlite_master WHERE name = 'ix_task_open_due'"
        definition = connection.execute(sa.text(sql)).scalar_one()
    assert "WHERE" in definition and "done_at IS NULL" in definition


# --- The same data gives the same answers -----------------------------------------------------------


@pytest.fixture
def twins(store: Store, tmp_path: Path, rules: Rules) -> Iterator[tuple[Store, Store]]:
    """The same demo data (explicit ids, audit rows) in a SQLite file and in the PostgreSQL store."""
    lite = Store.open(tmp_path / "twin.sqlite3", "tester", lambda: NOW)
    for each in (lite, store):
        generate_demo(each, rules, 160, 3, NOW)
    yield lite, store
    lite.close()


def _answers(store: Store, rules: Rules) -> dict[str, Any]:
    query = DueQuery.from_rules(rules)
    answers: dict[str, Any] = {
        "summary": due_summary(store, query, NOW),
        "responsibles": responsibles(store, query),
        "cases": search_cases(store, "", limit=500),
        "workplaces": list_workplaces(store),
    }
    for sort in SORTS:
        for descending in (False, True):
            answers[f"due {sort} {descending}"] = due_rows(store, query, sort=sort, descending=descending, limit=40)
    answers["due all"] = due_rows(store, query, limit=None)
    answers["due page 2"] = due_rows(store, query, limit=25, offset=25)
    for text in ("ø", "ÆBLE", "aa", "2026-00", "plejecenter", "%", "_", "sen", "SØREN", "hjemmepleje nord"):
        answers[f"search {text}"] = search_cases(store, text)
        answers[f"due search {text}"] = due_rows(store, query, DueFilters(search=text), limit=None)
    for category in ("violence_threats", "sexual_harassment"):
        filters = DueFilters(category=category, kinds=("plan_item", "handleplan_missing"))
        answers[f"due {category}"] = due_rows(store, query, filters, limit=None)
        answers[f"summary {category}"] = due_summary(store, query, NOW, filters)
    stats = StatFilters()
    for dimensions in (("month",), ("quarter", "workplace"), ("year", "unit")):
        answers[f"stats {dimensions}"] = count_episodes(store, dimensions, stats)
    answers["open tasks"] = open_tasks_by_action(store, stats, NOW)
    answers["prevention"] = prevention_status(store)
    answers["retention"] = retention_rows(store, NOW.date())
    return answers


@pytest.mark.postgres_only
def test_the_same_data_gives_the_same_answers_on_both(twins: tuple[Store, Store], rules: Rules) -> None:
    lite, postgres = (_answers(each, rules) for each in twins)
    assert lite["due all"], "the demo has open deadlines"
    for name, answer in lite.items():
        assert postgres[name] == answer, name


@pytest.mark.postgres_only
def test_new_rows_after_the_demo_get_fresh_ids_and_numbers(twins: tuple[Store, Store]) -> None:
    _lite, postgres = twins
    workplace = save_workplace(postgres, {"name": "Helt ny arbejdsplads"})
    case_id, _episode = register_episode(postgres, EpisodeInput(workplace.id or 0, NOW, "Ny Person", "citizen"))
    detail = case_detail(postgres, case_id)
    assert detail is not None and detail.case.ref not in {row.ref for row in search_cases(_lite, "", limit=500)}


def test_case_records_holds_and_the_sealed_timeline(store: Store) -> None:
    """Parties, talks and outcomes, their sealed audit values opened again, a hold, a person's export."""
    workplace = save_workplace(store, {"name": "Plejecentret Åbo"})
    case_id, episode_id = register_episode(store, EpisodeInput(workplace.id or 0, NOW, "Ida Dahl", "citizen"))
    party = save_party(store, case_id, PartyInput("witness", "Åse Ørum", job="SOSU-assistent"))
    save_party(store, case_id, PartyInput("witness", "Åse Ørum", job="Sygeplejerske"), party)
    add_talk(store, case_id, TalkInput(date(2026, 11, 26), "Ida Dahl", "Tryghed", follow_up_on=date(2026, 12, 4)))
    save_outcome(store, episode_id, OutcomeInput(insubiz_reported_on=date(2026, 11, 26), insubiz_ref="EASY-1"))
    assert [(p.name, p.job) for p in parties_for(store, case_id)] == [("Åse Ørum", "Sygeplejerske")]
    assert [(talk.topic, talk.follow_up_on) for talk in talks_for(store, case_id)] == [("Tryghed", date(2026, 12, 4))]
    assert outcomes_for(store, case_id)[episode_id].insubiz_ref == "EASY-1"
    timeline = case_timeline(store, case_id)
    party_values = [entry.values for entry in timeline if entry.entity == "case_party" and entry.action == "update"]
    assert party_values and party_values[0] is not None
    assert party_values[0]["job"] == ["SOSU-assistent", "Sygeplejerske"]
    ref = case_detail(store, case_id).case.ref  # type: ignore[union-attr]
    set_hold(store, ref, "litigation", "Klage over afgørelsen")
    assert [(row.ref, row.hold_kind) for row in retention_rows(store, NOW.date())] == [(ref, "litigation")]
    release_hold(store, ref, "Klagen er afgjort")
    assert collect_person(store, "åse ørum").case_refs == (ref,)
