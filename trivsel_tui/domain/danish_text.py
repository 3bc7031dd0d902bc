"""Keys for searching and sorting Danish text, computed once when a row is written.

- `search_key`: case-folded, so "SØREN", "Søren" and "søren" match, and "ølse" finds "Ølsemagle".
- `sort_key`: orders like a Danish dictionary/phone book: … X, Y, Z, Æ, Ø, Å; "Aa" counts as Å
  (Aabenraa after Århus's neighbours), ä/ö/ü as æ/ø/y, other accents are ignored, and a space
  sorts before any letter ("Ole Hansen" before "Olesen").

The sort key is plain ASCII whose byte order is the Danish order, so the database only compares bytes:
no collation, no function per row, the same on SQLite and on PostgreSQL (where the column uses
the "C" collation). Changing either function needs a migration that recomputes the stored keys.
"""

from __future__ import annotations

import unicodedata
from difflib import SequenceMatcher

# The last three letters of the Danish alphabet go to the three ASCII characters after "z".
_DANISH_LETTERS = {"æ": "{", "ø": "|", "å": "}", "ä": "{", "ö": "|", "ü": "y"}
_SEPARATOR = " "


def search_key(text: str) -> str:
    """What search compares: the text in one Unicode form and case-folded."""
    return unicodedata.normalize("NFC", text).casefold()


def sort_key(text: str) -> str:
    """An ASCII key whose plain byte order is Danish alphabetical order (see the module text)."""
    folded = search_key(text).replace("aa", "å")
    return "".join(_sort_char(char) for char in folded).strip()


def _sort_char(char: str) -> str:
    if char in _DANISH_LETTERS:
        return _DANISH_LETTERS[char]
    if "a" <= char <= "z" or "0" <= char <= "9":
        return char
    base = unicodedata.normalize("NFKD", char)[:1]  # é → e, ñ → n
    if base != char and ("a" <= base <= "z"):
        return base
    if char.isalnum():
        return char if char.isascii() else "~" + char  # other scripts: after every Danish letter
    return _SEPARATOR


def closeness(query: str, text: str) -> float:
    """How close `query` is to the best-matching word (or run of words) of `text`, 0–1, case-folded."""
    wanted = search_key(query.strip())
    words = search_key(text).split()
    runs = [" ".join(words[i : i + n]) for n in range(1, len(wanted.split()) + 1) for i in range(len(words))]
    return max((SequenceMatcher(None, wanted, run).ratio() for run in runs), default=0.0)
