"""Core tables: workplaces, cases, episodes, tasks and the append-only audit log.

Revision ID: 0001
Revises:
"""

import sqlalchemy as sa
from alembic import op

from trivsel_tui.store import append_only

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "audit_entry",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("at", sa.DateTime(), nullable=False),
        sa.Column("actor", sa.String(), nullable=False),
        sa.Column("entity", sa.String(), nullable=False),
        sa.Column("entity_id", sa.Integer(), nullable=False),
        sa.Column("action", sa.String(), nullable=False),
        sa.Column("changes", sa.JSON(), nullable=False),
        sa.PrimaryKeyConstraint("id"),
    )
    with op.batch_alter_table("audit_entry", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_audit_entry_entity"), ["entity"], unique=False)
        batch_op.create_index(batch_op.f("ix_audit_entry_entity_id"), ["entity_id"], unique=False)

    op.create_table(
        "workplace",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(), nullable=False),
        sa.Column("unit", sa.String(), nullable=False),
        sa.Column("med_level", sa.String(), nullable=False),
        sa.Column("risk_violence_citizens", sa.Boolean(), nullable=False),
        sa.Column("risk_sexual_citizens", sa.Boolean(), nullable=False),
        sa.Column("leader_name", sa.String(), nullable=False),
        sa.Column("amr_name", sa.String(), nullable=False),
        sa.Column("tr_name", sa.String(), nullable=False),
        sa.Column("last_wellbeing_survey", sa.Date(), nullable=True),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("updated_at", sa.DateTime(), nullable=False),
        sa.PrimaryKeyConstraint("id"),
    )
    with op.batch_alter_table("workplace", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_workplace_name"), ["name"], unique=True)

    op.create_table(
        "case",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("ref", sa.String(), nullable=False),
        sa.Column("workplace_id", sa.Integer(), nullable=False),
        sa.Column("affected_person", sa.String(), nullable=False),
        sa.Column("consultant", sa.String(), nullable=False),
        sa.Column("status", sa.String(), nullable=False),
        sa.Column("close_reason", sa.String(), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("updated_at", sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["workplace_id"],
            ["workplace.id"],
        ),
        sa.PrimaryKeyConstraint("id"),
    )
    with op.batch_alter_table("case", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_case_affected_person"), ["affected_person"], unique=False)
        batch_op.create_index(batch_op.f("ix_case_ref"), ["ref"], unique=True)
        batch_op.create_index(batch_op.f("ix_case_status"), ["status"], unique=False)
        batch_op.create_index(batch_op.f("ix_case_workplace_id"), ["workplace_id"], unique=False)

    op.create_table(
        "episode",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("case_id", sa.Integer(), nullable=False),
        sa.Column("occurred_at", sa.DateTime(), nullable=False),
        sa.Column("place", sa.String(), nullable=False),
        sa.Column("description", sa.String(), nullable=False),
        sa.Column("behaviours", sa.JSON(), nullable=False),
        sa.Column("perpetrator", sa.String(), nullable=False),
        sa.Column("injury", sa.String(), nullable=False),
        sa.Column("intentional", sa.Boolean(), nullable=True),
        sa.Column("reflex_or_resistance", sa.Boolean(), nullable=True),
        sa.Column("regular_over_time", sa.Boolean(), nullable=True),
        sa.Column("repeated_gross", sa.Boolean(), nullable=True),
        sa.Column("target_can_defend", sa.Boolean(), nullable=True),
        sa.Column("grounds", sa.JSON(), nullable=False),
        sa.Column("channel", sa.String(), nullable=True),
        sa.Column("first_absence_day", sa.Date(), nullable=True),
        sa.Column("absence_days", sa.Integer(), nullable=True),
        sa.Column("witnesses", sa.String(), nullable=False),
        sa.Column("reported_by", sa.String(), nullable=False),
        sa.Column("classification", sa.JSON(), nullable=True),
        sa.Column("override_reason", sa.String(), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("updated_at", sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["case_id"],
            ["case.id"],
        ),
        sa.PrimaryKeyConstraint("id"),
    )
    with op.batch_alter_table("episode", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_episode_case_id"), ["case_id"], unique=False)

    op.create_table(
        "task",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("case_id", sa.Integer(), nullable=True),
        sa.Column("workplace_id", sa.Integer(), nullable=True),
        sa.Column("action_code", sa.String(), nullable=False),
        sa.Column("title", sa.String(), nullable=False),
        sa.Column("basis", sa.String(), nullable=False),
        sa.Column("due_at", sa.DateTime(), nullable=True),
        sa.Column("done_at", sa.DateTime(), nullable=True),
        sa.Column("done_by", sa.String(), nullable=False),
        sa.Column("note", sa.String(), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("updated_at", sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["case_id"],
            ["case.id"],
        ),
        sa.ForeignKeyConstraint(
            ["workplace_id"],
            ["workplace.id"],
        ),
        sa.PrimaryKeyConstraint("id"),
    )
    with op.batch_alter_table("task", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_task_case_id"), ["case_id"], unique=False)
        batch_op.create_index(
            "ix_task_open_due",
            ["due_at"],
            unique=False,
            sqlite_where=sa.text("done_at IS NULL"),
            postgresql_where=sa.text("done_at IS NULL"),
        )
        batch_op.create_index(batch_op.f("ix_task_workplace_id"), ["workplace_id"], unique=False)

    # The audit log is append-only: the database itself refuses to change or delete an entry.
    append_only.restore(op.get_bind())


def downgrade() -> None:
    append_only.lift(op.get_bind())
    op.drop_table("task")
    op.drop_table("episode")
    op.drop_table("case")
    op.drop_table("workplace")
    op.drop_table("audit_entry")
