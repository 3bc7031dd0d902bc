"""A crash never prints a traceback (or its locals: personal data) to the terminal, and exits non-zero."""

from __future__ import annotations

import os
import re
import stat
import subprocess
import sys
from pathlib import Path

import pytest

from trivsel_tui.settings import Settings
from trivsel_tui.store.store import Store

SECRET = "Ida Dahl 010203-4321"

# Forces an exception while a local variable holds personal data, in the app or in a command.
APP_CRASH = f"""
import sys
from functools import partialmethod
from textual.app import App
from trivsel_tui import quick
from trivsel_tui.app import TrivselApp

def on_mount(self):
    person = {SECRET!r}
    raise RuntimeError("forced")

TrivselApp.on_mount = on_mount
TrivselApp.run = partialmethod(App.run, headless=True, size=(120, 40))
sys.argv = ["trivsel", "--db", sys.argv[1]]
quick.main()
"""

COMMAND_CRASH = f"""
import sys
from trivsel_tui import quick
from trivsel_tui.domain import wizard

def to_dot(tree):
    person = {SECRET!r}
    raise RuntimeError("forced")

wizard.to_dot = to_dot
sys.argv = ["trivsel", "rules", "graph"]
quick.main()
"""


def run(script: str, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-c", script, *args], capture_output=True, text=True, timeout=120, env=os.environ.copy()
    )


def assert_logged_privately(stderr: str) -> None:
    assert "Traceback" not in stderr
    assert SECRET not in stderr
    assert "uventet fejl (RuntimeError)" in stderr
    match = re.search(r"(/\S+\.log)", stderr)
    assert match, stderr
    log = Path(match.group(1))
    assert stat.S_IMODE(log.stat().st_mode) == 0o600
    assert stat.S_IMODE(log.parent.stat().st_mode) == 0o700
    content = log.read_text(encoding="utf-8")
    assert "Traceback" in content and "RuntimeError: forced" in content
    assert SECRET not in content  # no locals in the log either


def test_a_crash_in_the_app_exits_non_zero_without_traceback_or_locals(tmp_path: Path) -> None:
    result = run(APP_CRASH, str(tmp_path / "trivsel.sqlite3"))
    assert result.returncode == 70, result.stderr
    assert_logged_privately(result.stderr + result.stdout)


def test_a_crash_in_a_command_exits_non_zero_without_traceback(tmp_path: Path) -> None:
    result = run(COMMAND_CRASH)
    assert result.returncode == 70, result.stderr
    assert len(result.stderr.strip().splitlines()) == 1
    assert_logged_privately(result.stderr)


def test_a_crash_folder_is_private_even_with_umask_000(tmp_path: Path) -> None:
    script = "import os; os.umask(0)\n" + COMMAND_CRASH
    result = run(script)
    assert result.returncode == 70
    assert_logged_privately(result.stderr)


async def test_a_crash_inside_run_test_is_logged_and_sets_the_exit_code(store: Store, settings: Settings) -> None:
    from trivsel_tui.app import TrivselApp
    from trivsel_tui.domain.rules import load_rules

    app = TrivselApp(store=store, settings=settings, rules=load_rules())
    with pytest.raises(RuntimeError, match="forced"):
        async with app.run_test() as pilot:
            person = SECRET  # noqa: F841 – a local with personal data where it breaks
            app.call_later(_raise_forced)
            await pilot.pause()
    assert app.return_code == 70
    assert app.crash_report and "RuntimeError" in app.crash_report and SECRET not in app.crash_report


def _raise_forced() -> None:
    raise RuntimeError("forced")
