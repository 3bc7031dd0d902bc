"""Bring a database file to the current schema, backing it up first when it holds data.

Opening a current file costs one plain query: the revisions are read from the migration files'
text, and alembic (slow to import) is only imported when there is something to upgrade.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING

from sqlalchemy import Engine, inspect, text

from trivsel_tui.store.backup import backup_database, backup_path_for
from trivsel_tui.store.db import writer
from trivsel_tui.store.guard import DatabaseRefusedError, SchemaTooNewError
from trivsel_tui.store.revisions import head_revision, revisions
from trivsel_tui.store.types import Progress
from trivsel_tui.texts import t

if TYPE_CHECKING:
    from alembic.config import Config

SCRIPT_LOCATION = "trivsel_tui.store:migrations"


def current_revision(engine: Engine) -> str | None:
    with engine.connect() as connection:
        if not inspect(connection).has_table("alembic_version"):
            return None
        return connection.execute(text("SELECT version_num FROM alembic_version")).scalar()


def _config() -> Config:
    from alembic.config import Config

    config = Config()
    config.set_main_option("script_location", SCRIPT_LOCATION)
    return config


def upgrade(engine: Engine, revision: str = "head", progress: Progress | None = None) -> None:
    from alembic import command

    config = _config()
    with writer(engine).connect() as connection:
        config.attributes["connection"] = connection
        config.attributes["progress"] = progress  # long data migrations report through it
        command.upgrade(config, revision)
        connection.commit()


def migrate(
    engine: Engine,
    path: Path | None,
    now: Callable[[], datetime],
    read_only: bool = False,
    progress: Progress | None = None,
    key: str | None = None,
    where: str = "",
) -> Path | None:
    """Upgrade to head. Returns the backup written before upgrading an existing file, if any.

    `progress` hears how far the pre-upgrade backup ("backup") and long data migrations ("seal") have come.
    A team database on PostgreSQL (path None) is backed up by its server (pg_dump), not by the app.
    """
    current = current_revision(engine)
    if current == head_revision():
        return None
    if current is not None and current not in revisions():
        raise SchemaTooNewError(t("store_notes.schema_too_new", path=where or path, revision=current))
    if read_only:
        raise DatabaseRefusedError(t("open_errors.read_only_needs_upgrade", path=where or path))
    backup = None
    if current is not None and path is not None:
        target = backup_path_for(path, now(), t("store_notes.backup_label"))
        backup = backup_database(path, target, progress=progress, key=key).path
    upgrade(engine, progress=progress)
    return backup
