"""Dashboard: task categories (for filtering without reading JSON), notes on plan items (postpone reasons).

Revision ID: 0005
Revises: 0004
"""

import sqlalchemy as sa
from alembic import op

revision = "0005"
down_revision = "0004"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.add_column("task", sa.Column("categories", sa.String(), nullable=False, server_default=""))
    op.add_column("action_item", sa.Column("note", sa.String(), nullable=False, server_default=""))
    # Existing tasks take the categories of their episode's classification: ",a,b," so LIKE '%,a,%' matches.
    op.execute(
        "UPDATE task SET categories = COALESCE((SELECT ',' || group_concat(value, ',') || ','"
        " FROM episode, json_each(episode.classification, '$.categories') WHERE episode.id = task.episode_id), '')"
        " WHERE episode_id IS NOT NULL"
    )


def downgrade() -> None:
    with op.batch_alter_table("action_item") as batch:
        batch.drop_column("note")
    with op.batch_alter_table("task") as batch:
        batch.drop_column("categories")
