"""The dashboard search's substring index (store/search_index.py, migration 0020): the same rows as reading
every open task, on both databases, kept in step by every write, and gone with a discarded case."""

from __future__ import annotations

import importlib
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import timedelta
from pathlib import Path

import pytest
import sqlalchemy as sa
from sqlalchemy.engine import URL

from tests.conftest import NOW
from trivsel_tui.domain.rules import Rules
from trivsel_tui.store import guard, search_index
from trivsel_tui.store.cases import EpisodeInput, add_task, complete_task, register_episode, set_case_status
from trivsel_tui.store.dashboard import DueFilters, DueQuery, DueRow, due_rows, due_summary
from trivsel_tui.store.db import writer
from trivsel_tui.store.dialect import is_postgres
from trivsel_tui.store.migrate import _config, upgrade
from trivsel_tui.store.models import Case
from trivsel_tui.store.queries import save_workplace
from trivsel_tui.store.retention import compact, discard_case
from trivsel_tui.store.store import Store
from trivsel_tui.store.task_terms import set_owner
from trivsel_tui.store.text_keys import contains_pattern

pytestmark = pytest.mark.both_databases

WORKPLACES = ["Ølsemagle Skole", "Ærø Børnehus", "Aabybro Bosted", "Åby Plejecenter"]
PEOPLE = ["Åse Ørum", "Aage Jensen", "Søren Æblegaard", "Ditte Aaberg"]
TITLES = ["Øvelse i konflikthåndtering", "Åben samtale med AMR", "Aaben dialog", "Ærgerlig fejl rettes"]
# Three characters or more go through the index; shorter ones, wildcards and misses read every open task.
SEARCHES = ["ØRUM", "aage", "aab", "åby", "ølsemagle", "ærgerlig", "2026-000", "en d", "Æble", "sen"]
SEARCHES += ["ø", "aa", "%", "_", "zzq", "100%"]


@pytest.fixture
def danish(store: Store) -> list[int]:
    """Four workplaces and four cases with Danish names, each with two manual tasks; returns the case ids."""
    cases = []
    for i, (name, person) in enumerate(zip(WORKPLACES, PEOPLE, strict=True)):
        workplace = save_workplace(store, {"name": name, "leader_name": f"Leder {person.split()[0]}"})
        episode = EpisodeInput(workplace.id or 0, NOW - timedelta(days=i), person, "citizen")
        case_id, _ = register_episode(store, episode)
        for j, title in enumerate((TITLES[i], TITLES[-1 - i])):
            add_task(store, case_id, title, NOW + timedelta(days=3 * i + j))
        cases.append(case_id)
    return cases


def search(store: Store, rules: Rules, text: str, sort: str = "due") -> list[DueRow]:
    return due_rows(store, DueQuery.from_rules(rules), DueFilters(search=text), sort=sort)


def walked(store: Store, rules: Rules, text: str, monkeypatch: pytest.MonkeyPatch, sort: str = "due") -> list[DueRow]:
    """The rows without the index: every open task read, as before migration 0020."""
    with monkeypatch.context() as patched:
        patched.setattr(search_index, "FEW", 0)
        return search(store, rules, text, sort)


def test_the_index_gives_the_rows_and_order_of_reading_every_task(
    store: Store, danish: list[int], rules: Rules, monkeypatch: pytest.MonkeyPatch
) -> None:
    query = DueQuery.from_rules(rules)
    for text in SEARCHES:
        for sort in ("due", "title", "responsible"):
            assert search(store, rules, text, sort) == walked(store, rules, text, monkeypatch, sort), (text, sort)
        assert search_index.narrows(store, text, {"f_search": contains_pattern(text)}) == (len(text) >= 3), text
    assert due_summary(store, query, NOW, DueFilters(search="ørum")).total == 3  # two tasks and the episode
    assert {row.person for row in search(store, rules, "ØRUM")} == {"Åse Ørum"}
    assert {row.workplace for row in search(store, rules, "ølsemagle")} == {"Ølsemagle Skole"}
    assert [row.title for row in search(store, rules, "aaben", sort="title")] == ["Aaben dialog"] * 2
    by_aab = {row.person for row in search(store, rules, "aab") if row.source == "task"}
    assert by_aab == {"Ditte Aaberg", "Aage Jensen", "Søren Æblegaard"}  # name, title "Aaben …", workplace
    assert search(store, rules, "100%") == []


def _found(store: Store, rules: Rules, text: str) -> set[int]:
    return {row.source_id for row in search(store, rules, text) if row.source == "task"}


def _indexed(store: Store, table: str, text: str) -> set[int]:
    """What the index table itself holds for `text` (stale entries would hide behind the LIKE check)."""
    if is_postgres(store.dialect_name):
        found = store.fetch(f"SELECT id FROM {table} AS row WHERE CAST(row AS TEXT) LIKE :p", {"p": f"%{text}%"})
        return {row[0] for row in found}
    phrase = '"' + text + '"'
    return {row[0] for row in store.fetch(f"SELECT rowid FROM {table} WHERE {table} MATCH :p", {"p": phrase})}


