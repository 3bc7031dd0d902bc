"""Issue 12: every task has an owner role and a person — the workplace's by default, another by choice
(audited) — and the dashboard's Ansvarlig column, its filter and `trivsel due --json` use them."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest
from sqlmodel import select
from textual.widgets import DataTable, TextArea

from tests.conftest import NOW, settle
from tests.test_legal_deadlines import OCCURRED, dashboard_rows, make_app, move_to, opened, task_updates, tasks_by_code
from trivsel_tui.domain.classify import classify
from trivsel_tui.domain.facts import parse_facts
from trivsel_tui.domain.rules import Rules
from trivsel_tui.screens.home import COLUMNS, HomeScreen
from trivsel_tui.settings import Settings
from trivsel_tui.store.cases import EpisodeInput, register_episode, save_classification
from trivsel_tui.store.dashboard import DueFilters
from trivsel_tui.store.models import Task
from trivsel_tui.store.queries import save_workplace
from trivsel_tui.store.store import Store


def classified_case(store: Store, rules: Rules, perpetrator: str = "citizen") -> int:
    workplace = save_workplace(
        store,
        {
            "name": "Lyngbo",
            "leader_name": "Hanne Holm",
            "amr_name": "Ali Amr",
            "amg_members": "Ali Amr, Eva Enevold",
            "hr_consultant": "Lene HR",
        },
    )
    assert workplace.id is not None
    case_id, episode_id = register_episode(store, EpisodeInput(workplace.id, OCCURRED, "Mette", perpetrator))
    facts = {"occurred_at": OCCURRED.isoformat(), "behaviours": ["blow"], "perpetrator": perpetrator, "injury": "none"}
    save_classification(store, episode_id, facts, classify(parse_facts(facts, rules), rules))
    return case_id


@pytest.mark.both_databases
def test_the_workplace_names_the_default_owners(store: Store, rules: Rules) -> None:
    classified_case(store, rules)
    tasks = tasks_by_code(store)
    assert tasks["amg_follow_up"].owner == "Ali Amr, Eva Enevold", "arbejdsmiljøgruppen's members"
    assert tasks["insurance_report"].owner == "Lene HR", "the workplace's HR consultant"
    assert tasks["offer_support"].owner == "Hanne Holm"


@pytest.mark.both_databases
def test_the_leaders_task_goes_to_the_leaders_leader_when_the_leader_is_the_perpetrator(
    store: Store, rules: Rules
) -> None:
    classified_case(store, rules, perpetrator="manager")
    tasks = tasks_by_code(store)
    assert {t.owner_role for t in tasks.values()} >= {"next_leader"}
    assert all(t.owner != "Hanne Holm" for t in tasks.values()), "never the leader the case is about"


async def test_another_owner_for_one_task_is_audited_and_shown_and_filtered(
    store: Store, settings: Settings, rules: Rules, db_path: Path
) -> None:
    case_id = classified_case(store, rules)
    support = tasks_by_code(store)["offer_support"]
    app = make_app(store, settings, rules)
    async with app.run_test(size=(160, 45)) as pilot:
        app.open_case(case_id)
        await settle(app, pilot)
        row = [str(c) for c in app.screen.query_one("#tasks", DataTable).get_row_at(0)]
        assert "(" in row[1], "the owner column names person and role"
        move_to(app, "#tasks", support.title)
        await pilot.press("w")
        await settle(app, pilot)
        area = app.screen.query_one(TextArea)
        assert area.text == "Hanne Holm" and area.cursor_location == area.document.end
        area.text = "Bente Berg"
        await pilot.press("ctrl+s")
        await settle(app, pilot)
        await pilot.press("o")
        await settle(app, pilot)
        assert dashboard_rows(app)[support.title][COLUMNS.index("responsible")] == "Bente Berg (leder)"
        screen = app.screen
        assert isinstance(screen, HomeScreen)
        screen.filters = DueFilters(responsible="Bente Berg")
        screen.load()
        await settle(app, pilot)
        assert list(dashboard_rows(app)) == [support.title]
    changed = tasks_by_code(store)["offer_support"]
    assert (changed.owner, changed.owner_chosen, changed.owner_role) == ("Bente Berg", True, "leader")
    [values] = opened(store, task_updates(store))
    assert values == {"owner": ["Hanne Holm", "Bente Berg"], "owner_chosen": [False, True]}

    printed = subprocess.run(
        [sys.executable, "-m", "trivsel_tui", "due", "--db", str(db_path), "--json", "--as-of", NOW.isoformat()],
        capture_output=True,
        text=True,
        timeout=60,
        check=True,
    )
    items = {item["title"]: item for item in json.loads(printed.stdout)}
    assert (items[support.title]["owner_role"], items[support.title]["owner"]) == ("leader", "Bente Berg")
    with store.read() as session:
        amg = session.exec(select(Task).where(Task.action_code == "amg_follow_up")).one()
    assert items[amg.title]["owner_role"] == "work_environment_group"


@pytest.mark.both_databases
def test_the_statistics_count_open_tasks_under_the_stored_role(store: Store, rules: Rules) -> None:
    from trivsel_tui.statistics_report import load_owners
    from trivsel_tui.store.statistics import StatFilters

    classified_case(store, rules)
    with store.write() as session:
        support = session.exec(select(Task).where(Task.action_code == "offer_support")).one()
        support.owner_role = "personnel_department"  # as a later rules version might have assigned it
        session.add(support)
    owners = {load.owner: load.open for load in load_owners(store, rules, StatFilters(), NOW)}
    assert owners.get("personnel_department") == 1 and "leader" not in owners
