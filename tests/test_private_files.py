"""Files with personal data are born private: 0600 files and 0700 folders whatever the umask, never chmod-ed later."""

from __future__ import annotations

import os
import stat
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.conftest import NOW
from tests.test_case_view import SIZE, make_app, open_first_case
from trivsel_tui.dialogs.document import DocumentScreen
from trivsel_tui.domain.rules import Rules
from trivsel_tui.settings import Settings
from trivsel_tui.store.demo import generate_demo
from trivsel_tui.store.store import Store


def mode(path: Path) -> int:
    return stat.S_IMODE(os.lstat(path).st_mode)


@pytest.fixture
def careless_user(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """umask 000, and no chmod after the fact: only a mode given at creation counts."""
    monkeypatch.setattr(os, "chmod", lambda *args, **kwargs: None)
    monkeypatch.setattr(Path, "chmod", lambda *args, **kwargs: None)
    old = os.umask(0)
    yield
    os.umask(old)


def test_a_new_database_and_its_folders_are_private(tmp_path: Path, careless_user: None) -> None:
    path = tmp_path / "new" / "data" / "trivsel.sqlite3"
    Store.open(path, "tester", lambda: NOW).close()
    assert mode(path) == 0o600
    assert mode(path.parent) == mode(path.parent.parent) == 0o700


async def test_a_saved_document_is_private_from_the_first_byte(
    store: Store,
    settings: Settings,
    rules: Rules,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    careless_user: None,
) -> None:
    docs = tmp_path / "Documents" / "trivsel-tui"
    monkeypatch.setattr("trivsel_tui.screens.case_view.documents_dir", lambda: docs)
    generate_demo(store, rules, 5, 1, NOW)
    elsewhere = tmp_path / "elsewhere.txt"
    elsewhere.write_text("uberørt", encoding="utf-8")
    app = make_app(store, settings, rules)
    async with app.run_test(size=SIZE) as pilot:
        case = await open_first_case(app, pilot)
        docs.mkdir(parents=True)
        (docs / f"{case.ref}-insubiz.md").symlink_to(elsewhere)  # planted: saving must not write through it
        await pilot.press("i")
        await pilot.pause()
        assert isinstance(app.screen, DocumentScreen)
        await pilot.press("s", "enter")
        await pilot.pause()
    saved = docs / f"{case.ref}-insubiz.md"
    assert not saved.is_symlink() and mode(saved) == 0o600
    assert case.ref in saved.read_text(encoding="utf-8")
    assert elsewhere.read_text(encoding="utf-8") == "uberørt"


async def test_documents_folder_is_created_private(
    store: Store,
    settings: Settings,
    rules: Rules,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    careless_user: None,
) -> None:
    docs = tmp_path / "Documents" / "trivsel-tui"
    monkeypatch.setattr("trivsel_tui.screens.case_view.documents_dir", lambda: docs)
    generate_demo(store, rules, 5, 1, NOW)
    app = make_app(store, settings, rules)
    async with app.run_test(size=SIZE) as pilot:
        await open_first_case(app, pilot)
        await pilot.press("i")
        await pilot.pause()
        await pilot.press("s", "enter")
        await pilot.pause()
    assert mode(docs) == mode(docs.parent) == 0o700
    assert [mode(file) for file in docs.iterdir()] == [0o600]
