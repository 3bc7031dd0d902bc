"""A version counter on every row a user edits in a dialog (issue 17's optimistic check).

`updated_at` was the version: stamped by each laptop's clock, two clocks out of step or two saves in
the same tick could make a stale save look current. The counter is raised by one on every change of
the row (store.audit.stamp_times), and every UPDATE and DELETE of the row names the version it read
(SQLAlchemy's version_id_col), so neither a clock nor a missing lock can let a stale save through.
Existing rows start at 1. One plain ADD COLUMN per table with a constant default: it keeps every row,
runs on SQLite and PostgreSQL, and rewrites no table on either.

Revision ID: 0021
Revises: 0020
"""

import sqlalchemy as sa
from alembic import op

revision = "0021"
down_revision = "0020"
branch_labels = None
depends_on = None

VERSIONED = (
    "workplace",
    "case",
    "episode",
    "task",
    "case_party",
    "episode_outcome",
    "action_plan",
    "action_item",
    "meeting",
    "meeting_item",
)


def upgrade() -> None:
    for table in VERSIONED:
        op.add_column(table, sa.Column("version", sa.Integer(), nullable=False, server_default=sa.text("1")))


def downgrade() -> None:
    for table in reversed(VERSIONED):  # a plain DROP COLUMN: recreating the table would break its triggers
        op.drop_column(table, "version")
