"""The dashboard's indexes: a search that matches few rows, and the first page.

- ix_task_open_due (open tasks by due date) also carries what the task arm filters on: its case, the
  legal flag and the two search keys. A search that matches few rows walks every open task; with these
  in the index it reads an open task's wide row (basis, note, …) only when the task matches, about a
  third of the time it took at 100k cases.
- ix_episode_unclassified: the registered episodes the wizard was left on (no categories yet). The
  dashboard looked for them by reading every episode on every page; now it reads only those.

Indexes only: every row is kept. Portable partial indexes, so it runs on PostgreSQL too.

Revision ID: 0017
Revises: 0016
"""

import sqlalchemy as sa
from alembic import op

revision = "0017"
down_revision = "0016"
branch_labels = None
depends_on = None

OPEN = sa.text("done_at IS NULL")
UNCLASSIFIED = sa.text("categories = ''")
OPEN_TASK_COLUMNS = ["due_at", "case_id", "legal_deadline", "title_search", "owner_search"]


def _open_tasks(columns: list[str]) -> None:
    op.drop_index("ix_task_open_due", table_name="task")
    op.create_index("ix_task_open_due", "task", columns, sqlite_where=OPEN, postgresql_where=OPEN)


def upgrade() -> None:
    _open_tasks(OPEN_TASK_COLUMNS)
    op.create_index(
        "ix_episode_unclassified", "episode", ["case_id"], sqlite_where=UNCLASSIFIED, postgresql_where=UNCLASSIFIED
    )
    # The planner's statistics for the new indexes (SQLite keeps none for an index made after ANALYZE).
    op.execute("ANALYZE task")
    op.execute("ANALYZE episode")


def downgrade() -> None:
    op.drop_index("ix_episode_unclassified", table_name="episode")
    _open_tasks(["due_at"])
