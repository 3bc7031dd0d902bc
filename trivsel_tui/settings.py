"""User settings (settings.toml in the config folder). Plain file I/O; no SQL, no Textual."""

from __future__ import annotations

import getpass
import json
import tomllib
from dataclasses import dataclass
from pathlib import Path

from trivsel_tui.locations import default_adaptation_path, settings_path
from trivsel_tui.store.private import write_private_text
from trivsel_tui.texts import t

DEFAULT_DUE_SOON_DAYS = 7
DEFAULT_BACKUP_REMINDER_DAYS = 7  # 0 turns the reminder off
MAX_DUE_SOON_DAYS = 366
MAX_ACTOR_LENGTH = 100


class SettingsError(ValueError):
    pass


@dataclass(frozen=True)
class Settings:
    actor: str
    due_soon_days: int = DEFAULT_DUE_SOON_DAYS
    adaptation: Path | None = None
    backup_reminder_days: int = DEFAULT_BACKUP_REMINDER_DAYS
    export_folder: Path | None = None  # where documents are saved; the last folder chosen is remembered
    signature: str = ""  # the name that signs documents (a person, never the computer's user name)
    db_url: str = ""  # a team database on PostgreSQL; checked when the store opens (store.dialect)


def os_user() -> str:
    try:
        return getpass.getuser()
    except (KeyError, OSError):
        return t("plain_words.unknown_user")


def load_settings(path: Path | None = None) -> Settings:
    """Settings from file; missing file or keys fall back to defaults (actor = OS user).

    A value of the wrong kind is an error naming the key, never silently replaced: a configured
    local adaptation that cannot be found would otherwise quietly put the national deadlines back.
    """
    path = path or settings_path()
    data = _read(path)
    allowed = {"actor", "due_soon_days", "adaptation", "backup_reminder_days", "export_folder", "signature", "db_url"}
    for key in data:
        if key not in allowed:
            raise SettingsError(t("settings.unknown_key", path=path, name=key, allowed=", ".join(sorted(allowed))))
    due_soon = data.get("due_soon_days", DEFAULT_DUE_SOON_DAYS)
    if not isinstance(due_soon, int) or isinstance(due_soon, bool) or not 0 <= due_soon <= MAX_DUE_SOON_DAYS:
        raise SettingsError(t("settings.bad_due_soon", path=path, most=MAX_DUE_SOON_DAYS))
    actor = data.get("actor", os_user())
    if not isinstance(actor, str) or not actor.strip() or len(actor) > MAX_ACTOR_LENGTH or not actor.isprintable():
        raise SettingsError(t("settings.bad_actor", path=path, most=MAX_ACTOR_LENGTH))
    reminder = data.get("backup_reminder_days", DEFAULT_BACKUP_REMINDER_DAYS)
    if not isinstance(reminder, int) or isinstance(reminder, bool) or not 0 <= reminder <= 3650:
        raise SettingsError(t("settings.bad_backup_reminder", path=path))
    if "adaptation" in data:
        adaptation: Path | None = _configured_adaptation(path, data["adaptation"])
    else:
        default = default_adaptation_path()
        adaptation = default if default.is_file() else None
    signature = data.get("signature", "")
    if not isinstance(signature, str) or len(signature) > MAX_ACTOR_LENGTH or not signature.isprintable():
        raise SettingsError(t("settings.bad_signature", path=path, most=MAX_ACTOR_LENGTH))
    db_url = data.get("db_url", "")
    if not isinstance(db_url, str):
        raise SettingsError(t("settings.db_url_not_text", path=path))
    return Settings(
        actor=actor.strip(),
        due_soon_days=due_soon,
        adaptation=adaptation,
        backup_reminder_days=reminder,
        export_folder=_export_folder(path, data.get("export_folder")),
        signature=signature.strip(),
        db_url=db_url.strip(),
    )


def _export_folder(path: Path, value: object) -> Path | None:
    if value is None:
        return None
    if not isinstance(value, str) or not Path(value).expanduser().is_absolute():
        raise SettingsError(t("settings.bad_export_folder", path=path))
    return Path(value).expanduser()


def remember_setting(name: str, value: str, path: Path | None = None) -> None:
    """Set one text setting in settings.toml, keeping every other line (and comment) as it was."""
    path = path or settings_path()
    try:
        lines = path.read_text(encoding="utf-8").splitlines()
    except FileNotFoundError:
        lines = []
    line = f"{name} = {json.dumps(value, ensure_ascii=False)}"  # a JSON string is a TOML basic string
    kept = [old for old in lines if not old.replace(" ", "").startswith(f"{name}=")]
    write_private_text(path, "\n".join([*kept, line]) + "\n")


def _read(path: Path) -> dict[str, object]:
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        return {}
    except IsADirectoryError as exc:
        raise SettingsError(t("settings.is_folder", path=path)) from exc
    except UnicodeDecodeError as exc:
        raise SettingsError(t("settings.not_utf8", path=path)) from exc
    except OSError as exc:
        raise SettingsError(t("settings.unreadable", path=path, error=exc.strerror)) from exc
    try:
        return tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise SettingsError(t("settings.not_toml", path=path, error=exc)) from exc


def _configured_adaptation(path: Path, value: object) -> Path:
    if not isinstance(value, str) or not value.strip():
        raise SettingsError(t("settings.adaptation_not_text", path=path))
    adaptation = Path(value).expanduser()
    if not adaptation.is_absolute():
        raise SettingsError(t("settings.adaptation_relative", path=path, adaptation=value))
    if not adaptation.is_file():
        raise SettingsError(t("settings.adaptation_missing", path=path, adaptation=adaptation))
    return adaptation
