"""Each task carries its episode's time, perpetrator and categories, for the statistics' task views.

Deadline performance and open tasks by owner joined every task to its episode to filter by period,
perpetrator and category: 300–400 ms at 100k cases, over the 300 ms a filter change may take. The three
are now on the task (store/task_episode.py), kept in step by triggers, and two covering indexes answer
the two views: ix_task_deadlines (each timed kind's tasks by their episode's time) replaces ix_task_stats
(by episode, for the join); ix_task_open_owners holds the open tasks in the owner view's order.

Every existing task with an episode is filled in one UPDATE … FROM; every row is kept. The triggers
have a PostgreSQL form, and the rest is portable.

Revision ID: 0019
Revises: 0018
"""

import sqlalchemy as sa
from alembic import op

from trivsel_tui.store import task_episode

revision = "0019"
down_revision = "0018"
branch_labels = None
depends_on = None

OPEN = sa.text("done_at IS NULL")
DEADLINES = [
    "action_code",
    "episode_at",
    "due_at",
    "done_at",
    "note",
    "case_id",
    "episode_perpetrator",
    "episode_categories",
    "episode_id",
]
OPEN_OWNERS = [
    "action_code",
    "episode_perpetrator",
    "owner_role",
    "episode_at",
    "due_at",
    "case_id",
    "episode_categories",
    "episode_id",
]


def upgrade() -> None:
    op.add_column("task", sa.Column("episode_at", sa.DateTime(), nullable=True))
    for name in ("episode_perpetrator", "episode_categories"):
        op.add_column("task", sa.Column(name, sa.String(), nullable=False, server_default=""))
    connection = op.get_bind()
    task_episode.backfill(connection)
    task_episode.install(connection)
    op.drop_index("ix_task_stats", table_name="task")
    op.create_index("ix_task_deadlines", "task", DEADLINES)
    op.create_index("ix_task_open_owners", "task", OPEN_OWNERS, sqlite_where=OPEN, postgresql_where=OPEN)
    op.execute("ANALYZE task")  # SQLite keeps no statistics for an index made after ANALYZE


def downgrade() -> None:
    task_episode.remove(op.get_bind())
    op.drop_index("ix_task_open_owners", table_name="task")
    op.drop_index("ix_task_deadlines", table_name="task")
    op.create_index("ix_task_stats", "task", ["episode_id", "action_code", "due_at", "done_at", "note"])
    with op.batch_alter_table("task") as batch:
        for name in ("episode_categories", "episode_perpetrator", "episode_at"):
            batch.drop_column(name)
