"""The audit log: every insert, update and delete of a case-related row, in the same transaction.

It hangs on the ORM flush, so no code path that changes a row through a store session can skip it.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from datetime import date, datetime
from typing import Any

from sqlalchemy import Table, delete, event, insert, inspect, select
from sqlalchemy.orm import Session

from trivsel_tui.store import models, sealing, task_episode, text_keys

AUDITED: tuple[type[Any], ...] = (
    models.Workplace,
    models.Case,
    models.Episode,
    models.Task,
    models.CaseNote,
    models.ActionPlan,
    models.PlanCause,
    models.ActionItem,
    models.Meeting,
    models.MeetingItem,
    models.MeetingAction,
    models.MeetingMinutes,
    models.CaseParty,
    models.IndividualTalk,
    models.EpisodeOutcome,
)
# Rows whose `version` counts their changes (store.errors.row_to_edit).
VERSION_COUNTED: tuple[type[Any], ...] = tuple(models.VersionCounted.__subclasses__())
# Derived columns (statistics fields, search and sort keys) only repeat logged fields.
NOT_LOGGED = (
    frozenset({"created_at", "updated_at", "version", *models.STAT_FIELDS, *task_episode.COPIED})
    | text_keys.KEY_COLUMNS
)
# Logged by digest only: a meeting's minutes hold several cases' decisions under no one case's key, so a
# copy in the append-only log would outlive each case's kassation. The items they are made from are
# logged in full, each sealed with its case's key.
DIGESTED = {"meeting_minutes": frozenset({"markdown"})}


def _digest(value: Any) -> Any:
    return None if value is None else "sha256:" + hashlib.sha256(str(value).encode()).hexdigest()


def _plain(value: Any) -> Any:
    if isinstance(value, datetime | date):
        return value.isoformat()
    return value


def _changes(obj: Any, action: str) -> dict[str, list[Any]]:
    changes = _column_changes(obj, action)
    for key in DIGESTED.get(_entity(obj), ()):
        if key in changes:
            changes[key] = [_digest(value) for value in changes[key]]
    return changes


def _column_changes(obj: Any, action: str) -> dict[str, list[Any]]:
    state = inspect(obj)
    changes: dict[str, list[Any]] = {}
    for attr in state.mapper.column_attrs:
        key = attr.key
        if key in NOT_LOGGED:
            continue
        history = state.attrs[key].history
        if action == "create":
            value = getattr(obj, key)
            if value not in (None, "", [], {}):
                changes[key] = [None, _plain(value)]
        elif action == "delete":
            old = history.unchanged[0] if history.unchanged else (history.deleted[0] if history.deleted else None)
            changes[key] = [_plain(old), None]
        elif history.has_changes():
            old = history.deleted[0] if history.deleted else None
            new = history.added[0] if history.added else None
            if old != new:
                changes[key] = [_plain(old), _plain(new)]
    return changes


def _entity(obj: Any) -> str:
    return str(obj.__tablename__)


def _has(obj: Any, column: str) -> bool:
    return column in inspect(obj).mapper.column_attrs


# A row renumbered because another moved past it keeps its version (see store.errors.row_to_edit): nothing
# of it was overwritten, and a dialog open on it, or a second quick move, is not refused.
ORDER_ONLY = frozenset({"position"})


def _changed_columns(obj: Any) -> set[str]:
    state = inspect(obj)
    return {attr.key for attr in state.mapper.column_attrs if state.attrs[attr.key].history.has_changes()}


def stamp_times(session: Session, _context: Any, _instances: Any) -> None:
    now = session.info["clock"]()
    obj: Any
    for obj in session.new:
        if isinstance(obj, AUDITED) and _has(obj, "created_at"):
            if getattr(obj, "created_at", None) is None:
                obj.created_at = now
            obj.updated_at = now
    for obj in session.dirty:
        if isinstance(obj, AUDITED) and _has(obj, "updated_at") and not _changed_columns(obj) <= ORDER_ONLY:
            obj.updated_at = now
            if isinstance(obj, VERSION_COUNTED):  # not meeting_minutes.version, the minutes' number
                obj.version += 1


def _table(model: type[Any]) -> Table:
    table: Table = model.__table__
    return table


AUDIT = _table(models.AuditEntry)
KEYS = _table(models.AuditKey)
WORKPLACE_KEYS = _table(models.AuditWorkplaceKey)
RESEALS = _table(models.AuditReseal)
PLANS = _table(models.ActionPlan)


def _plan_cases(session: Session) -> dict[int, int | None]:
    """Plans in this flush (a deleted one is gone from the table already) and their cases."""
    return {
        plan.id: plan.case_id
        for plan in (*session.new, *session.dirty, *session.deleted)
        if isinstance(plan, models.ActionPlan) and plan.id is not None
    }


def _case_id(session: Session, obj: Any, plan_cases: dict[int, int | None]) -> int | None:
    """The case a row belongs to (its personal values are sealed with that case's key), if any."""
    if isinstance(obj, models.Case):
        return obj.id
    if isinstance(obj, models.PlanCause | models.ActionItem):
        if obj.plan_id not in plan_cases:
            query = select(PLANS.c.case_id).where(PLANS.c.id == obj.plan_id)
            plan_cases[obj.plan_id] = session.connection().execute(query).scalar()
        return plan_cases[obj.plan_id]
    case_id = getattr(obj, "case_id", None)
    return int(case_id) if case_id is not None else None


def case_key(session: Session, case_id: int) -> tuple[int, bytes]:
    """The case's current audit key, made on first use."""
    query = select(KEYS.c.id, KEYS.c.key).where(KEYS.c.case_id == case_id).order_by(KEYS.c.id.desc()).limit(1)
    row = session.connection().execute(query).first()
    if row is not None:
        return int(row[0]), bytes(row[1])
    return _new_key(session, case_id)


def _new_key(session: Session, case_id: int) -> tuple[int, bytes]:
    key = sealing.new_key()
    result = session.connection().execute(insert(KEYS).values(case_id=case_id, key=key))
    assert result.inserted_primary_key is not None
    return int(result.inserted_primary_key[0]), key


def workplace_key(session: Session, workplace_id: int) -> tuple[int, bytes]:
    """The workplace's audit key, made on first use: its people's names are personal data too."""
    query = select(WORKPLACE_KEYS.c.id, WORKPLACE_KEYS.c.key).where(WORKPLACE_KEYS.c.workplace_id == workplace_id)
    row = session.connection().execute(query.order_by(WORKPLACE_KEYS.c.id.desc()).limit(1)).first()
    if row is not None:
        return int(row[0]), bytes(row[1])
    key = sealing.new_key()
    result = session.connection().execute(insert(WORKPLACE_KEYS).values(workplace_id=workplace_id, key=key))
    assert result.inserted_primary_key is not None
    return int(result.inserted_primary_key[0]), key


def _entry(
    session: Session, entity: str, entity_id: int | None, action: str, changes: dict[str, Any], case_id: int | None
) -> dict[str, Any]:
    row: dict[str, Any] = {
        "at": session.info["clock"](),
        "actor": session.info["actor"],
        "entity": entity,
        "entity_id": entity_id,
        "action": action,
        "changes": changes,
        "case_id": case_id,
        "key_id": None,
        "sealed": None,
    }
    if case_id is not None:
        key_id, key = case_key(session, case_id)
        row.update(changes=sealing.skeleton(changes), key_id=key_id, sealed=sealing.seal(changes, key, case_id))
    elif entity == "workplace" and entity_id is not None:
        key_id, key = workplace_key(session, entity_id)
        sealed = sealing.seal(changes, key, entity_id, "workplace")
        row.update(changes=sealing.skeleton(changes), key_id=key_id, sealed=sealed)
    return row


def record_audit(session: Session, _context: Any) -> None:
    rows = []
    plan_cases = _plan_cases(session)
    obj: Any
    batches = (("create", session.new), ("update", session.dirty), ("delete", session.deleted))
    for action, objects in batches:
        for obj in objects:
            if not isinstance(obj, AUDITED):
                continue
            changes = _changes(obj, action)
            if action == "update" and not changes:
                continue
            rows.append(_entry(session, _entity(obj), obj.id, action, changes, _case_id(session, obj, plan_cases)))
    if rows:
        session.connection().execute(insert(AUDIT), rows)


def record_event(session: Session, case: models.Case, action: str, values: dict[str, Any], sealed: bool) -> None:
    """An audit entry about a case that is not a column change (kassation, redaction, release of a hold).

    An unsealed entry must hold no personal data: it survives the case's kassation in the clear.
    """
    changes = {name: [None, value] for name, value in values.items()}
    row = _entry(session, "case", case.id, action, changes, case.id if sealed else None)
    row["case_id"] = case.id
    session.connection().execute(insert(AUDIT), [row])


def destroy_case_keys(session: Session, case_id: int) -> None:
    """Crypto-shredding: without its keys, every sealed value of the case is unreadable for good."""
    entries = select(AUDIT.c.id).where(AUDIT.c.case_id == case_id)
    connection = session.connection()
    connection.execute(delete(RESEALS).where(RESEALS.c.entry_id.in_(entries)))
    connection.execute(delete(KEYS).where(KEYS.c.case_id == case_id))


def _keys(session: Session, case_ids: set[int]) -> dict[int, bytes]:
    rows = session.connection().execute(select(KEYS.c.id, KEYS.c.key).where(KEYS.c.case_id.in_(case_ids)))
    return {int(row[0]): bytes(row[1]) for row in rows}


def _workplace_keys(session: Session, key_ids: set[int]) -> dict[int, bytes]:
    query = select(WORKPLACE_KEYS.c.id, WORKPLACE_KEYS.c.key).where(WORKPLACE_KEYS.c.id.in_(key_ids))
    return {int(row[0]): bytes(row[1]) for row in session.connection().execute(query)}


def _sealed_values(session: Session, entries: list[models.AuditEntry]) -> dict[int, tuple[int, str]]:
    """Entry id -> (key id, sealed values), a re-sealed (redacted) version taking precedence."""
    found = {
        entry.id: (entry.key_id, entry.sealed)
        for entry in entries
        if entry.id is not None and entry.key_id is not None and entry.sealed is not None
    }
    query = select(RESEALS.c.entry_id, RESEALS.c.key_id, RESEALS.c.sealed).where(RESEALS.c.entry_id.in_(list(found)))
    for row in session.connection().execute(query):
        found[row[0]] = (row[1], row[2])
    return found


def opened_changes(session: Session, entries: list[models.AuditEntry]) -> list[dict[str, Any] | None]:
    """Each entry's field -> [old, new] values; None where they were erased (the case's keys are gone)."""
    sealed = _sealed_values(session, entries)
    keys = _keys(session, {entry.case_id for entry in entries if entry.case_id is not None})
    workplace_keys = _workplace_keys(session, {e.key_id for e in entries if _of_workplace(e) and e.key_id})
    opened: list[dict[str, Any] | None] = []
    for entry in entries:
        if entry.id not in sealed:
            opened.append(entry.changes)
            continue
        key_id, values = sealed[entry.id]
        if entry.case_id is not None:
            key = keys.get(key_id)
            opened.append(sealing.unseal(values, key, entry.case_id) if key is not None else None)
        elif _of_workplace(entry):
            key = workplace_keys.get(key_id)
            opened.append(sealing.unseal(values, key, entry.entity_id, "workplace") if key is not None else None)
        else:
            opened.append(entry.changes)
    return opened


def _of_workplace(entry: models.AuditEntry) -> bool:
    return entry.case_id is None and entry.entity == "workplace"


def _clean(value: Any, clean: Callable[[str], str]) -> Any:
    if isinstance(value, str):
        return clean(value)
    if isinstance(value, list):
        return [_clean(item, clean) for item in value]
    if isinstance(value, dict):
        return {name: _clean(item, clean) for name, item in value.items()}
    return value


def case_entries(session: Session, case_id: int) -> list[models.AuditEntry]:
    rows = session.connection().execute(select(AUDIT).where(AUDIT.c.case_id == case_id).order_by(AUDIT.c.id))
    return [models.AuditEntry.model_validate(dict(row._mapping)) for row in rows]


def reseal_case(session: Session, case_id: int, clean: Callable[[str], str]) -> int:
    """Re-seal the case's whole history with `clean` applied to every value, under a fresh key, and
    destroy the old keys. Returns how many entries `clean` changed. No audit row is touched."""
    entries = case_entries(session, case_id)
    old_values = opened_changes(session, entries)
    old_keys = _keys(session, {case_id})
    key_id, key = _new_key(session, case_id)
    changed = 0
    rows = []
    for entry, values in zip(entries, old_values, strict=True):
        if entry.sealed is None or values is None:
            continue
        cleaned = _clean(values, clean)
        changed += cleaned != values
        rows.append({"entry_id": entry.id, "key_id": key_id, "sealed": sealing.seal(cleaned, key, case_id)})
    connection = session.connection()
    connection.execute(delete(RESEALS).where(RESEALS.c.entry_id.in_([row["entry_id"] for row in rows])))
    if rows:
        connection.execute(insert(RESEALS), rows)
    connection.execute(delete(KEYS).where(KEYS.c.id.in_(list(old_keys))))
    return changed


def install(session_class: type[Session]) -> None:
    event.listen(session_class, "before_flush", stamp_times)
    event.listen(session_class, "after_flush", record_audit)
