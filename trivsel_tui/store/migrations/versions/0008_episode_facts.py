"""Two new optional facts on an episode (issue 11): did the injury come from this one episode, and did
it happen outside working hours. Nullable: unknown for every existing row.

Revision ID: 0008
Revises: 0007
"""

import sqlalchemy as sa
from alembic import op

revision = "0008"
down_revision = "0007"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.add_column("episode", sa.Column("injury_from_single_episode", sa.Boolean(), nullable=True))
    op.add_column("episode", sa.Column("outside_working_hours", sa.Boolean(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("episode") as batch:
        batch.drop_column("outside_working_hours")
        batch.drop_column("injury_from_single_episode")
