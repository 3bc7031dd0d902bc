"""The task views (deadline performance, open tasks by owner) filter tasks by the copy of their episode's
time, perpetrator and categories on the task row (store/task_episode.py). Their numbers must stay those of
the join through the episodes they replaced, through every kind of edit, on both databases."""

from __future__ import annotations

from datetime import UTC, date, datetime
from typing import Any

import pytest
from sqlalchemy import text, update
from sqlmodel import col, select

from tests import statistics_data as known
from tests.conftest import NOW
from trivsel_tui.domain.classify import classify
from trivsel_tui.domain.facts import parse_facts
from trivsel_tui.domain.rules import Rules
from trivsel_tui.store import statistics
from trivsel_tui.store.cases import EpisodeInput, complete_task, get_episode, register_episode, save_classification
from trivsel_tui.store.models import Episode, Task
from trivsel_tui.store.outcomes import OutcomeInput, save_outcome
from trivsel_tui.store.statistics import StatFilters, open_tasks_by_action, task_performance
from trivsel_tui.store.store import Store
from trivsel_tui.texts import t

pytestmark = pytest.mark.both_databases
NOTAT = "notat"

# The statistics' SQL before the copies: every task joined to its episode, filtered on the episode.
JOINED_PERFORMANCE = """SELECT kind,
    sum(CASE WHEN done IS NOT NULL AND (due_at IS NULL OR done <= due_at) THEN 1 ELSE 0 END) AS on_time,
    sum(CASE WHEN done IS NOT NULL AND done > due_at THEN 1 ELSE 0 END) AS late,
    sum(CASE WHEN done IS NULL AND due_at < :now THEN 1 ELSE 0 END) AS overdue,
    sum(CASE WHEN done IS NULL AND (due_at IS NULL OR due_at >= :now) THEN 1 ELSE 0 END) AS pending,
    sum(CASE WHEN note = :dispensation THEN 1 ELSE 0 END) AS by_notat
    FROM (SELECT t.action_code AS kind, t.due_at AS due_at, t.note AS note,
            COALESCE(o.insubiz_reported_on, t.done_at) AS done
        FROM episode e CROSS JOIN task t LEFT JOIN episode_outcome o
            ON o.episode_id = t.episode_id AND t.action_code = 'insurance_report'
        {where} AND e.id = t.episode_id AND t.note != :retired AND t.action_code IN ({kinds})) AS timed
    GROUP BY kind ORDER BY kind"""
JOINED_OWNERS = """SELECT t.action_code, e.perpetrator, t.owner_role, count(*),
    sum(CASE WHEN t.due_at < :now THEN 1 ELSE 0 END)
    FROM episode e CROSS JOIN task t CROSS JOIN "case" c
    {where} AND t.episode_id = e.id AND c.id = e.case_id AND t.done_at IS NULL AND c.status = 'open'
    GROUP BY t.action_code, e.perpetrator, t.owner_role ORDER BY t.action_code, e.perpetrator, t.owner_role"""


def selections(ids: dict[str, int]) -> tuple[StatFilters, ...]:
    return (
        StatFilters(),
        StatFilters(start=date(2026, 10, 1), end=date(2026, 10, 31)),
        StatFilters(categories=("violence_threats",)),
        StatFilters(categories=("sexual_harassment", "bullying_degrading"), perpetrators=("colleague",)),
        StatFilters(start=date(2026, 9, 1), workplace_ids=(ids[known.JOBCENTER], ids[known.PLEJECENTER])),
    )


def shown(store: Store, filters: StatFilters) -> tuple[Any, ...]:
    """What the deadline and owner views count, as plain tuples."""
    performance = task_performance(store, filters, NOW, NOTAT)
    kinds = sorted((k.kind, k.on_time, k.late, k.overdue, k.pending) for k in performance.kinds if k.total)
    owners = [
        (o.action_code, o.perpetrator, o.owner_role, o.open, o.overdue)
        for o in open_tasks_by_action(store, filters, NOW)
    ]
    return tuple(kinds), performance.police_by_notat, owners


def joined(store: Store, filters: StatFilters) -> tuple[Any, ...]:
    params: dict[str, Any] = {"now": NOW, "dispensation": NOTAT, "retired": t("store_notes.retired")}
    where = statistics._where(filters, params)
    kinds = ", ".join(f"'{kind}'" for kind in statistics.TIMED_KINDS)
    with store.read() as session:
        timed = statistics._execute(session, JOINED_PERFORMANCE.format(where=where, kinds=kinds), params).all()
        owners = statistics._execute(session, JOINED_OWNERS.format(where=where), params).all()
    kinds_rows = sorted((r.kind, *(int(v) for v in r[1:5])) for r in timed)
    notat = sum(int(r.by_notat) for r in timed if r.kind == "police_report")
    return tuple(kinds_rows), notat, [(a, b, c, int(d), int(e or 0)) for a, b, c, d, e in owners]


def stale_copies(store: Store) -> int:
    """Tasks whose copy differs from their episode (NULL-safe on both databases)."""
    differs = " OR ".join(
        f"NOT (t.{copy} = e.{column} OR (t.{copy} IS NULL AND e.{column} IS NULL))"
        for copy, column in (("episode_at", "occurred_at"), ("episode_perpetrator", "perpetrator"))
    )
    return count(
        store,
        f"SELECT count(*) FROM task t JOIN episode e ON e.id = t.episode_id"
        f" WHERE {differs} OR t.episode_categories != e.categories",
    )


