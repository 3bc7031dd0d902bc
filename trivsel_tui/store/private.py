"""Files and folders that hold personal data: created private (0600 / 0700) from the first byte.

The mode is given when the file or folder is created, never fixed with chmod afterwards, so nothing
is world-readable even for a moment and whatever umask the user has.
"""

from __future__ import annotations

import contextlib
import os
from pathlib import Path

FILE_MODE = 0o600
DIR_MODE = 0o700


def make_private_dir(path: Path) -> Path:
    """Create `path` and any missing parents as 0700 (an existing folder is left as it is)."""
    missing = []
    for folder in (path, *path.parents):
        if folder.exists():
            break
        missing.append(folder)
    for folder in reversed(missing):
        with contextlib.suppress(FileExistsError):
            os.mkdir(folder, DIR_MODE)  # the umask can only take bits away from 0700
    return path


def create_private_file(path: Path) -> None:
    """Create a new empty file 0600; never follows a symbolic link and never opens an existing file."""
    make_private_dir(path.parent)
    os.close(os.open(path, os.O_CREAT | os.O_EXCL | os.O_WRONLY | os.O_NOFOLLOW, FILE_MODE))


def write_private_text(path: Path, text: str) -> Path:
    return write_private_bytes(path, text.encode("utf-8"))


def write_private_bytes(path: Path, data: bytes) -> Path:
    """Write a document 0600: a new temporary file beside it, then renamed over the old one."""
    make_private_dir(path.parent)
    temporary = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    with contextlib.suppress(FileNotFoundError):
        temporary.unlink()
    fd = os.open(temporary, os.O_CREAT | os.O_EXCL | os.O_WRONLY | os.O_NOFOLLOW, FILE_MODE)
    try:
        with os.fdopen(fd, "wb") as file:
            file.write(data)
        os.replace(temporary, path)  # replaces a symbolic link itself, never the file it points at
    except BaseException:
        with contextlib.suppress(OSError):
            temporary.unlink()
        raise
    return path
