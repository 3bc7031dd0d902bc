"""Consistent copies of the database with SQLite's online backup API."""

from __future__ import annotations

import os
import sqlite3
from datetime import datetime
from pathlib import Path


def backup_path_for(path: Path, now: datetime, label: str = "backup") -> Path:
    stamp = now.strftime("%Y%m%dT%H%M%S")
    return path.with_name(f"{path.name}.{label}-{stamp}")


def backup_database(path: Path, target: Path) -> Path:
    """Copy `path` to `target` while other connections may be using it; the copy is mode 0600."""
    fd = os.open(target, os.O_CREAT | os.O_WRONLY | os.O_TRUNC, 0o600)
    os.close(fd)
    source = sqlite3.connect(path)
    dest = sqlite3.connect(target)
    try:
        with dest:
            source.backup(dest)
    finally:
        dest.close()
        source.close()
    os.chmod(target, 0o600)
    return target
