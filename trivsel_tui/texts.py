"""All UI text, looked up by key from one catalogue (data/texts.da.toml).

Screens never hold Danish literals; an English catalogue can be added beside the Danish one.
"""

from __future__ import annotations

import tomllib
from functools import cache
from typing import Any

from trivsel_tui.data_files import read_data_file

LANGUAGE = "da"


@cache
def _catalogue(language: str) -> dict[str, str]:
    text = read_data_file(f"texts.{language}.toml")
    flat: dict[str, str] = {}

    def walk(prefix: str, node: dict[str, Any]) -> None:
        for key, value in node.items():
            if isinstance(value, dict):
                walk(f"{prefix}{key}.", value)
            else:
                flat[f"{prefix}{key}"] = str(value)

    walk("", tomllib.loads(text))
    return flat


def t(key: str, **values: object) -> str:
    """The text for `key`, formatted with `values`. A missing key fails loudly in tests."""
    template = _catalogue(LANGUAGE)[key]
    return template.format(**values) if values else template


def has_text(key: str) -> bool:
    """Whether the catalogue has `key` (for labels that fall back to a code)."""
    return key in _catalogue(LANGUAGE)
