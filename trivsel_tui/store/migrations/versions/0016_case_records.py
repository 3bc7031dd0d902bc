"""Case records as data: the people involved, individual talks, episode outcomes, notat versions.

New tables only, and one nullable column on case_note: every existing row is kept as it is.
Plain alembic operations, so it runs on PostgreSQL too.

Revision ID: 0016
Revises: 0015
"""

import sqlalchemy as sa
from alembic import op

revision = "0016"
down_revision = "0015"
branch_labels = None
depends_on = None


def _stamps() -> list[sa.Column[object]]:
    return [
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("updated_at", sa.DateTime(), nullable=False),
    ]


def _text(name: str) -> sa.Column[object]:
    return sa.Column(name, sa.String(), nullable=False, server_default="")


def upgrade() -> None:
    op.create_table(
        "case_party",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("case_id", sa.Integer(), sa.ForeignKey("case.id"), nullable=False),
        _text("role"),
        _text("relation"),
        _text("name"),
        _text("job"),
        _text("note"),
        *_stamps(),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_index("ix_case_party_case_id", "case_party", ["case_id"])
    op.create_table(
        "individual_talk",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("case_id", sa.Integer(), sa.ForeignKey("case.id"), nullable=False),
        sa.Column("held_on", sa.Date(), nullable=False),
        _text("employee"),
        _text("topic"),
        _text("agreed_action"),
        sa.Column("follow_up_on", sa.Date(), nullable=True),
        sa.Column("task_id", sa.Integer(), sa.ForeignKey("task.id"), nullable=True),
        *_stamps(),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_index("ix_individual_talk_case_id", "individual_talk", ["case_id"])
    op.create_table(
        "episode_outcome",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("episode_id", sa.Integer(), sa.ForeignKey("episode.id"), nullable=False),
        sa.Column("case_id", sa.Integer(), sa.ForeignKey("case.id"), nullable=False),
        sa.Column("insubiz_reported_on", sa.Date(), nullable=True),
        _text("insubiz_ref"),
        sa.Column("police_reported_on", sa.Date(), nullable=True),
        _text("police_journal"),
        _text("support"),
        sa.Column("support_on", sa.Date(), nullable=True),
        sa.Column("amr_access_on", sa.Date(), nullable=True),
        sa.Column("employee_copy_on", sa.Date(), nullable=True),
        *_stamps(),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("episode_id"),
    )
    op.create_index("ix_episode_outcome_case_id", "episode_outcome", ["case_id"])
    op.add_column("case_note", sa.Column("replaces_id", sa.Integer(), nullable=True))


def downgrade() -> None:
    op.drop_column("case_note", "replaces_id")
    op.drop_table("episode_outcome")
    op.drop_table("individual_talk")
    op.drop_table("case_party")
