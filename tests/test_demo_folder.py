"""`trivsel --demo` leaves no database with (made-up) case data in the temp folder, however it ends."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import tempfile
from pathlib import Path

from trivsel_tui.demo_folder import PREFIX, remove_stale_demo_folders

# The real demo start-up, with the app replaced by "print the folder and wait to be killed".
SCRIPT = """
import sys, time
from trivsel_tui import cli

def wait(store, settings, rules, demo=False):
    print(store.path.parent, flush=True)
    time.sleep(60)

cli._run_app = wait
sys.argv = ["trivsel", "--demo"]
cli.main()
"""


def start_demo(tmp_path: Path) -> tuple[subprocess.Popen[str], Path]:
    env = {**os.environ, "TMPDIR": str(tmp_path)}
    process = subprocess.Popen([sys.executable, "-c", SCRIPT], stdout=subprocess.PIPE, text=True, env=env)
    assert process.stdout is not None
    folder = Path(process.stdout.readline().strip())
    assert folder.name.startswith(PREFIX) and (folder / "demo.sqlite3").exists()
    return process, folder


def test_sigterm_and_sighup_remove_the_demo_database(tmp_path: Path) -> None:
    for number in (signal.SIGTERM, signal.SIGHUP):
        process, folder = start_demo(tmp_path)
        process.send_signal(number)
        assert process.wait(timeout=30) != 0
        assert not folder.exists(), signal.Signals(number).name


def test_a_folder_left_by_sigkill_is_removed_at_the_next_start(tmp_path: Path) -> None:
    process, folder = start_demo(tmp_path)
    process.kill()
    process.wait(timeout=30)
    assert folder.exists()  # SIGKILL cannot be caught
    running, running_folder = start_demo(tmp_path)
    try:
        assert not folder.exists()
        assert running_folder.exists()
        assert remove_stale_demo_folders(tmp_path) == []  # a running demo's folder is left alone
    finally:
        running.terminate()
        running.wait(timeout=30)


def test_only_our_own_dead_processes_folders_are_removed(tmp_path: Path) -> None:
    dead = subprocess.run([sys.executable, "-c", "import os; print(os.getpid())"], capture_output=True, text=True)
    stale = tmp_path / f"{PREFIX}{dead.stdout.strip()}-abc"
    stale.mkdir()
    alive = tmp_path / f"{PREFIX}{os.getpid()}-abc"
    alive.mkdir()
    unrelated = tmp_path / f"{PREFIX}notapid"
    unrelated.mkdir()
    target = Path(tempfile.mkdtemp(dir=tmp_path))
    link = tmp_path / f"{PREFIX}1-link"
    link.symlink_to(target)
    assert remove_stale_demo_folders(tmp_path) == [stale]
    assert alive.exists() and unrelated.exists() and target.exists()
