"""The demo generator: deterministic, realistic, audited."""

from __future__ import annotations

import sqlite3
from pathlib import Path

from tests.conftest import NOW
from trivsel_tui.domain.rules import Rules
from trivsel_tui.store.demo import generate_demo
from trivsel_tui.store.store import Store

TABLES = ("workplace", "action_plan", "action_item", '"case"', "episode", "task")


def dump(path: Path) -> dict[str, list[tuple[object, ...]]]:
    connection = sqlite3.connect(path)
    return {table: connection.execute(f"SELECT * FROM {table} ORDER BY id").fetchall() for table in TABLES}


def make(tmp_path: Path, name: str, rules: Rules, seed: int, cases: int = 300) -> Path:
    path = tmp_path / name
    store = Store.open(path, "demo", lambda: NOW)
    generate_demo(store, rules, cases, seed, NOW)
    store.close()
    return path


def test_same_seed_gives_the_same_database(tmp_path: Path, rules: Rules) -> None:
    assert dump(make(tmp_path, "a.sqlite3", rules, 7)) == dump(make(tmp_path, "b.sqlite3", rules, 7))


def test_other_seed_gives_other_data(tmp_path: Path, rules: Rules) -> None:
    assert dump(make(tmp_path, "a.sqlite3", rules, 7)) != dump(make(tmp_path, "b.sqlite3", rules, 8))


def test_demo_data_is_varied_and_realistic(tmp_path: Path, rules: Rules) -> None:
    connection = sqlite3.connect(make(tmp_path, "demo.sqlite3", rules, 1, cases=600))
    one = lambda sql: connection.execute(sql).fetchone()[0]  # noqa: E731
    assert one('SELECT count(*) FROM "case"') == 600
    perpetrators = {row[0] for row in connection.execute("SELECT DISTINCT perpetrator FROM episode")}
    # Issue 11 added `relative` (pårørende) to the perpetrators; the demo uses it beside the citizen.
    assert perpetrators == {"citizen", "relative", "colleague", "manager", "unknown"}
    categories = {
        c
        for (json,) in connection.execute("SELECT classification FROM episode")
        for c in __import__("json").loads(json)["categories"]
    }
    assert categories == {"violence_threats", "bullying_degrading", "sexual_harassment"}
    statuses = {row[0] for row in connection.execute('SELECT DISTINCT status FROM "case"')}
    assert statuses == {"open", "closed"}
    now = NOW.strftime("%Y-%m-%d %H:%M:%S")
    assert one(f"SELECT count(*) FROM task WHERE done_at IS NULL AND due_at < '{now}'") > 0  # overdue
    assert (
        one(
            f"SELECT count(*) FROM task WHERE done_at IS NULL AND due_at >= '{now}'"
            f" AND due_at < datetime('{now}', '+7 days')"
        )
        > 0
    )  # due soon
    units = {row[0] for row in connection.execute("SELECT DISTINCT unit FROM workplace")}
    assert {"Dagtilbud", "Ældrepleje", "Jobcenter", "Skole"} <= units
    # Every generated row has its audit entry.
    rows = sum(one(f"SELECT count(*) FROM {t}") for t in TABLES)
    assert one("SELECT count(*) FROM audit_entry") == rows


def test_running_demo_twice_adds_cases_without_duplicate_refs(tmp_path: Path, rules: Rules) -> None:
    path = tmp_path / "twice.sqlite3"
    store = Store.open(path, "demo", lambda: NOW)
    generate_demo(store, rules, 50, 1, NOW)
    generate_demo(store, rules, 50, 2, NOW)
    store.close()
    connection = sqlite3.connect(path)
    assert connection.execute('SELECT count(*), count(DISTINCT ref) FROM "case"').fetchone() == (100, 100)


def test_demo_descriptions_read_as_danish_and_fit_the_perpetrator(tmp_path: Path, rules: Rules) -> None:
    """Review §4: no doubled prepositions ("ved i badeværelset", "ved under en udflugt"), nobody kicked over the
    phone, and "En kollega" only when a colleague stood behind it (a manager is "Lederen")."""
    connection = sqlite3.connect(make(tmp_path, "demo.sqlite3", rules, 3, cases=600))
    rows = connection.execute("SELECT description, place, perpetrator, behaviours FROM episode").fetchall()
    remote = {"Telefonen", "e-Boks", "Teams-møde"}
    physical = {"kick", "blow", "push", "bite", "pinch", "scratch", "spit", "thrown_object", "restraint"}
    for description, place, perpetrator, behaviours in rows:
        for doubled in ("ved ved", "ved i ", "ved på ", "ved under", "ved over", "i i ", "på på "):
            assert doubled not in description, description
        assert description.endswith((".", "«")), description
        if place in remote:
            assert not physical & set(__import__("json").loads(behaviours)), (place, description)
        if description.startswith(("En kollega", "Lederen")):
            assert perpetrator == ("colleague" if description.startswith("En kollega") else "manager"), description
    assert any(d.startswith("Lederen") for d, _, p, _ in rows if p == "manager")
    assert any("over telefonen" in d for d, *_ in rows)


def test_closed_demo_cases_have_their_closing_day_so_retention_runs(tmp_path: Path, rules: Rules) -> None:
    """A closed case without closed_at is never due for kassation: the demo's retention screen showed every
    closed case as 'åben sag'."""
    connection = sqlite3.connect(make(tmp_path, "demo.sqlite3", rules, 1))
    closed = connection.execute("SELECT count(*), count(closed_at) FROM \"case\" WHERE status = 'closed'").fetchone()
    assert closed[0] > 0 and closed[1] == closed[0]
    assert connection.execute("SELECT count(closed_at) FROM \"case\" WHERE status = 'open'").fetchone()[0] == 0
