"""The text catalogue: every key the code asks for exists (a missing one would crash the app)."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from trivsel_tui.texts import _catalogue, t

PACKAGE = Path(__file__).parent.parent / "trivsel_tui"
LITERAL_KEY = re.compile(r"""\bt\(\s*["']([a-z0-9_]+\.[a-z0-9_.]+)["']""")


def keys_used_in_code() -> set[str]:
    return {key for path in PACKAGE.rglob("*.py") for key in LITERAL_KEY.findall(path.read_text(encoding="utf-8"))}


def test_the_scan_finds_the_keys() -> None:
    assert len(keys_used_in_code()) > 200


def test_every_literal_key_exists() -> None:
    missing = sorted(keys_used_in_code() - set(_catalogue("da")))
    assert missing == []


def test_a_missing_key_fails_loudly() -> None:
    with pytest.raises(KeyError):
        t("no.such_key")


@pytest.mark.parametrize("key", ["keys.new_episode", "dashboard.summary", "documents.insubiz"])
def test_texts_are_danish_and_formattable(key: str) -> None:
    text = _catalogue("da")[key]
    assert text.strip()
    names = re.findall(r"{(\w+)", text)
    t(key, **dict.fromkeys(names, "x")) if names else t(key)
