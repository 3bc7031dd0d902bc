"""Whether a draft waits, in plain SQL: the dashboard asks at start-up, before the ORM is loaded."""

from __future__ import annotations

from sqlalchemy import text

from trivsel_tui.store.store import Store


def has_draft(store: Store, key_prefix: str) -> bool:
    """Whether any draft waits whose key starts with `key_prefix` (e.g. "episode:")."""
    query = text("SELECT 1 FROM draft WHERE substr(key, 1, :length) = :prefix LIMIT 1")
    with store.connect() as connection:
        return connection.execute(query, {"length": len(key_prefix), "prefix": key_prefix}).first() is not None
