"""Statistics: each episode carries its counting fields as plain columns (local month, categories, types,
Insubiz kind, police relevance), so the statistics group in SQL on any database without reading JSON,
and covering indexes let them scan 100,000 episodes without touching the wide rows.

Revision ID: 0006
Revises: 0005
"""

from datetime import UTC

import sqlalchemy as sa
from alembic import op

from trivsel_tui.domain.statistics import stat_fields

revision = "0006"
down_revision = "0005"
branch_labels = None
depends_on = None

STAT_INDEX_COLUMNS = [
    "occurred_at",
    "case_id",
    "occurred_month",
    "categories",
    "types",
    "perpetrator",
    "injury",
    "insurance_report",
    "police_relevant",
    "absence_days",
]
TASK_INDEX_COLUMNS = ["episode_id", "action_code", "due_at", "done_at", "note"]
BATCH = 2000


def upgrade() -> None:
    op.add_column("episode", sa.Column("occurred_month", sa.Integer(), nullable=True))
    op.add_column("episode", sa.Column("categories", sa.String(), nullable=False, server_default=""))
    op.add_column("episode", sa.Column("types", sa.String(), nullable=False, server_default=""))
    op.add_column("episode", sa.Column("insurance_report", sa.String(), nullable=True))
    op.add_column("episode", sa.Column("police_relevant", sa.Boolean(), nullable=True))
    _backfill()
    op.create_index("ix_episode_stats", "episode", STAT_INDEX_COLUMNS)
    op.create_index("ix_task_stats", "task", TASK_INDEX_COLUMNS)


def _backfill() -> None:
    """Derive the new columns from each stored classification, in Python, the same way the app does."""
    episode = sa.table(
        "episode",
        sa.column("id", sa.Integer()),
        sa.column("occurred_at", sa.DateTime()),
        sa.column("classification", sa.JSON()),
        sa.column("occurred_month", sa.Integer()),
        sa.column("categories", sa.String()),
        sa.column("types", sa.String()),
        sa.column("insurance_report", sa.String()),
        sa.column("police_relevant", sa.Boolean()),
    )
    connection = op.get_bind()
    update = (
        episode.update()
        .where(episode.c.id == sa.bindparam("episode_id"))
        .values(
            occurred_month=sa.bindparam("occurred_month"),
            categories=sa.bindparam("categories"),
            types=sa.bindparam("types"),
            insurance_report=sa.bindparam("insurance_report"),
            police_relevant=sa.bindparam("police_relevant"),
        )
    )
    read = sa.select(episode.c.id, episode.c.occurred_at, episode.c.classification).order_by(episode.c.id)
    last = 0
    # Keyset pages: never update a table while a cursor over it is still open.
    while batch := connection.execute(read.where(episode.c.id > last).limit(BATCH)).all():
        values = [
            {"episode_id": r.id, **stat_fields(r.occurred_at.replace(tzinfo=UTC), r.classification)} for r in batch
        ]
        connection.execute(update, values)
        last = batch[-1].id


def downgrade() -> None:
    op.drop_index("ix_task_stats", table_name="task")
    op.drop_index("ix_episode_stats", table_name="episode")
    with op.batch_alter_table("episode") as batch:
        for column in ("police_relevant", "insurance_report", "types", "categories", "occurred_month"):
            batch.drop_column(column)
