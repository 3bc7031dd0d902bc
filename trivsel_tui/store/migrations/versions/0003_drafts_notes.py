"""Drafts (nothing typed is lost), case notes, tasks per episode, the affected employee's job.

Revision ID: 0003
Revises: 0002
"""

import sqlalchemy as sa
from alembic import op

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "case_note",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("case_id", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(), nullable=False),
        sa.Column("text", sa.String(), nullable=False),
        sa.Column("author", sa.String(), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("updated_at", sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(["case_id"], ["case.id"]),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_index("ix_case_note_case_id", "case_note", ["case_id"])
    op.create_table(
        "draft",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("key", sa.String(), nullable=False),
        sa.Column("data", sa.JSON(), nullable=False),
        sa.Column("updated_at", sa.DateTime(), nullable=False),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_index("ix_draft_key", "draft", ["key"], unique=True)
    # Plain ADD COLUMN (no table copy): existing rows keep everything, new columns start empty.
    op.add_column("case", sa.Column("affected_job", sa.String(), nullable=False, server_default=""))
    op.execute("ALTER TABLE task ADD COLUMN episode_id INTEGER REFERENCES episode(id)")
    op.create_index("ix_task_episode_id", "task", ["episode_id"])


def downgrade() -> None:
    op.drop_index("ix_task_episode_id", "task")
    with op.batch_alter_table("task") as batch:
        batch.drop_column("episode_id")
    with op.batch_alter_table("case") as batch:
        batch.drop_column("affected_job")
    op.drop_index("ix_draft_key", "draft")
    op.drop_table("draft")
    op.drop_index("ix_case_note_case_id", "case_note")
    op.drop_table("case_note")
