"""Retention and erasure: when a case was closed, a legal hold, and the audit log's personal values
sealed with a per-case key (see store/sealing.py) so that kassation can really erase them.

Every existing audit row is kept. Rows about a case get the case's id and their values sealed; the
field names stay readable. The append-only guards are lifted only for this rewrite and put back.

Revision ID: 0011
Revises: 0010
"""

import json
from typing import Any

import sqlalchemy as sa
from alembic import context, op
from cryptography.hazmat.primitives.ciphers.aead import AESGCM

from trivsel_tui.store import append_only
from trivsel_tui.store.db import compact_json
from trivsel_tui.store.sealing import new_key, seal_json, skeleton
from trivsel_tui.store.types import Progress

revision = "0011"
down_revision = "0010"
branch_labels = None
depends_on = None

# Audited tables that belong to a case, and the column that says which case (or which plan).
CASE_CHILDREN = ("episode", "task", "case_note", "action_plan")
PLAN_CHILDREN = ("plan_cause", "action_item")
BATCH = 5000


def upgrade() -> None:
    op.add_column("case", sa.Column("closed_at", sa.DateTime(), nullable=True))
    op.add_column("case", sa.Column("hold_kind", sa.String(), nullable=False, server_default=""))
    op.add_column("case", sa.Column("hold_reason", sa.String(), nullable=False, server_default=""))
    op.create_table(
        "audit_key",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("case_id", sa.Integer(), nullable=False),
        sa.Column("key", sa.LargeBinary(), nullable=False),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_index("ix_audit_key_case_id", "audit_key", ["case_id"])
    op.create_table(
        "audit_reseal",
        sa.Column("entry_id", sa.Integer(), nullable=False),
        sa.Column("key_id", sa.Integer(), nullable=False),
        sa.Column("sealed", sa.Text(), nullable=False),
        sa.PrimaryKeyConstraint("entry_id"),
    )
    op.add_column("audit_entry", sa.Column("case_id", sa.Integer(), nullable=True))
    op.add_column("audit_entry", sa.Column("key_id", sa.Integer(), nullable=True))
    op.add_column("audit_entry", sa.Column("sealed", sa.Text(), nullable=True))
    # A closed case's retention runs from its closing; before this revision only updated_at says when.
    op.execute("UPDATE \"case\" SET closed_at = updated_at WHERE status = 'closed'")
    append_only.lift(op.get_bind())
    _seal_existing(op.get_bind(), context.config.attributes.get("progress"))
    append_only.restore(op.get_bind())
    # After the rewrite: one sorted build instead of an index updated row by row.
    op.create_index("ix_audit_entry_case_id", "audit_entry", ["case_id"])


def _owners(bind: Any, table: str, column: str) -> dict[int, int]:
    rows = bind.execute(sa.text(f'SELECT id, {column} FROM "{table}" WHERE {column} IS NOT NULL'))
    return {row[0]: row[1] for row in rows}


AUDIT = sa.table(
    "audit_entry",
    sa.column("id"),
    sa.column("entity"),
    sa.column("entity_id"),
    sa.column("changes", sa.JSON()),
    sa.column("case_id"),
    sa.column("key_id"),
    sa.column("sealed"),
)
KEYS = sa.table("audit_key", sa.column("id"), sa.column("case_id"), sa.column("key", sa.LargeBinary()))
LINKED = ("case", *CASE_CHILDREN, *PLAN_CHILDREN)


class _Owners:
    """Which case an audited row belongs to, also for rows deleted since (their "create" entry says)."""

    def __init__(self, bind: Any) -> None:
        self.case_of = {table: _owners(bind, table, "case_id") for table in CASE_CHILDREN}
        self.plan_of = {table: _owners(bind, table, "plan_id") for table in PLAN_CHILDREN}

    def learn(self, entity: str, entity_id: int, changes: dict[str, Any]) -> None:
        # Entries come in id order, so a row's "create" entry is seen before any later one about it.
        owner = "plan_id" if entity in PLAN_CHILDREN else "case_id"
        created = changes.get(owner)
        if entity != "case" and isinstance(created, list) and len(created) == 2 and created[1] is not None:
            (self.plan_of if entity in PLAN_CHILDREN else self.case_of)[entity].setdefault(entity_id, created[1])

    def case_id(self, entity: str, entity_id: int) -> int | None:
        if entity == "case":
            return entity_id
        if entity in PLAN_CHILDREN:
            plan = self.plan_of[entity].get(entity_id)
            return self.case_of["action_plan"].get(plan) if plan is not None else None
        return self.case_of[entity].get(entity_id)


class _Keys:
    """One key (and one AES-GCM cipher) per case, written in bulk: the key table is new and empty."""

    def __init__(self, bind: Any) -> None:
        self.bind = bind
        self.ciphers: dict[int, AESGCM] = {}
        self.ids: dict[int, int] = {}
        cases = bind.execute(sa.text('SELECT id FROM "case"')).scalars().all()
        logged = bind.execute(sa.select(AUDIT.c.entity_id).where(AUDIT.c.entity == "case").distinct()).scalars().all()
        self.add({*cases, *logged})

    def add(self, case_ids: set[int]) -> None:
        keys = {case_id: new_key() for case_id in case_ids if case_id not in self.ids}
        if not keys:
            return
        self.bind.execute(sa.insert(KEYS), [{"case_id": case_id, "key": key} for case_id, key in keys.items()])
        rows = self.bind.execute(sa.select(KEYS.c.case_id, KEYS.c.id).where(KEYS.c.case_id.in_(list(keys))))
        self.ids.update({row[0]: row[1] for row in rows})
        self.ciphers.update({case_id: AESGCM(key) for case_id, key in keys.items()})


def _seal_existing(bind: Any, progress: Progress | None) -> None:
    """Seal every audit row about a case: read in id batches, seal in Python, write back with executemany.

    One key and one cipher per case, keys inserted in bulk, no ORM, one UPDATE statement per batch.
    """
    linked = AUDIT.c.entity.in_(LINKED)
    total = bind.execute(sa.select(sa.func.count()).select_from(AUDIT).where(linked)).scalar() or 0
    owners, keys = _Owners(bind), _Keys(bind)
    raw_changes = sa.cast(AUDIT.c.changes, sa.Text)  # the stored JSON text: sealed as it is, not re-encoded
    query = sa.select(AUDIT.c.id, AUDIT.c.entity, AUDIT.c.entity_id, raw_changes).where(linked).order_by(AUDIT.c.id)
    done, last = 0, 0
    while batch := bind.execute(query.where(AUDIT.c.id > last).limit(BATCH)).all():
        entries = [_Entry(*row) for row in batch]
        for entry in entries:
            owners.learn(entry.entity, entry.entity_id, entry.changes)
            entry.case_id = owners.case_id(entry.entity, entry.entity_id)
        keys.add({entry.case_id for entry in entries if entry.case_id is not None})
        _write(bind, [entry.sealed(keys) for entry in entries if entry.case_id is not None])
        done, last = done + len(batch), batch[-1][0]
        if progress:
            progress("seal", done, total)


class _Entry:
    def __init__(self, entry_id: int, entity: str, entity_id: int, text: str | None) -> None:
        self.id, self.entity, self.entity_id = entry_id, entity, entity_id
        self.text = text if text and text != "null" else "{}"
        self.changes: dict[str, Any] = json.loads(self.text)
        self.case_id: int | None = None

    def sealed(self, keys: _Keys) -> tuple[int, int, str, str, int]:
        """The UPDATE's parameters: case, key, sealed values, the readable skeleton, and the entry."""
        case_id = self.case_id
        assert case_id is not None
        sealed = seal_json(self.text.encode(), keys.ciphers[case_id], case_id)
        return case_id, keys.ids[case_id], sealed, compact_json(skeleton(self.changes)), self.id


def _write(bind: Any, updates: list[tuple[Any, ...]]) -> None:
    """One executemany straight to the driver: per-row parameter handling in the ORM/Core layer
    cost more than the encryption. Values are plain ints and strings, in the driver's own placeholders."""
    if updates:
        mark = "?" if bind.dialect.paramstyle == "qmark" else "%s"
        sets = ", ".join(f"{column} = {mark}" for column in ("case_id", "key_id", "sealed", "changes"))
        bind.exec_driver_sql(f"UPDATE audit_entry SET {sets} WHERE id = {mark}", updates)


def downgrade() -> None:
    # Going back would have to put personal values back into the append-only log in the clear,
    # and erased cases' values no longer exist: there is no faithful way down.
    raise NotImplementedError("revision 0011 (sealed audit values) cannot be downgraded; restore a backup")
