"""A meeting's minutes in the audit log by digest only (see audit.DIGESTED): the minutes hold several
cases' decisions under no one case's key, so a copy of their text in the append-only log would outlive
each case's kassation. Every existing audit row is kept; the minutes' text in it becomes its SHA-256
digest, the same that new entries get. The append-only guards are lifted only for this rewrite.

Revision ID: 0018
Revises: 0017
"""

import hashlib
import json
from typing import Any

import sqlalchemy as sa
from alembic import op

from trivsel_tui.store import append_only
from trivsel_tui.store.db import compact_json

revision = "0018"
down_revision = "0017"
branch_labels = None
depends_on = None

AUDIT = sa.table("audit_entry", sa.column("id"), sa.column("entity"), sa.column("changes", sa.JSON()))


def _digest(value: Any) -> Any:
    return None if value is None else "sha256:" + hashlib.sha256(str(value).encode()).hexdigest()


def upgrade() -> None:
    bind = op.get_bind()
    raw_changes = sa.cast(AUDIT.c.changes, sa.Text)
    entries = bind.execute(sa.select(AUDIT.c.id, raw_changes).where(AUDIT.c.entity == "meeting_minutes")).all()
    updates = []
    for entry_id, text in entries:
        changes = json.loads(text) if text and text != "null" else {}
        markdown = changes.get("markdown")
        if isinstance(markdown, list) and not all(v is None or str(v).startswith("sha256:") for v in markdown):
            changes["markdown"] = [_digest(value) for value in markdown]
            updates.append((compact_json(changes), entry_id))
    if not updates:
        return
    append_only.lift(bind)
    mark = "?" if bind.dialect.paramstyle == "qmark" else "%s"
    bind.exec_driver_sql(f"UPDATE audit_entry SET changes = {mark} WHERE id = {mark}", updates)
    append_only.restore(bind)


def downgrade() -> None:
    raise NotImplementedError(
        "revision 0018 (minutes in the audit log by digest) cannot be downgraded; restore a backup"
    )