def test_every_write_keeps_the_index_in_step(store: Store, danish: list[int], rules: Rules) -> None:
    first, second = danish[0], danish[1]
    task = add_task(store, first, "Genhusning af Øjvind", NOW + timedelta(days=1))
    assert _found(store, rules, "øjvind") == {task}, "a new task"
    set_owner(store, task, "Kåre Ågård")
    assert _found(store, rules, "kåre å") == {task}, "a new owner"
    with store.write() as session:
        case = session.get(Case, second)
        assert case is not None
        case.affected_person = "Bjørk Ærenlund"
    assert {row.case_id for row in search(store, rules, "ærenlund")} == {second}, "a renamed person"
    assert not _found(store, rules, "aage jensen") and not _indexed(store, "case_search_index", "aage jensen")
    ((workplace_id,),) = store.fetch('SELECT workplace_id FROM "case" WHERE id = :id', {"id": first})
    save_workplace(store, {"name": "Øresund Bosted"}, workplace_id=workplace_id)
    assert {row.case_id for row in search(store, rules, "øresund") if row.source == "task"} == {first}, "workplace"
    complete_task(store, task, "Klaret")
    assert not _found(store, rules, "øjvind") and not _indexed(store, "task_search_index", "øjvind"), "done"
    with store.write() as session:
        session.execute(sa.text("UPDATE task SET done_at = NULL WHERE id = :id"), {"id": task})
    assert _found(store, rules, "øjvind") == {task}, "reopened"
    set_case_status(store, first, "closed", "Afsluttet")
    discard_case(store, first, "Opbevaringsfristen er udløbet", NOW.date(), early=True)
    assert not _indexed(store, "task_search_index", "øjvind") and not _indexed(store, "case_search_index", "ørum")


@pytest.mark.sqlite_only
def test_kassation_leaves_nothing_of_the_case_in_the_index(store: Store, db_path: Path, rules: Rules) -> None:
    """FTS5 only marks a deleted row; compact() must rewrite the index so the trigrams leave the file."""
    workplace = save_workplace(store, {"name": "Bostedet"})
    secret = "Ŧŧŧǿǿǿ Ꞩꞩꞩ"  # letters nothing else here has: their trigrams in the file can only be this name's
    case_id, _ = register_episode(store, EpisodeInput(workplace.id or 0, NOW, secret, "citizen"))
    add_task(store, case_id, f"Samtale med {secret}", NOW + timedelta(days=2))
    set_case_status(store, case_id, "closed", "Afsluttet")
    # The first trigram of each letter is stored whole (the index shares prefixes between sorted terms).
    trigrams = [secret.casefold()[i : i + 3].encode() for i in (0, 7)]
    assert all(t in _index_bytes(store) for t in trigrams), "the index held the name before kassation"
    discard_case(store, case_id, "Opbevaringsfristen er udløbet", NOW.date(), early=True)
    compact(store)
    assert not any(t in _index_bytes(store) for t in trigrams)
    raw = b"".join(p.read_bytes() for p in db_path.parent.iterdir() if p.name.startswith(db_path.name))
    assert not any(t in raw for t in trigrams), "nothing of the name is left anywhere in the file"
    assert search(store, rules, secret) == []


def _index_bytes(store: Store) -> bytes:
    """Every value of every table the search index consists of (its shadow tables included)."""
    tables = [row[0] for row in store.fetch("SELECT name FROM sqlite_master WHERE name LIKE '%search_index%'")]
    shadow = [name for name in tables if name.endswith(("_data", "_idx", "_docsize", "_config", "_content"))]
    assert shadow, "the index's shadow tables"
    return b"".join(
        value if isinstance(value, bytes) else str(value).encode()
        for name in shadow
        for row in store.fetch(f"SELECT * FROM {name}")
        for value in row
    )


@contextmanager
def _row_versions(store: Store) -> Iterator[None]:
    versioned = importlib.import_module("trivsel_tui.store.migrations.versions.0021_row_versions").VERSIONED
    with writer(store.engine).begin() as connection:
        for table in versioned:
            connection.exec_driver_sql(f'ALTER TABLE "{table}" ADD COLUMN version INTEGER NOT NULL DEFAULT 1')
    yield
    with writer(store.engine).begin() as connection:
        for table in versioned:
            connection.exec_driver_sql(f'ALTER TABLE "{table}" DROP COLUMN version')


def _downgrade(store: Store, revision: str) -> None:
    from alembic import command

    config = _config()
    with writer(store.engine).connect() as connection:
        config.attributes["connection"] = connection
        command.downgrade(config, revision)
        connection.commit()


