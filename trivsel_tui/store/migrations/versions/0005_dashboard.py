"""Dashboard: task categories (for filtering without reading JSON), notes on plan items (postpone reasons).

Revision ID: 0005
Revises: 0004
"""

import json

import sqlalchemy as sa
from alembic import op

from trivsel_tui.store.dialect import create_change_notice, create_day_bound_function

revision = "0005"
down_revision = "0004"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.add_column("task", sa.Column("categories", sa.String(), nullable=False, server_default=""))
    op.add_column("action_item", sa.Column("note", sa.String(), nullable=False, server_default=""))
    # Existing tasks take the categories of their episode's classification: ",a,b," so LIKE '%,a,%' matches.
    # Read and written in Python: the JSON functions differ between SQLite and PostgreSQL.
    bind = op.get_bind()
    rows = bind.execute(
        sa.text("SELECT task.id, episode.classification FROM task JOIN episode ON episode.id = task.episode_id")
    )
    updates = [{"task_id": task_id, "categories": _categories(classification)} for task_id, classification in rows]
    if updates:
        bind.execute(sa.text("UPDATE task SET categories = :categories WHERE id = :task_id"), updates)
    create_day_bound_function(bind)
    create_change_notice(bind)  # the dashboard listens for it on PostgreSQL


def _categories(classification: object) -> str:
    data = json.loads(classification) if isinstance(classification, str) else classification
    names = data.get("categories") if isinstance(data, dict) else None
    return f",{','.join(map(str, names))}," if isinstance(names, list) and names else ""


def downgrade() -> None:
    with op.batch_alter_table("action_item") as batch:
        batch.drop_column("note")
    with op.batch_alter_table("task") as batch:
        batch.drop_column("categories")
