"""Migration 0012 gives every existing task its owner role (from its action code), its owner (from the
workplace and the case) and whether its deadline is legal; every row is kept."""

from __future__ import annotations

from pathlib import Path

from sqlmodel import select

from tests.conftest import NOW
from tests.test_upgrade_categories import STAMP, insert
from trivsel_tui.store.migrate import upgrade
from trivsel_tui.store.models import Task
from trivsel_tui.store.store import Store

DUE = "2026-12-01 10:00:00.000000"


def test_existing_tasks_get_owner_role_owner_and_legal_flag(tmp_path: Path) -> None:
    path = tmp_path / "old.sqlite3"
    old = Store(path, "tester")
    upgrade(old.engine, "0011")
    with old.engine.begin() as connection:
        insert(connection, "workplace", id=1, name="Lyngbo", leader_name="Hanne Holm", amr_name="Ali Amr")
        for case_id, person in ((1, "Ida Dahl"), (2, "Bo Berg")):
            insert(
                connection,
                "case",
                id=case_id,
                ref=f"2026-000{case_id}",
                workplace_id=1,
                affected_person=person,
                consultant="Lene HR",
                status="open",
            )
        # Case 1: a citizen's violence with injury (work accident). Case 2: the leader is the perpetrator,
        # no injury (a krænkelse, whose report deadline is the program's default).
        insert(
            connection,
            "episode",
            id=1,
            case_id=1,
            occurred_at=STAMP,
            perpetrator="citizen",
            insurance_report="work_accident",
        )
        insert(
            connection,
            "episode",
            id=2,
            case_id=2,
            occurred_at=STAMP,
            perpetrator="manager",
            insurance_report="violation",
        )
        rows = [
            (1, 1, "police_report"),
            (2, 1, "insurance_report"),
            (3, 1, "victim_compensation"),
            (4, 1, "offer_support"),
            (5, 1, "amg_follow_up"),
            (6, 2, "insurance_report"),
            (7, 2, "offer_support"),
            (8, 2, "resolve_locally_manager"),
            (9, 1, "manual"),
        ]
        for task_id, episode, code in rows:
            insert(
                connection,
                "task",
                id=task_id,
                case_id=episode,
                episode_id=None if code == "manual" else episode,
                action_code=code,
                title=f"Opgave {task_id}",
                due_at=DUE,
            )
    old.close()

    store = Store.open(path, "tester", lambda: NOW)
    try:
        with store.read() as session:
            tasks = {task.id: task for task in session.exec(select(Task))}
    finally:
        store.close()
    assert len(tasks) == 9, "every row is kept"
    got = {i: (t.owner_role, t.owner, t.legal_deadline) for i, t in tasks.items()}
    assert got == {
        1: ("hr", "Lene HR", True),
        2: ("hr", "Lene HR", True),
        3: ("employee", "Ida Dahl", True),
        4: ("leader", "Hanne Holm", False),
        5: ("work_environment_group", "Ali Amr", False),
        6: ("hr", "Lene HR", False),
        7: ("next_leader", "", False),  # the leader is the perpetrator: the leader's own leader
        8: ("employee", "Bo Berg", False),
        9: ("hr", "Lene HR", False),
    }
    assert tasks[4].owner_search == "hanne holm", "search keys are filled for the dashboard"
