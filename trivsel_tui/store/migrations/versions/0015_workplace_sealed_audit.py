"""Workplace audit values sealed with a per-workplace key, like a case's (see store/sealing.py): the names of
a workplace's leader, AMR and TR are personal data too, and destroying the key must be able to erase them.

Every existing audit row about a workplace is kept; its values are sealed and only the field names stay
readable. The append-only guards are lifted only for this rewrite and put back.

Revision ID: 0015
Revises: 0014
"""

import json
from typing import Any

import sqlalchemy as sa
from alembic import op
from cryptography.hazmat.primitives.ciphers.aead import AESGCM

from trivsel_tui.store import append_only
from trivsel_tui.store.db import compact_json
from trivsel_tui.store.sealing import new_key, seal_json, skeleton

revision = "0015"
down_revision = "0014"
branch_labels = None
depends_on = None

AUDIT = sa.table(
    "audit_entry",
    sa.column("id"),
    sa.column("entity"),
    sa.column("entity_id"),
    sa.column("changes", sa.JSON()),
    sa.column("case_id"),
    sa.column("sealed"),
)
KEYS = sa.table("audit_workplace_key", sa.column("id"), sa.column("workplace_id"), sa.column("key", sa.LargeBinary()))


def upgrade() -> None:
    op.create_table(
        "audit_workplace_key",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("workplace_id", sa.Integer(), nullable=False),
        sa.Column("key", sa.LargeBinary(), nullable=False),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_index("ix_audit_workplace_key_workplace_id", "audit_workplace_key", ["workplace_id"])
    append_only.lift(op.get_bind())
    _seal_existing(op.get_bind())
    append_only.restore(op.get_bind())


def _seal_existing(bind: Any) -> None:
    """A few rows per workplace: read at once, one key and cipher per workplace, written with executemany."""
    about_workplaces = (AUDIT.c.entity == "workplace") & AUDIT.c.case_id.is_(None) & AUDIT.c.sealed.is_(None)
    raw_changes = sa.cast(AUDIT.c.changes, sa.Text)
    entries = bind.execute(sa.select(AUDIT.c.id, AUDIT.c.entity_id, raw_changes).where(about_workplaces)).all()
    keys = {workplace_id: new_key() for workplace_id in {row[1] for row in entries}}
    if not keys:
        return
    bind.execute(sa.insert(KEYS), [{"workplace_id": owner, "key": key} for owner, key in keys.items()])
    key_ids = {row[0]: row[1] for row in bind.execute(sa.select(KEYS.c.workplace_id, KEYS.c.id))}
    ciphers = {owner: AESGCM(key) for owner, key in keys.items()}
    updates = []
    for entry_id, workplace_id, text in entries:
        plain = text if text and text != "null" else "{}"
        sealed = seal_json(plain.encode(), ciphers[workplace_id], workplace_id, "workplace")
        readable = compact_json(skeleton(json.loads(plain)))
        updates.append((key_ids[workplace_id], sealed, readable, entry_id))
    mark = "?" if bind.dialect.paramstyle == "qmark" else "%s"
    statement = f"UPDATE audit_entry SET key_id = {mark}, sealed = {mark}, changes = {mark} WHERE id = {mark}"
    bind.exec_driver_sql(statement, updates)


def downgrade() -> None:
    raise NotImplementedError("revision 0015 (sealed workplace audit values) cannot be downgraded; restore a backup")
