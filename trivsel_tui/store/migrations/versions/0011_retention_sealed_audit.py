"""Retention and erasure: when a case was closed, a legal hold, and the audit log's personal values
sealed with a per-case key (see store/sealing.py) so that kassation can really erase them.

Every existing audit row is kept. Rows about a case get the case's id and their values sealed; the
field names stay readable. The append-only guards are lifted only for this rewrite and put back.

Revision ID: 0011
Revises: 0010
"""

from typing import Any

import sqlalchemy as sa
from alembic import op

from trivsel_tui.store.sealing import new_key, seal, skeleton

revision = "0011"
down_revision = "0010"
branch_labels = None
depends_on = None

# Audited tables that belong to a case, and the column that says which case (or which plan).
CASE_CHILDREN = ("episode", "task", "case_note", "action_plan")
PLAN_CHILDREN = ("plan_cause", "action_item")
GUARDS = {
    "audit_entry_no_update": "BEFORE UPDATE",
    "audit_entry_no_delete": "BEFORE DELETE",
}
BATCH = 2000


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
    op.create_index("ix_audit_entry_case_id", "audit_entry", ["case_id"])
    # A closed case's retention runs from its closing; before this revision only updated_at says when.
    op.execute("UPDATE \"case\" SET closed_at = updated_at WHERE status = 'closed'")
    _lift_guards()
    _seal_existing(op.get_bind())
    _restore_guards()


def _lift_guards() -> None:
    if op.get_bind().dialect.name == "sqlite":
        for name in GUARDS:
            op.execute(f"DROP TRIGGER IF EXISTS {name}")


def _restore_guards() -> None:
    if op.get_bind().dialect.name == "sqlite":
        for name, when in GUARDS.items():
            guard = "BEGIN SELECT RAISE(ABORT, 'audit_entry is append-only'); END"
            op.execute(f"CREATE TRIGGER {name} {when} ON audit_entry {guard}")


def _owners(bind: Any, table: str, column: str) -> dict[int, int]:
    rows = bind.execute(sa.text(f'SELECT id, {column} FROM "{table}" WHERE {column} IS NOT NULL'))
    return {row[0]: row[1] for row in rows}


def _seal_existing(bind: Any) -> None:
    audit = sa.table(
        "audit_entry",
        sa.column("id"),
        sa.column("entity"),
        sa.column("entity_id"),
        sa.column("changes", sa.JSON()),
        sa.column("case_id"),
        sa.column("key_id"),
        sa.column("sealed"),
    )
    keys = sa.table("audit_key", sa.column("id"), sa.column("case_id"), sa.column("key", sa.LargeBinary()))
    case_of = {table: _owners(bind, table, "case_id") for table in CASE_CHILDREN}
    plan_of = {table: _owners(bind, table, "plan_id") for table in PLAN_CHILDREN}
    linked = ("case", *CASE_CHILDREN, *PLAN_CHILDREN)
    entries = bind.execute(
        sa.select(audit.c.id, audit.c.entity, audit.c.entity_id, audit.c.changes)
        .where(audit.c.entity.in_(linked))
        .order_by(audit.c.id)
    ).all()
    # Rows deleted since: their "create" entry still says which case or plan they belonged to.
    for _id, entity, entity_id, changes in entries:
        owner = "plan_id" if entity in PLAN_CHILDREN else "case_id"
        created = (changes or {}).get(owner)
        if entity != "case" and isinstance(created, list) and created[1] is not None:
            (plan_of if entity in PLAN_CHILDREN else case_of)[entity].setdefault(entity_id, created[1])

    def case_id_of(entity: str, entity_id: int) -> int | None:
        if entity == "case":
            return entity_id
        if entity in PLAN_CHILDREN:
            plan = plan_of[entity].get(entity_id)
            return case_of["action_plan"].get(plan) if plan is not None else None
        return case_of[entity].get(entity_id)

    case_keys: dict[int, tuple[int, bytes]] = {}
    updates: list[dict[str, Any]] = []
    for entry_id, entity, entity_id, changes in entries:
        case_id = case_id_of(entity, entity_id)
        if case_id is None:
            continue
        if case_id not in case_keys:
            key = new_key()
            key_id = bind.execute(sa.insert(keys).values(case_id=case_id, key=key).returning(keys.c.id)).scalar()
            case_keys[case_id] = (key_id, key)
        key_id, key = case_keys[case_id]
        updates.append(
            {
                "entry": entry_id,
                "case_id": case_id,
                "key_id": key_id,
                "sealed": seal(changes or {}, key, case_id),
                "changes": skeleton(changes or {}),
            }
        )
        if len(updates) >= BATCH:
            _write(bind, audit, updates)
    _write(bind, audit, updates)


def _write(bind: Any, audit: Any, updates: list[dict[str, Any]]) -> None:
    if updates:
        bind.execute(
            sa.update(audit)
            .where(audit.c.id == sa.bindparam("entry"))
            .values(
                case_id=sa.bindparam("case_id"),
                key_id=sa.bindparam("key_id"),
                sealed=sa.bindparam("sealed"),
                changes=sa.bindparam("changes", type_=sa.JSON()),
            ),
            updates,
        )
        updates.clear()


def downgrade() -> None:
    # Going back would have to put personal values back into the append-only log in the clear,
    # and erased cases' values no longer exist: there is no faithful way down.
    raise NotImplementedError("revision 0011 (sealed audit values) cannot be downgraded; restore a backup")
