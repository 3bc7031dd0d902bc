"""Tasks from the first schema revision get their case's categories, so the dashboard's category filter finds them.

0005 filled task.categories only for tasks linked to an episode; tasks created before 0003 have no
episode_id and stayed empty, so filtering by category hid every old open task. They take the
categories of their case's classified episodes (episode.categories, filled by 0006). Plain
SELECT/UPDATE, so it runs on PostgreSQL too.

Revision ID: 0010
Revises: 0009
"""

import sqlalchemy as sa
from alembic import op

revision = "0010"
down_revision = "0009"
branch_labels = None
depends_on = None


def upgrade() -> None:
    connection = op.get_bind()
    episodes = connection.execute(
        sa.text(
            "SELECT case_id, categories FROM episode WHERE categories <> '' AND case_id IN"
            " (SELECT case_id FROM task WHERE episode_id IS NULL AND categories = '' AND case_id IS NOT NULL)"
            " ORDER BY id"
        )
    )
    per_case: dict[int, list[str]] = {}
    for case_id, tag in episodes:
        codes = per_case.setdefault(case_id, [])
        codes.extend(code for code in tag.strip(",").split(",") if code not in codes)
    if per_case:
        connection.execute(
            sa.text(
                "UPDATE task SET categories = :tag WHERE case_id = :case_id AND episode_id IS NULL AND categories = ''"
            ),
            [{"case_id": case_id, "tag": f",{','.join(codes)},"} for case_id, codes in per_case.items()],
        )


def downgrade() -> None:
    """The filled categories are correct data; nothing to undo."""
