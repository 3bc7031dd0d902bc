"""User settings (settings.toml in the config folder). Plain file I/O; no SQL, no Textual."""

from __future__ import annotations

import getpass
import tomllib
from dataclasses import dataclass
from pathlib import Path

from trivsel_tui.store.paths import default_adaptation_path, settings_path
from trivsel_tui.texts import t

DEFAULT_DUE_SOON_DAYS = 7
DEFAULT_BACKUP_REMINDER_DAYS = 7  # 0 turns the reminder off


class SettingsError(ValueError):
    pass


@dataclass(frozen=True)
class Settings:
    actor: str
    due_soon_days: int = DEFAULT_DUE_SOON_DAYS
    adaptation: Path | None = None
    backup_reminder_days: int = DEFAULT_BACKUP_REMINDER_DAYS


def os_user() -> str:
    try:
        return getpass.getuser()
    except (KeyError, OSError):
        return "ukendt"


def load_settings(path: Path | None = None) -> Settings:
    """Settings from file; missing file or keys fall back to defaults (actor = OS user)."""
    path = path or settings_path()
    data: dict[str, object] = {}
    if path.exists():
        try:
            data = tomllib.loads(path.read_text(encoding="utf-8"))
        except tomllib.TOMLDecodeError as exc:
            raise SettingsError(t("settings.not_toml", path=path, error=exc)) from exc
    allowed = {"actor", "due_soon_days", "adaptation", "backup_reminder_days"}
    for key in data:
        if key not in allowed:
            raise SettingsError(t("settings.unknown_key", path=path, name=key, allowed=", ".join(sorted(allowed))))
    due_soon = data.get("due_soon_days", DEFAULT_DUE_SOON_DAYS)
    if not isinstance(due_soon, int) or due_soon < 0:
        raise SettingsError(t("settings.bad_due_soon", path=path))
    reminder = data.get("backup_reminder_days", DEFAULT_BACKUP_REMINDER_DAYS)
    if not isinstance(reminder, int) or isinstance(reminder, bool) or not 0 <= reminder <= 3650:
        raise SettingsError(t("settings.bad_backup_reminder", path=path))
    adaptation = Path(str(data["adaptation"])) if "adaptation" in data else default_adaptation_path()
    return Settings(
        actor=str(data.get("actor") or os_user()),
        due_soon_days=due_soon,
        adaptation=adaptation if adaptation.exists() else None,
        backup_reminder_days=reminder,
    )
