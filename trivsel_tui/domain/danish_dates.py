"""Reading dates the way Danes type them: 24-10-2026, 24/10-2026, 24.10.26, 2026-10-24, i dag, i går."""

from __future__ import annotations

import re
from datetime import date, timedelta

_RELATIVE = {"i dag": 0, "idag": 0, "i går": -1, "igår": -1, "i forgårs": -2}
_DMY = re.compile(r"^(\d{1,2})[-/. ](\d{1,2})(?:[-/. ](\d{2}|\d{4}))?$")
_ISO = re.compile(r"^(\d{4})-(\d{1,2})-(\d{1,2})$")


class DanishDateError(ValueError):
    pass


def parse_danish_date(text: str, today: date) -> date:
    """A date from common Danish notations; a missing year means this year."""
    cleaned = " ".join(text.strip().lower().split())
    if cleaned in _RELATIVE:
        return today + timedelta(days=_RELATIVE[cleaned])
    if match := _ISO.match(cleaned):
        year, month, day = (int(g) for g in match.groups())
    elif match := _DMY.match(cleaned):
        day, month = int(match.group(1)), int(match.group(2))
        year_text = match.group(3)
        if year_text is None:
            year = today.year
        elif len(year_text) == 2:
            year = 2000 + int(year_text)
        else:
            year = int(year_text)
    else:
        raise DanishDateError(text)
    try:
        return date(year, month, day)
    except ValueError as exc:
        raise DanishDateError(text) from exc
