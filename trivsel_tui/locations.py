"""Where things live on this computer (platform folders): the database, settings, state and documents.

Not storage: no SQL and no SQLAlchemy here, so the CLI and the crash handler can ask cheaply."""

from __future__ import annotations

import os
from pathlib import Path

import platformdirs

APP_NAME = "trivsel-tui"
DB_ENV = "TRIVSEL_DB"
DB_URL_ENV = "TRIVSEL_DB_URL"  # a team database on PostgreSQL (store.dialect.resolve_location)
DB_FILENAME = "trivsel.sqlite3"


def default_db_path() -> Path:
    return Path(platformdirs.user_data_dir(APP_NAME)) / DB_FILENAME


def resolve_db_path(explicit: str | os.PathLike[str] | None = None) -> Path:
    """--db beats TRIVSEL_DB beats the platform's data folder."""
    if explicit:
        return Path(explicit).expanduser()
    if os.environ.get(DB_ENV):
        return Path(os.environ[DB_ENV]).expanduser()
    return default_db_path()


def resolve_db_target(db: str | os.PathLike[str] | None, db_url: str | None, configured_url: str = "") -> Path | str:
    """Which database to open, a file or a team database's URL (text; store.dialect reads it): --db beats
    --db-url beats TRIVSEL_DB_URL beats TRIVSEL_DB beats db_url in the settings beats the default file."""
    if db:
        return resolve_db_path(db)
    for given in (db_url, os.environ.get(DB_URL_ENV)):
        if given:
            return given
    if not os.environ.get(DB_ENV) and configured_url:
        return configured_url
    return resolve_db_path(None)


def config_dir() -> Path:
    return Path(platformdirs.user_config_dir(APP_NAME))


def state_dir() -> Path:
    """Private bookkeeping: crash logs, which database files were last seen healthy."""
    return Path(platformdirs.user_state_dir(APP_NAME))


def settings_path() -> Path:
    return config_dir() / "settings.toml"


def default_adaptation_path() -> Path:
    return config_dir() / "lokal-tilpasning.toml"


def documents_dir() -> Path:
    """Where generated documents (Insubiz summaries, notater) are saved."""
    return Path(platformdirs.user_documents_dir()) / "trivsel-tui"
