"""Control characters never reach the database: one flush hook cleans every string of every new or changed row.

It hangs on the same session class as the audit log, so no write path through the store can skip it.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import event, inspect
from sqlalchemy.orm import Session

from trivsel_tui.domain.control_chars import strip_controls
from trivsel_tui.store import models

# Fields a user fills in a multi-line text area; every other text field is one line.
MULTILINE: dict[type[Any], frozenset[str]] = {
    models.Episode: frozenset({"description", "override_reason"}),
    models.Case: frozenset({"close_reason"}),
    models.CaseNote: frozenset({"text"}),
    models.Task: frozenset({"note"}),
    models.ActionItem: frozenset({"drop_reason", "note", "effect_note"}),
    models.Workplace: frozenset({"local_adaptation_decision"}),
    models.MeetingItem: frozenset({"decision"}),
    models.MeetingMinutes: frozenset({"markdown", "reason"}),
}


def _clean(value: Any, multiline: bool) -> Any:
    if isinstance(value, str):
        return strip_controls(value, multiline)
    if isinstance(value, list):
        return [_clean(item, multiline) for item in value]
    if isinstance(value, dict):
        return {_clean(key, False): _clean(item, multiline) for key, item in value.items()}
    return value


def clean_rows(session: Session, _context: Any, _instances: Any) -> None:
    obj: Any
    for obj in (*session.new, *session.dirty):
        state = inspect(obj)
        multiline = MULTILINE.get(type(obj), frozenset())
        for attr in state.mapper.column_attrs:
            if attr.key not in state.dict:
                continue  # not loaded, so not changed: nothing to clean
            value = state.dict[attr.key]
            # JSON columns (drafts, classifications) hold free text with line breaks.
            cleaned = _clean(value, attr.key in multiline or isinstance(value, dict | list))
            if cleaned != value:
                setattr(obj, attr.key, cleaned)


def install(session_class: type[Session]) -> None:
    event.listen(session_class, "before_flush", clean_rows)
