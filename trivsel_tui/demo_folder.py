"""The `--demo` database's temporary folder: removed on exit, on SIGTERM and SIGHUP, and after SIGKILL at next start.

The folder's name carries the process id, so a later start can tell a folder whose process is gone
(killed, or a closed terminal) from one that another running demo still uses.
"""

from __future__ import annotations

import os
import shutil
import signal
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from types import FrameType

PREFIX = "trivsel-demo-"
SIGNALS = (signal.SIGTERM, signal.SIGHUP)


@contextmanager
def demo_folder() -> Iterator[Path]:
    """A fresh private folder for the demo database, gone however the program ends (short of a power cut)."""
    remove_stale_demo_folders()
    folder = Path(tempfile.mkdtemp(prefix=f"{PREFIX}{os.getpid()}-"))  # mkdtemp makes it 0700
    previous = {number: signal.signal(number, _exit_on_signal) for number in SIGNALS}
    try:
        yield folder
    finally:
        for number, handler in previous.items():
            signal.signal(number, handler)
        shutil.rmtree(folder, ignore_errors=True)


def _exit_on_signal(number: int, _frame: FrameType | None) -> None:
    # Unwind normally, so the app restores the terminal and the folder is removed on the way out.
    raise SystemExit(128 + number)


def remove_stale_demo_folders(temp: Path | None = None) -> list[Path]:
    """Remove demo folders left by our own processes that no longer run; never anyone else's."""
    removed = []
    for folder in (temp or Path(tempfile.gettempdir())).glob(f"{PREFIX}*-*"):
        pid = folder.name.removeprefix(PREFIX).split("-", 1)[0]
        if not pid.isdigit() or folder.is_symlink() or not folder.is_dir():
            continue
        if folder.stat().st_uid != os.geteuid() or _running(int(pid)):
            continue
        shutil.rmtree(folder, ignore_errors=True)
        removed.append(folder)
    return removed


def _running(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True  # alive, someone else's
    return True
