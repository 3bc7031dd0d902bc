"""Danish search and sort keys beside names and titles (see store.text_keys), backfilled for every row.

Revision ID: 0007
Revises: 0006
"""

import sqlalchemy as sa
from alembic import op

from trivsel_tui.store.text_keys import SORT_KEY_TYPE, keys_for

revision = "0007"
down_revision = "0006"
branch_labels = None
depends_on = None

CHUNK = 5_000
# The keyed fields as they were at this revision (later revisions key more fields and add their own columns).
KEYED: dict[str, tuple[str, ...]] = {
    "workplace": ("name", "leader_name"),
    "case": ("affected_person", "consultant"),
    "task": ("title",),
    "action_item": ("measure", "responsible"),
}
SORT_INDEXES = {
    "ix_workplace_name_sort": ("workplace", "name_sort"),
    "ix_case_affected_person_sort": ("case", "affected_person_sort"),
}


def upgrade() -> None:
    for table, fields in KEYED.items():
        for field in fields:
            op.add_column(table, sa.Column(f"{field}_search", sa.String(), nullable=False, server_default=""))
            op.add_column(table, sa.Column(f"{field}_sort", SORT_KEY_TYPE, nullable=False, server_default=""))
        _backfill(table, fields)
    for name, (table, column) in SORT_INDEXES.items():
        op.create_index(name, table, [column])
    # Searching a person is a substring search on the folded key; the old index on the raw name served nothing.
    op.drop_index("ix_case_affected_person", table_name="case")


def _backfill(table: str, fields: tuple[str, ...]) -> None:
    """Compute the keys in Python, a chunk of rows at a time (by id, so memory stays flat)."""
    connection = op.get_bind()
    key_columns = [f"{field}_{kind}" for field in fields for kind in ("search", "sort")]
    rows = sa.table(table, sa.column("id"), *(sa.column(f) for f in fields), *(sa.column(c) for c in key_columns))
    update = (
        sa.update(rows).where(rows.c.id == sa.bindparam("row_id")).values({c: sa.bindparam(c) for c in key_columns})
    )
    last = 0
    while True:
        query = sa.select(rows.c.id, *(rows.c[f] for f in fields)).where(rows.c.id > last).order_by(rows.c.id)
        chunk = connection.execute(query.limit(CHUNK)).mappings().all()
        if not chunk:
            return
        connection.execute(update, [{"row_id": row["id"], **keys_for(table, dict(row))} for row in chunk])
        last = chunk[-1]["id"]


def downgrade() -> None:
    op.create_index("ix_case_affected_person", "case", ["affected_person"])
    for name, (table, _column) in SORT_INDEXES.items():
        op.drop_index(name, table_name=table)
    for table, fields in KEYED.items():
        with op.batch_alter_table(table) as batch:
            for field in fields:
                batch.drop_column(f"{field}_sort")
                batch.drop_column(f"{field}_search")