def count(store: Store, sql: str) -> int:
    with store.read() as session:
        return int(session.execute(text(sql)).scalar_one())


def both_ways(store: Store, ids: dict[str, int]) -> list[tuple[Any, ...]]:
    views = [shown(store, f) for f in selections(ids)]
    assert views == [joined(store, f) for f in selections(ids)]
    assert stale_copies(store) == 0
    return views


def reclassify(store: Store, rules: Rules, episode_id: int, behaviour: str) -> None:
    episode = get_episode(store, episode_id)
    assert episode is not None
    facts = {
        "occurred_at": episode.occurred_at.isoformat(),
        "behaviours": [behaviour],
        "perpetrator": episode.perpetrator,
        "injury": "none",
        "intentional": True,
    }
    save_classification(store, episode_id, facts, classify(parse_facts(facts, rules), rules))


@pytest.fixture
def data(store: Store, rules: Rules) -> dict[str, int]:
    ids = known.build(store, rules)
    with store.read() as session:
        tasks = {(task.episode_id, task.action_code): task.id or 0 for task in session.exec(select(Task))}
    # Some tasks done on time, some late, one police report settled by a notat, one Insubiz report dated.
    complete_task(store, tasks[(1, "insurance_report")], "", date(2026, 9, 4))
    complete_task(store, tasks[(2, "insurance_report")], "")
    complete_task(store, tasks[(7, "offer_support")], "", date(2026, 10, 10))
    police = next((task for (_episode, code), task in tasks.items() if code == "police_report"), None)
    if police:
        complete_task(store, police, NOTAT)
    save_outcome(store, 3, OutcomeInput(insubiz_reported_on=date(2026, 9, 20)))
    return ids


def test_task_views_count_as_the_episode_join_through_every_edit(
    data: dict[str, int], store: Store, rules: Rules
) -> None:
    before = both_ways(store, data)
    # The ORM edits an episode's time and perpetrator: September at the Jobcenter becomes October.
    with store.write() as session:
        episode = session.get(Episode, 1)
        assert episode is not None
        episode.occurred_at, episode.perpetrator = datetime(2026, 10, 20, 10, tzinfo=UTC), "colleague"
        session.add(episode)
    # A reclassification changes the categories: bullying at Skolen becomes sexual harassment.
    reclassify(store, rules, 13, "unwanted_touching")
    # Plain SQL moves another episode out of the period, and points a task at a later episode of its case.
    skolen = get_episode(store, 15)
    assert skolen is not None
    later = EpisodeInput(data[known.SKOLEN], datetime(2026, 11, 10, 9, tzinfo=UTC), "Testperson", "manager")
    _case, later_id = register_episode(store, later, skolen.case_id)
    with store.write() as session:
        session.execute(update(Episode).where(Episode.id == 14).values(occurred_at=datetime(2025, 1, 5, tzinfo=UTC)))
        session.execute(update(Task).where(col(Task.episode_id) == 15).values(episode_id=later_id))
    after = both_ways(store, data)
    assert sum(a != b for a, b in zip(after, before, strict=True)) >= 3, "the edits change what most selections count"


def test_the_migration_fills_every_task_and_its_downgrade_keeps_every_row(data: dict[str, int], store: Store) -> None:
    from alembic import command

    from trivsel_tui.store.db import writer
    from trivsel_tui.store.migrate import _config, upgrade

    before = both_ways(store, data)
    tasks = count(store, "SELECT count(*) FROM task")
    config = _config()
    with writer(store.engine).connect() as connection:
        config.attributes["connection"] = connection
        command.downgrade(config, "0018")
        connection.commit()
        assert connection.execute(text("SELECT count(*) FROM task")).scalar_one() == tasks
    upgrade(store.engine)
    assert count(store, "SELECT count(*) FROM task") == tasks
    assert count(store, "SELECT count(*) FROM task WHERE episode_id IS NOT NULL AND episode_at IS NULL") == 0
    assert both_ways(store, data) == before


def test_trivsel_check_finds_a_missing_trigger_and_the_copies_gone_stale(store: Store, rules: Rules) -> None:
    from trivsel_tui.store.check import check_database, check_team_database
    from trivsel_tui.store.queries import save_workplace

    def copies() -> str:
        findings = check_database(store.path) if store.path else check_team_database(store.url)  # type: ignore[arg-type]
        assert all(f.ok for f in findings[:-1])
        return ("✓ " if findings[-1].ok else "✗ ") + findings[-1].line

    workplace = save_workplace(store, {"name": "Skolen"}).id or 0
    known.add_episode(store, rules, workplace, datetime(2026, 10, 1, 9, tzinfo=UTC), "ridicule", "colleague")
    assert copies().startswith("✓ ")
    on_table = " ON episode" if store.url else ""
    with store.engine.begin() as connection:
        connection.exec_driver_sql(f"DROP TRIGGER episode_fields_to_tasks{on_table}")
        connection.exec_driver_sql("UPDATE episode SET perpetrator = 'manager'")
    line = copies()
    assert line.startswith("✗ ") and "episode_fields_to_tasks" in line and "forældet" in line
