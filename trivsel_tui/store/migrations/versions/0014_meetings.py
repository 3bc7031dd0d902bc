"""Meetings of arbejdsmiljøgruppen, triogrupper and Lokal MED: agenda items, decisions, their actions and
the minutes' versions. New tables only, so every existing row stays as it is.

Revision ID: 0014
Revises: 0013
"""

import sqlalchemy as sa
from alembic import op

revision = "0014"
down_revision = "0013"
branch_labels = None
depends_on = None


def _times() -> list[sa.Column[object]]:
    return [
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("updated_at", sa.DateTime(), nullable=False),
    ]


def upgrade() -> None:
    op.create_table(
        "meeting",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("body_kind", sa.String(), nullable=False),
        sa.Column("body_key", sa.String(), nullable=False),
        sa.Column("body_name", sa.String(), nullable=False),
        sa.Column("workplace_ids", sa.JSON(), nullable=False),
        sa.Column("held_on", sa.Date(), nullable=False),
        sa.Column("attendees", sa.JSON(), nullable=False),
        sa.Column("status", sa.String(), nullable=False),
        sa.Column("closed_at", sa.DateTime(), nullable=True),
        *_times(),
    )
    op.create_index("ix_meeting_body_key", "meeting", ["body_key"])
    op.create_table(
        "meeting_item",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("meeting_id", sa.Integer(), sa.ForeignKey("meeting.id"), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(), nullable=False),
        sa.Column("reasons", sa.JSON(), nullable=False),
        sa.Column("case_id", sa.Integer(), nullable=True),
        sa.Column("workplace_id", sa.Integer(), nullable=True),
        sa.Column("plan_id", sa.Integer(), nullable=True),
        sa.Column("title", sa.String(), nullable=False),
        sa.Column("carried_from", sa.Integer(), nullable=True),
        sa.Column("decision", sa.String(), nullable=False),
        sa.Column("follow_up_by", sa.String(), nullable=False),
        sa.Column("resolved", sa.Boolean(), nullable=False),
        *_times(),
    )
    op.create_index("ix_meeting_item_meeting_id", "meeting_item", ["meeting_id"])
    op.create_index("ix_meeting_item_case_id", "meeting_item", ["case_id"])
    op.create_table(
        "meeting_action",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("meeting_item_id", sa.Integer(), sa.ForeignKey("meeting_item.id"), nullable=False),
        sa.Column("case_id", sa.Integer(), nullable=True),
        sa.Column("kind", sa.String(), nullable=False),
        sa.Column("target_id", sa.Integer(), nullable=False),
        sa.Column("text", sa.String(), nullable=False),
        sa.Column("owner", sa.String(), nullable=False),
        sa.Column("due_on", sa.Date(), nullable=True),
        sa.Column("horizon", sa.String(), nullable=False),
        *_times(),
    )
    op.create_index("ix_meeting_action_meeting_item_id", "meeting_action", ["meeting_item_id"])
    op.create_table(
        "meeting_minutes",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("meeting_id", sa.Integer(), sa.ForeignKey("meeting.id"), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("reason", sa.String(), nullable=False),
        sa.Column("markdown", sa.Text(), nullable=False),
        *_times(),
    )
    op.create_index("ix_meeting_minutes_meeting_id", "meeting_minutes", ["meeting_id"])


def downgrade() -> None:
    for table in ("meeting_minutes", "meeting_action", "meeting_item", "meeting"):
        op.drop_table(table)
