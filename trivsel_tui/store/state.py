"""Facts about the database file itself (app_state), read through the store."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import func
from sqlmodel import select

from trivsel_tui.store.backup import LAST_BACKUP_KEY
from trivsel_tui.store.models import AppState, AuditEntry
from trivsel_tui.store.store import Store
from trivsel_tui.texts import t


def backup_age_start(store: Store) -> datetime | None:
    """When the data not yet in any backup began: the last backup, or the first change ever made.

    None when the file holds nothing worth backing up yet.
    """
    with store.read() as session:
        last = session.get(AppState, LAST_BACKUP_KEY)
        if last is not None:
            return datetime.fromisoformat(last.value)
        return session.exec(select(func.min(AuditEntry.at))).one()


def backup_reminder(store: Store, every_days: int, now: datetime) -> str | None:
    """The Danish reminder to show, when data older than `every_days` is in no backup (0 = never remind).
    A team database is backed up on its server (pg_dump), where `trivsel backup` cannot help."""
    if not every_days or store.url is not None:
        return None
    start = backup_age_start(store)
    if start is None:
        return None
    days = (now - start).days
    return t("backup.reminder", days=days) if days >= every_days else None
