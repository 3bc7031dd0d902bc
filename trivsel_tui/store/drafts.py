"""Whether a draft waits, in plain SQL: the dashboard asks at start-up, before the ORM is loaded."""

from __future__ import annotations

from trivsel_tui.store.store import Store


def draft_key(store: Store, key: str) -> str:
    """Drafts belong to the user who typed them: on a team database the key starts with the login."""
    return key if store.url is None else f"{store.actor}/{key}"


def has_draft(store: Store, key_prefix: str) -> bool:
    """Whether any draft of this user waits whose key starts with `key_prefix` (e.g. "episode:")."""
    prefix = draft_key(store, key_prefix)
    query = "SELECT 1 FROM draft WHERE substr(key, 1, :length) = :prefix LIMIT 1"
    return bool(store.fetch(query, {"length": len(prefix), "prefix": prefix}))
