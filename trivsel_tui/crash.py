"""When something unexpected breaks: the traceback goes to a private log file, never to the terminal.

A traceback with local variables (Textual's default, and Rich's) would print the form's personal
data on the screen and into terminal scrollback. Here the traceback is written WITHOUT locals to a
0600 file in a 0700 folder, the user gets one Danish line naming that file, and the exit code says
that the program failed.
"""

from __future__ import annotations

import os
import sys
import traceback
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from pathlib import Path

from trivsel_tui.locations import state_dir
from trivsel_tui.store.private import write_private_text
from trivsel_tui.texts import t

EXIT_CRASH = 70  # EX_SOFTWARE: an internal error, not a wrong argument (2) or a refused file


def log_dir() -> Path:
    return state_dir() / "log"


def write_crash_log(error: BaseException) -> Path | None:
    """The traceback without locals, in a private file; None if even that fails."""
    from trivsel_tui import __version__

    now = datetime.now(UTC)
    path = log_dir() / f"nedbrud-{now:%Y%m%dT%H%M%S}-{os.getpid()}.log"
    header = f"trivsel-tui {__version__}, {now.isoformat()}, Python {sys.version.split()[0]}\n\n"
    try:
        return write_private_text(path, header + "".join(traceback.format_exception(error)))
    except OSError:
        return None


def crash_message(error: BaseException) -> str:
    log = write_crash_log(error)
    kind = type(error).__name__
    return t("crash.logged", log=log, kind=kind) if log else t("crash.not_logged", kind=kind)


@contextmanager
def reported() -> Iterator[None]:
    """Around the whole command line: an unexpected error becomes one Danish line and exit code 70."""
    try:
        yield
    except Exception as error:
        print(f"trivsel: {crash_message(error)}", file=sys.stderr)
        sys.exit(EXIT_CRASH)


class CrashSafeApp:
    """Mix into the Textual App (before App): a crash is logged privately, and nothing is printed at exit.

    The command line prints `crash_report` once the terminal is restored (as one unwrapped line,
    so the log path can be copied) and exits with the app's return code.
    """

    crash_report: str | None = None
    _return_code: int | None  # App's

    def _handle_exception(self, error: Exception) -> None:
        super()._handle_exception(error)  # type: ignore[misc]  # exits the app, remembers the error for tests
        # Textual has rendered a traceback WITH locals to print at exit: drop it.
        self._exit_renderables.clear()  # type: ignore[attr-defined]
        self._return_code = EXIT_CRASH
        self.crash_report = crash_message(error)
