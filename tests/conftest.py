from __future__ import annotations

from collections.abc import Callable, Iterator
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest

from trivsel_tui.domain.rules import Rules, load_rules
from trivsel_tui.settings import Settings
from trivsel_tui.store.store import Store

# A fixed "now" for everything that depends on the clock: Thursday 26 November 2026, 09:00 UTC.
NOW = datetime(2026, 11, 26, 9, 0, tzinfo=UTC)


@pytest.fixture(autouse=True)
def isolated_dirs(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Keep tests away from the real user's data and config folders."""
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "xdg-data"))
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "xdg-config"))
    monkeypatch.setenv("XDG_STATE_HOME", str(tmp_path / "xdg-state"))
    monkeypatch.delenv("TRIVSEL_DB", raising=False)


@pytest.fixture(scope="session")
def rules() -> Rules:
    return load_rules()


@pytest.fixture
def clock() -> Callable[[], datetime]:
    return lambda: NOW


@pytest.fixture
def db_path(tmp_path: Path) -> Path:
    return tmp_path / "data" / "trivsel.sqlite3"


@pytest.fixture
def store(db_path: Path, clock: Callable[[], datetime]) -> Iterator[Store]:
    opened = Store.open(db_path, "tester", clock)
    yield opened
    opened.close()


@pytest.fixture
def settings() -> Settings:
    return Settings(actor="tester")


async def settle(app: Any, pilot: Any) -> None:
    """Let the screen switch, every background load finish, and the results render."""
    await pilot.pause()
    await app.workers.wait_for_complete()
    await pilot.pause()
