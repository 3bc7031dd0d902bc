"""The audit log: every insert, update and delete of a case-related row, in the same transaction.

It hangs on the ORM flush, so no code path that changes a row through a store session can skip it.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from sqlalchemy import event, inspect
from sqlalchemy.orm import Session

from trivsel_tui.store import models, text_keys

AUDITED: tuple[type[Any], ...] = (
    models.Workplace,
    models.Case,
    models.Episode,
    models.Task,
    models.CaseNote,
    models.ActionPlan,
    models.PlanCause,
    models.ActionItem,
)
# Derived columns (statistics fields, search and sort keys) only repeat logged fields.
NOT_LOGGED = frozenset({"created_at", "updated_at", *models.STAT_FIELDS}) | text_keys.KEY_COLUMNS


def _plain(value: Any) -> Any:
    if isinstance(value, datetime | date):
        return value.isoformat()
    return value


def _changes(obj: Any, action: str) -> dict[str, list[Any]]:
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


def stamp_times(session: Session, _context: Any, _instances: Any) -> None:
    now = session.info["clock"]()
    obj: Any
    for obj in session.new:
        if isinstance(obj, AUDITED) and _has(obj, "created_at"):
            if getattr(obj, "created_at", None) is None:
                obj.created_at = now
            obj.updated_at = now
    for obj in session.dirty:
        if isinstance(obj, AUDITED) and _has(obj, "updated_at") and session.is_modified(obj):
            obj.updated_at = now


def record_audit(session: Session, _context: Any) -> None:
    now = session.info["clock"]()
    actor = session.info["actor"]
    rows = []
    obj: Any
    batches = (("create", session.new), ("update", session.dirty), ("delete", session.deleted))
    for action, objects in batches:
        for obj in objects:
            if not isinstance(obj, AUDITED):
                continue
            changes = _changes(obj, action)
            if action == "update" and not changes:
                continue
            rows.append(
                {
                    "at": now,
                    "actor": actor,
                    "entity": _entity(obj),
                    "entity_id": obj.id,
                    "action": action,
                    "changes": changes,
                }
            )
    if rows:
        session.connection().execute(models.AuditEntry.__table__.insert(), rows)  # type: ignore[attr-defined]


def install(session_class: type[Session]) -> None:
    event.listen(session_class, "before_flush", stamp_times)
    event.listen(session_class, "after_flush", record_audit)
