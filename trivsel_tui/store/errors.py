"""What went wrong with a store call, in words a user can act on (a text key per kind of failure).

The UI never imports SQLAlchemy; it asks this module which Danish message fits an exception.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any, Protocol, TypeVar

from trivsel_tui.domain.legal_deadlines import LegalDeadlineError
from trivsel_tui.store.cipher import operational_errors


class DuplicateNameError(ValueError):
    """A workplace with that name exists already (raised by store.queries.save_workplace)."""


class EditConflictError(RuntimeError):
    """Someone else saved the same case or task after this user opened it: the save is refused, not merged."""


class Versioned(Protocol):
    version: int  # raised by one on every change of the row (store.audit.stamp_times)
    updated_at: datetime


Row = TypeVar("Row", bound=Versioned)


# The version `seen` of a row the user saw did not exist yet (a form that creates it on its first save): a row
# someone else made meanwhile is a conflict, not something to overwrite.
NOT_YET_SAVED = 0  # a saved row's version is 1 or more


def refuse_if_changed(current: int, seen: int | None) -> None:
    """Optimistic check: the row's version must be the one the user saw. A counter, not a time: two
    laptops' clocks or two saves in the same clock tick cannot make a stale version look current."""
    if seen is not None and current != seen:
        raise EditConflictError(f"version {current}, seen {seen}")


def row_to_edit(session: Any, model: type[Row], row_id: int, seen: int | None) -> Row:
    """The row a user's save changes, locked until the commit (FOR UPDATE on PostgreSQL; SQLite's writer
    holds the whole file already) and refused if someone else saved it after the version `seen`."""
    row: Row | None = session.get(model, row_id, with_for_update=True)
    if row is None:
        raise LookupError(f"{model.__name__} {row_id} does not exist")
    refuse_if_changed(row.version, seen)
    return row


def touch(row: Versioned, now: datetime) -> None:
    """Count a change of the rows under `row` (a meeting's agenda items) as a change of `row`: its version moves
    (store.audit.stamp_times raises it for any changed row)."""
    row.updated_at = now


def failure_text_key(error: BaseException) -> str:
    """The catalogue key (section `data_errors`) of the message for a failed store call."""
    if isinstance(error, DuplicateNameError):
        return "data_errors.duplicate_name"
    if isinstance(error, LegalDeadlineError):
        return "data_errors.legal_deadline"
    if isinstance(error, EditConflictError):
        return "data_errors.edit_conflict"
    if isinstance(error, operational_errors()):  # the driver's own, from a plain read (Store.rows)
        return _operational_key(str(error))
    # Imported here: the dashboard's first rows load no SQLAlchemy (a failure from it means it is loaded).
    from sqlalchemy.exc import IntegrityError, OperationalError
    from sqlalchemy.orm.exc import StaleDataError

    if isinstance(error, StaleDataError):  # an UPDATE or DELETE found the row at another version than it read
        return "data_errors.edit_conflict"

    if isinstance(error, OperationalError):
        return _operational_key(str(error.orig))
    if isinstance(error, IntegrityError):
        return "data_errors.conflict"
    if isinstance(error, LookupError):
        return "data_errors.gone"
    return "data_errors.unexpected"


def _operational_key(message: str) -> str:
    message = message.lower()
    if "locked" in message or "busy" in message:
        return "data_errors.locked"
    if "readonly" in message or "read-only" in message:
        return "data_errors.read_only"
    return "data_errors.unavailable"
