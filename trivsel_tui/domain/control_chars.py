"""Text typed, pasted or imported by people is data, never instructions to the terminal.

C0 and C1 control characters (ESC starts an OSC 52 clipboard write or a screen clear) are removed
where text is stored, and made visible where text is shown, so rows written before the cleaning
or by another program are harmless too.
"""

from __future__ import annotations

import json
import re

_LINE_BREAKS = re.compile(r"\r\n?")
_CONTROL_BUT_LAYOUT = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f]")  # keeps \t and \n
_LAYOUT = re.compile("[\t\n]")
C1_PICTURE = "\ufffd"


def strip_controls(text: str, multiline: bool) -> str:
    """Text as it may be stored: no control characters; tabs and newlines only in multi-line fields."""
    text = _CONTROL_BUT_LAYOUT.sub("", _LINE_BREAKS.sub("\n", text))
    return text if multiline else _LAYOUT.sub(" ", text)


def _picture(match: re.Match[str]) -> str:
    code = ord(match.group())
    if code < 0x20:
        return chr(0x2400 + code)  # the Unicode "control pictures": ␛ for ESC, ␇ for BEL
    return "␡" if code == 0x7F else C1_PICTURE


def visible_controls(text: str) -> str:
    """Text as it may be shown: every control character but tab and newline becomes a visible symbol.

    One character becomes one character, so style offsets computed on the text stay valid.
    """
    return _CONTROL_BUT_LAYOUT.sub(_picture, text)


def shown_value(value: object, limit: int = 60) -> str:
    """A value from a user's file as it is written there (JSON/TOML: true, null, "tekst"), on one short line
    with control characters visible – for error messages, never Python's repr (True, None, 'tekst')."""
    if isinstance(value, dict):
        return "{…}"
    if isinstance(value, list | tuple):
        return "[…]"
    try:
        text = json.dumps(value, ensure_ascii=False, default=str)
    except ValueError:  # an integer too long to print
        text = "…"
    text = visible_controls(text)
    return text if len(text) <= limit else text[: limit - 1] + "…"
