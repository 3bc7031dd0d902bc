"""Bring a database file to the current schema, backing it up first when it holds data."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from pathlib import Path

from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import Engine

from trivsel_tui.store.backup import backup_database, backup_path_for
from trivsel_tui.store.db import writer
from trivsel_tui.texts import t

SCRIPT_LOCATION = "trivsel_tui.store:migrations"


class SchemaTooNewError(RuntimeError):
    """The file was written by a newer trivsel-tui than this one."""


def _config() -> Config:
    config = Config()
    config.set_main_option("script_location", SCRIPT_LOCATION)
    return config


def head_revision() -> str:
    head = ScriptDirectory.from_config(_config()).get_current_head()
    assert head is not None
    return head


def current_revision(engine: Engine) -> str | None:
    with engine.connect() as connection:
        return MigrationContext.configure(connection).get_current_revision()


def upgrade(engine: Engine, revision: str = "head") -> None:
    config = _config()
    with writer(engine).connect() as connection:
        config.attributes["connection"] = connection
        command.upgrade(config, revision)
        connection.commit()


def migrate(engine: Engine, path: Path, now: Callable[[], datetime]) -> Path | None:
    """Upgrade to head. Returns the backup written before upgrading an existing file, if any."""
    current = current_revision(engine)
    head = head_revision()
    if current == head:
        return None
    known = {rev.revision for rev in ScriptDirectory.from_config(_config()).walk_revisions()}
    if current is not None and current not in known:
        raise SchemaTooNewError(t("store_notes.schema_too_new", path=path, revision=current))
    backup = None
    if current is not None:
        backup = backup_database(path, backup_path_for(path, now(), t("store_notes.backup_label")))
    upgrade(engine)
    return backup
