"""The episode's time, perpetrator and categories on each of its tasks, kept in step by the database.

The statistics' task views (deadline performance, open tasks by owner) filter tasks by their episode's
period, perpetrator and categories. Joining every task to its episode for that took 300–400 ms at 100k
cases; with the three copied onto the task, one index answers them (migration 0019).

Triggers keep the copies in step, so no write path can forget them: an ORM flush, a bulk insert (the
demo), `migrate-to`'s copy, a migration's plain UPDATE. A task takes its episode's values when it is
inserted or pointed at another episode; an episode's change is written to its tasks. SQLite runs the
UPDATE in the trigger body; PostgreSQL calls plpgsql functions. Each function takes an engine, a
connection or alembic's op.get_bind().
"""

from __future__ import annotations

from typing import Any

from trivsel_tui.store.dialect import is_postgres

# The task's copy and the episode's column it copies.
COPIED = {"episode_at": "occurred_at", "episode_perpetrator": "perpetrator", "episode_categories": "categories"}
# PostgreSQL's first trigger fires on insert and on a new episode_id; SQLite needs one for each.
TRIGGERS = {
    "sqlite": ("task_takes_episode_fields", "task_takes_new_episode_fields", "episode_fields_to_tasks"),
    "postgresql": ("task_takes_episode_fields", "episode_fields_to_tasks"),
}
# Tasks whose copy differs from their episode (`trivsel check`); the episode's three are never NULL.
STALE_SQL = (
    "SELECT count(*) FROM task t JOIN episode e ON e.id = t.episode_id WHERE t.episode_at IS NULL"
    " OR t.episode_at <> e.occurred_at OR t.episode_perpetrator <> e.perpetrator"
    " OR t.episode_categories <> e.categories"
)

_TASK_COLUMNS = ", ".join(COPIED)
_EPISODE_COLUMNS = ", ".join(COPIED.values())
_CHANGED = " OR ".join(f"NEW.{column} IS DISTINCT FROM OLD.{column}" for column in COPIED.values())
_SET_FROM_NEW = ", ".join(f"{copy} = NEW.{column}" for copy, column in COPIED.items())


def backfill(bind: Any) -> None:
    """Every task with an episode takes its episode's values (UPDATE … FROM: SQLite ≥ 3.33 and PostgreSQL)."""
    assignments = ", ".join(f"{copy} = e.{column}" for copy, column in COPIED.items())
    bind.exec_driver_sql(f"UPDATE task SET {assignments} FROM episode e WHERE e.id = task.episode_id")


def install(bind: Any) -> None:
    if is_postgres(bind):
        _install_postgres(bind)
        return
    take = (
        f"BEGIN UPDATE task SET ({_TASK_COLUMNS}) = (SELECT {_EPISODE_COLUMNS} FROM episode WHERE id = NEW.episode_id)"
        " WHERE id = NEW.id; END"
    )
    # SQLite spells IS DISTINCT FROM as IS NOT.
    changed = _CHANGED.replace("IS DISTINCT FROM", "IS NOT")
    for statement in (
        f"CREATE TRIGGER task_takes_episode_fields AFTER INSERT ON task WHEN NEW.episode_id IS NOT NULL {take}",
        "CREATE TRIGGER task_takes_new_episode_fields AFTER UPDATE OF episode_id ON task"
        f" WHEN NEW.episode_id IS NOT NULL {take}",
        f"CREATE TRIGGER episode_fields_to_tasks AFTER UPDATE OF {_EPISODE_COLUMNS} ON episode WHEN {changed}"
        f" BEGIN UPDATE task SET {_SET_FROM_NEW} WHERE episode_id = NEW.id; END",
    ):
        bind.exec_driver_sql(statement)


def _install_postgres(bind: Any) -> None:
    into = ", ".join(f"NEW.{copy}" for copy in COPIED)
    bind.exec_driver_sql(
        "CREATE OR REPLACE FUNCTION task_takes_episode_fields() RETURNS trigger LANGUAGE plpgsql AS $$BEGIN"
        f" IF NEW.episode_id IS NOT NULL THEN SELECT {_EPISODE_COLUMNS} INTO {into} FROM episode"
        " WHERE id = NEW.episode_id; END IF; RETURN NEW; END$$"
    )
    bind.exec_driver_sql(
        "CREATE OR REPLACE FUNCTION episode_fields_to_tasks() RETURNS trigger LANGUAGE plpgsql AS $$BEGIN"
        f" UPDATE task SET {_SET_FROM_NEW} WHERE episode_id = NEW.id; RETURN NULL; END$$"
    )
    bind.exec_driver_sql(
        "CREATE TRIGGER task_takes_episode_fields BEFORE INSERT OR UPDATE OF episode_id ON task"
        " FOR EACH ROW EXECUTE FUNCTION task_takes_episode_fields()"
    )
    bind.exec_driver_sql(
        f"CREATE TRIGGER episode_fields_to_tasks AFTER UPDATE OF {_EPISODE_COLUMNS} ON episode"
        f" FOR EACH ROW WHEN ({_CHANGED}) EXECUTE FUNCTION episode_fields_to_tasks()"
    )


def remove(bind: Any) -> None:
    if is_postgres(bind):
        bind.exec_driver_sql("DROP TRIGGER IF EXISTS task_takes_episode_fields ON task")
        bind.exec_driver_sql("DROP TRIGGER IF EXISTS episode_fields_to_tasks ON episode")
        bind.exec_driver_sql("DROP FUNCTION IF EXISTS task_takes_episode_fields()")
        bind.exec_driver_sql("DROP FUNCTION IF EXISTS episode_fields_to_tasks()")
        return
    for name in TRIGGERS["sqlite"]:
        bind.exec_driver_sql(f"DROP TRIGGER IF EXISTS {name}")
