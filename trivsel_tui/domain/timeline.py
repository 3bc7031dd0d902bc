"""The audit timeline in Danish: which item changed, and each field's old → new value in words.

An audit entry holds column names and raw values ({"done_at": [None, "2026-11-26T09:00:00+00:00"]}).
Here they become "udført: – → 26-11-2026 10:00". Identifiers and derived columns are left out; an
item is named by its title, name or text as the log itself knows it (so a deleted one keeps its name).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from trivsel_tui.domain.clock import danish_day, danish_short
from trivsel_tui.domain.rules import Rules
from trivsel_tui.texts import t

# Columns that only link rows or repeat other columns: never shown.
HIDDEN = frozenset(
    {
        "id",
        "case_id",
        "episode_id",
        "workplace_id",
        "task_id",
        "plan_id",
        "replaces_id",
        "categories",
        "basis",
        "classification",
        "cause_ids",
        "position",
        "action_code",
        "meeting_id",
        "meeting_item_id",
        "target_id",
        "carried_from",
        "body_key",
        "workplace_ids",
    }
)
NAME_FIELDS = ("title", "name", "employee", "measure", "text", "ref", "insubiz_ref")
EDITABLE_EVENTS = ("create", "update", "delete")
LONGEST_VALUE = 80
WHOLE = frozenset({"path"})  # shown in full: a file's place is no use cut short


@dataclass(frozen=True)
class TimelineEntry:
    at: datetime
    actor: str
    entity: str
    entity_id: int
    action: str
    values: Mapping[str, Any] | None  # field -> [old, new]; None when erased (kassation, redaction)


def value_codes(rules: Rules) -> dict[str, Mapping[str, str]]:
    """Field -> code -> Danish label, for the fields that hold codes."""
    return {
        "status": {code: t(f"status.{code}") for code in ("open", "closed")},
        "perpetrator": rules.perpetrators,
        "relation": rules.perpetrators,
        "owner_role": rules.owners,
        "injury": rules.injuries,
        "behaviours": {code: rules.behaviour_label(code) for code in rules.behaviours},
        "support": {code: t(f"outcomes.support_{code}") for code in ("offered", "accepted", "declined")},
        "role": {code: t(f"parties.role_{code}") for code in ("affected", "subject", "witness")},
        "kind": {code: t(f"case.note_kind_{code}") for code in ("note", "status", "dispensation")},
    }


def item_names(entries: Iterable[TimelineEntry]) -> dict[tuple[str, int], str]:
    """Each item's name as the log knows it: the latest title, name or text given to it."""
    names: dict[tuple[str, int], str] = {}
    for entry in entries:
        for field in NAME_FIELDS:
            pair = (entry.values or {}).get(field)
            if isinstance(pair, list | tuple) and len(pair) == 2 and (pair[1] or pair[0]):
                names[(entry.entity, entry.entity_id)] = _short(str(pair[1] or pair[0]))
                break
    return names


def describe(entry: TimelineEntry, item: str, codes: Mapping[str, Mapping[str, str]]) -> str:
    """One line: "ændrede en opgave »Anmeld i Insubiz«: udført: – → 26-11-2026 10:00"."""
    if entry.action not in EDITABLE_EVENTS:  # an event about the case itself: saved, copied, discarded …
        verb, what, item = t(f"timeline.event_{entry.action}"), "", ""
    else:
        verb, what = t(f"audit.{entry.action}"), t(f"audit.entity_{entry.entity}")
    head = " ".join(part for part in (verb, what, f"»{item}«" if item else "") if part)
    if entry.values is None:
        return f"{head} {t('timeline.erased')}"
    # A new item is already named in the head: its name is not repeated as a field.
    skip = HIDDEN | (set(NAME_FIELDS) if entry.action == "create" and item else set())
    changes = [_change(field, pair, entry.action, codes) for field, pair in entry.values.items() if field not in skip]
    shown = [change for change in changes if change]
    return f"{head}: {'; '.join(shown)}" if shown and entry.action != "delete" else head


def _change(field: str, pair: Any, action: str, codes: Mapping[str, Mapping[str, str]]) -> str:
    old, new = pair if isinstance(pair, list | tuple) and len(pair) == 2 else (None, pair)
    label = t(f"timeline_fields.{field}") if field in FIELD_LABELS else t("timeline.other_field")
    if action == "create" or (old is None and action not in EDITABLE_EVENTS):
        return f"{label}: {value_text(field, new, codes)}"
    return f"{label}: {value_text(field, old, codes)} → {value_text(field, new, codes)}"


def value_text(field: str, value: Any, codes: Mapping[str, Mapping[str, str]]) -> str:
    if value is None or value == "" or value == []:
        return "–"
    if isinstance(value, bool):
        return t("timeline.yes" if value else "timeline.no")
    if isinstance(value, list | tuple):
        return ", ".join(value_text(field, item, codes) for item in value)
    if field in codes and isinstance(value, str):
        return codes[field].get(value, value)
    if isinstance(value, str):
        return value if field in WHOLE else _short(_moment(value))
    return str(value)


def _moment(text: str) -> str:
    """An ISO date or timestamp as the app shows dates; any other text as it is."""
    if len(text) == 10 and text[4] == "-" and text[7] == "-":
        try:
            return danish_day(date.fromisoformat(text))
        except ValueError:
            return text
    if len(text) >= 19 and text[4] == "-" and text[10] == "T":
        try:
            return danish_short(datetime.fromisoformat(text))
        except ValueError:
            return text
    return text


def _short(text: str) -> str:
    text = " ".join(text.split())
    return text if len(text) <= LONGEST_VALUE else text[: LONGEST_VALUE - 1] + "…"


# Every column a user can see change, with its Danish label in [timeline_fields].
FIELD_LABELS = frozenset(
    {
        "ref", "affected_person", "affected_job", "consultant", "status", "close_reason", "closed_at",
        "hold_kind", "hold_reason", "occurred_at", "place", "description", "behaviours", "perpetrator",
        "injury", "intentional", "reflex_or_resistance", "regular_over_time", "repeated_gross",
        "target_can_defend", "injury_from_single_episode", "outside_working_hours", "grounds", "channel",
        "first_absence_day", "absence_days", "witnesses", "reported_by", "override_reason", "title",
        "due_at", "done_at", "done_by", "note", "kind", "text", "author", "role", "relation", "name", "job",
        "held_on", "employee", "topic", "agreed_action", "follow_up_on", "insubiz_reported_on",
        "insubiz_ref", "police_reported_on", "police_journal", "support", "support_on", "amr_access_on",
        "employee_copy_on", "made_by", "employees_involved", "adopted_on", "next_review_on", "measure",
        "horizon", "responsible", "due_on", "drop_reason", "effective", "effect_note", "unit", "med_level",
        "risk_violence_citizens", "risk_sexual_citizens", "leader_name", "amr_name", "tr_name",
        "last_wellbeing_survey", "local_adaptation_decided_on", "local_adaptation_decision", "risk_flagged_on",
        "reason", "path", "what", "cases", "in_case", "in_history", "amg_members", "hr_consultant",
        "owner_role", "owner", "owner_chosen", "legal_deadline", "remind_at", "abandon_reason",
        "body_kind", "body_name", "attendees", "reasons", "decision", "follow_up_by", "resolved", "version",
        "markdown",
    }
)  # fmt: skip
