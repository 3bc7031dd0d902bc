"""Bring a database file to the current schema, backing it up first when it holds data.

Opening a current file costs one plain query: the revisions are read from the migration files'
text, and alembic (slow to import) is only imported when there is something to upgrade.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import datetime
from functools import cache
from importlib import resources
from pathlib import Path
from typing import TYPE_CHECKING

from sqlalchemy import Engine, inspect, text

from trivsel_tui.store.backup import backup_database, backup_path_for
from trivsel_tui.store.db import writer
from trivsel_tui.store.guard import DatabaseRefusedError
from trivsel_tui.texts import t

if TYPE_CHECKING:
    from alembic.config import Config

SCRIPT_LOCATION = "trivsel_tui.store:migrations"
# `revision = "0005"`, `down_revision: str | None = "0004"` or `= None`, as alembic writes them.
_REVISION = re.compile(r"""^(down_revision|revision)\s*(?::[^=\n]*)?=\s*(?:["']([^"']*)["']|None)\s*$""", re.MULTILINE)


class SchemaTooNewError(RuntimeError):
    """The file was written by a newer trivsel-tui than this one."""


@cache
def _revisions() -> dict[str, str | None]:
    """Each migration's revision and the one it follows, read from the files without importing them."""
    graph: dict[str, str | None] = {}
    for file in resources.files("trivsel_tui.store.migrations").joinpath("versions").iterdir():
        if file.name.endswith(".py") and not file.name.startswith("__"):
            found = {key: value or None for key, value in _REVISION.findall(file.read_text(encoding="utf-8"))}
            graph[str(found["revision"])] = found.get("down_revision")
    return graph


def head_revision() -> str:
    graph = _revisions()
    (head,) = set(graph) - set(graph.values())
    return head


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


def upgrade(engine: Engine, revision: str = "head") -> None:
    from alembic import command

    config = _config()
    with writer(engine).connect() as connection:
        config.attributes["connection"] = connection
        command.upgrade(config, revision)
        connection.commit()


def migrate(engine: Engine, path: Path, now: Callable[[], datetime], read_only: bool = False) -> Path | None:
    """Upgrade to head. Returns the backup written before upgrading an existing file, if any."""
    current = current_revision(engine)
    if current == head_revision():
        return None
    if current is not None and current not in _revisions():
        raise SchemaTooNewError(t("store_notes.schema_too_new", path=path, revision=current))
    if read_only:
        raise DatabaseRefusedError(t("open_errors.read_only_needs_upgrade", path=path))
    backup = None
    if current is not None:
        backup = backup_database(path, backup_path_for(path, now(), t("store_notes.backup_label"))).path
    upgrade(engine)
    return backup
