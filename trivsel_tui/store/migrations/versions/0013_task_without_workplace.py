"""Tasks lose the workplace column nothing ever wrote: a task belongs to a case, and the case names
its workplace. Every row is kept.

SQLite cannot drop a column that has a foreign key, so Alembic's batch mode copies the table; on
PostgreSQL the same calls are a plain DROP INDEX and ALTER TABLE … DROP COLUMN.

Revision ID: 0013
Revises: 0012
"""

import sqlalchemy as sa
from alembic import op

revision = "0013"
down_revision = "0012"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("task") as batch:
        batch.drop_index("ix_task_workplace_id")
        batch.drop_column("workplace_id")


def downgrade() -> None:
    with op.batch_alter_table("task") as batch:
        batch.add_column(sa.Column("workplace_id", sa.Integer(), nullable=True))
        batch.create_foreign_key("fk_task_workplace_id_workplace", "workplace", ["workplace_id"], ["id"])
        batch.create_index("ix_task_workplace_id", ["workplace_id"])