def test_downgrade_drops_the_index_and_upgrade_fills_it_again(
    store: Store, danish: list[int], rules: Rules, monkeypatch: pytest.MonkeyPatch
) -> None:
    rows = store.fetch("SELECT count(*) FROM task")
    _downgrade(store, "0019")
    store.has_search_index = None
    assert not search_index.has_index(store) and store.fetch("SELECT count(*) FROM task") == rows
    with _row_versions(store):  # the models need 0021's column, which the downgrade to 0019 took too
        task = add_task(store, danish[0], "Opfølgning hos Åse", NOW + timedelta(days=9))  # written while there is none
    upgrade(store.engine)
    store.has_search_index = None
    assert search_index.has_index(store), "0020 again"
    assert _found(store, rules, "opfølgning hos å") == {task}, "filled from the rows written before"
    assert search(store, rules, "ørum") == walked(store, rules, "ørum", monkeypatch)


@pytest.mark.postgres_only
def test_a_server_that_refuses_the_extension_still_migrates(store: Store) -> None:
    """pg_trgm needs a role that may create it; without it 0020 makes the index tables without GIN indexes,
    and the migration's transaction goes on."""
    migration = importlib.import_module("trivsel_tui.store.migrations.versions.0020_substring_search_index")
    with store.engine.begin() as connection:
        assert not migration._postgres_extension(connection, "no_such_extension")
        assert connection.execute(sa.text("SELECT count(*) FROM task")).scalar() == 0


@pytest.mark.postgres_only
def test_a_consultants_role_writes_and_searches_after_the_upgrade(
    store: Store, danish: list[int], rules: Rules, postgres_server: URL
) -> None:
    """A role granted the tables before 0020 (README) may not touch the new index tables by itself: the
    trigger runs as their owner, and the upgrade lets every reader of `task` read them."""
    _downgrade(store, "0019")
    role = f"lene_{uuid.uuid4().hex[:8]}"
    with store.engine.begin() as connection:
        connection.execute(sa.text(f"CREATE ROLE {role} LOGIN"))
        connection.execute(sa.text(f"GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA public TO {role}"))
        connection.execute(sa.text(f"GRANT USAGE ON ALL SEQUENCES IN SCHEMA public TO {role}"))
    upgrade(store.engine)
    assert store.url is not None
    lene = Store.open(store.url.set(username=role), "lene", lambda: NOW)
    try:
        task = add_task(lene, danish[0], "Samtale med Øjvind", NOW + timedelta(days=1))
        assert _found(lene, rules, "øjvind") == {task}
    finally:
        lene.close()
        with store.engine.begin() as connection:
            connection.execute(sa.text(f"DROP OWNED BY {role}"))
            connection.execute(sa.text(f"DROP ROLE {role}"))


def test_without_the_trigram_index_the_search_is_still_right(store: Store, danish: list[int], rules: Rules) -> None:
    """An SQLite without FTS5 trigram has no index tables: every open task is read. A server without
    pg_trgm has the narrow tables without their GIN indexes: they are read whole."""
    expected = {text: search(store, rules, text) for text in ("ørum", "aab", "ø")}
    postgres = is_postgres(store.dialect_name)
    with store.engine.begin() as connection:
        if postgres:
            for name in ("task_search_index", "case_search_index"):
                connection.execute(sa.text(f"DROP INDEX ix_{name}"))
        else:
            for name in ("task_search_index", "case_search_index"):
                for event in ("insert", "update", "delete"):
                    connection.exec_driver_sql(f"DROP TRIGGER {name}_{event}")
                connection.exec_driver_sql(f"DROP TABLE {name}")
    store.has_search_index = None
    assert search_index.narrows(store, "ørum", {"f_search": "%ørum%"}) == postgres
    assert {text: search(store, rules, text) for text in expected} == expected
    assert add_task(store, danish[0], "Ny opgave", None), "writes go on"


def test_trivsel_check_finds_a_missing_search_trigger_and_the_rows_it_let_slip(store: Store, danish: list[int]) -> None:
    from trivsel_tui.store.check import check_database, check_team_database

    def search_line() -> str:
        findings = check_database(store.path) if store.path else check_team_database(store.url)  # type: ignore[arg-type]
        (line,) = [("✓ " if f.ok else "✗ ") + f.line for f in findings if "øgeindeks" in f.line]
        return line

    assert search_line().startswith("✓ ")
    trigger = "task_search_index_sync ON task" if store.url else "task_search_index_insert"
    with store.engine.begin() as connection:
        connection.exec_driver_sql(f"DROP TRIGGER {trigger}")
    add_task(store, danish[0], "Opgave uden indeks", None)
    line = search_line()
    assert line.startswith("✗ ") and trigger.split()[0] in line and "1 række ude af trit" in line


@pytest.mark.sqlite_only
def test_a_file_with_the_index_is_refused_where_sqlite_has_no_fts5(
    store: Store, db_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Some Python builds' SQLite lack FTS5: every write to a task or case would fail in the index's triggers.
    Such a file is refused with one Danish line, and left as it was."""
    store.close()
    before = db_path.read_bytes()
    monkeypatch.setattr(guard, "reads_trigram_index", lambda _connection: False)
    with pytest.raises(guard.DatabaseRefusedError, match="FTS5") as refused:
        Store.open(db_path, "tester", lambda: NOW)
    assert "\n" not in str(refused.value) and db_path.read_bytes() == before
