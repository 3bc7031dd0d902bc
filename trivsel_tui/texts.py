"""All UI text, looked up by key from one catalogue (data/texts.da.toml).

Screens never hold Danish literals; an English catalogue can be added beside the Danish one.
"""

from __future__ import annotations

import string
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


class _Counting(string.Formatter):
    """`{n:sag|sager}` is the word for n things: the first form when n is 1, else the second."""

    def format_field(self, value: Any, format_spec: str) -> Any:
        if "|" in format_spec:
            one, other = format_spec.split("|", 1)
            return one if str(value) in ("1", "-1") else other
        return super().format_field(value, format_spec)


_COUNTING = _Counting()


def t(key: str, **values: object) -> str:
    """The text for `key`, formatted with `values`. A missing key fails loudly in tests.

    Counts take the right form of their word: "{shown} {shown:sag|sager} vist" gives "1 sag vist"."""
    template = _catalogue(LANGUAGE)[key]
    if not values:
        return template
    return _COUNTING.vformat(template, (), values) if "|" in template else template.format(**values)


def has_text(key: str) -> bool:
    """Whether the catalogue has `key` (for labels that fall back to a code)."""
    return key in _catalogue(LANGUAGE)
