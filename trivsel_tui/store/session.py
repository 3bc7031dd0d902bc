"""The ORM session every store command writes through: its flushes strip control characters
(store.clean), stamp times and write audit entries (store.audit).

Kept apart from store.store so that opening a database and the dashboard's first rows (plain
SQLAlchemy Core) do not import SQLModel and the table classes; the first ORM call does.
"""

from __future__ import annotations

from sqlmodel import Session

from trivsel_tui.store import audit, clean


class StoreSession(Session):
    """A session whose flushes strip control characters, stamp times and write audit entries."""


clean.install(StoreSession)
audit.install(StoreSession)
