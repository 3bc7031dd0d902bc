"""Spotting what looks like a CPR number in free text (data minimisation: it does not belong there)."""

from __future__ import annotations

import re
from datetime import date

_CANDIDATE = re.compile(r"(?<!\d)(\d{2})(\d{2})(\d{2})[- ]?(\d{4})(?!\d)")
REPLACEMENT = "[CPR fjernet]"


def _plausible(day: str, month: str, year: str) -> bool:
    try:
        date(2000 + int(year), int(month), int(day))
    except ValueError:
        # 29 February in a year 19xx: still a possible birth date.
        return (day, month) == ("29", "02")
    return True


def find_cpr(text: str) -> list[str]:
    """Substrings shaped like ddmmyy-xxxx with a real day and month."""
    return [m.group(0) for m in _CANDIDATE.finditer(text) if _plausible(m.group(1), m.group(2), m.group(3))]


def remove_cpr(text: str) -> str:
    return _CANDIDATE.sub(lambda m: REPLACEMENT if _plausible(m.group(1), m.group(2), m.group(3)) else m.group(0), text)
