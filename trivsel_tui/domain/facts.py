"""The facts of an episode: the engine's input, validated field by field."""

from __future__ import annotations

from dataclasses import asdict, dataclass
from datetime import date
from typing import Any

import pendulum

from trivsel_tui.domain.clock import TimeParseError, in_supported_years, parse_day, parse_instant
from trivsel_tui.domain.control_chars import shown_value
from trivsel_tui.domain.rules import Rules
from trivsel_tui.texts import t


class FactsError(ValueError):
    """Bad input. `field` names the offending field, the message says what is allowed."""

    def __init__(self, field: str, message: str) -> None:
        super().__init__(f"{field}: {message}")
        self.field = field


@dataclass(frozen=True)
class Facts:
    occurred_at: pendulum.DateTime
    behaviours: tuple[str, ...]
    perpetrator: str
    injury: str
    intentional: bool | None = None
    reflex_or_resistance: bool | None = None
    regular_over_time: bool | None = None
    repeated_gross: bool | None = None
    target_can_defend: bool | None = None
    injury_from_single_episode: bool | None = None
    outside_working_hours: bool | None = None
    grounds: tuple[str, ...] = ()
    channel: str | None = None
    first_absence_day: date | None = None
    absence_days: int | None = None

    def to_json(self) -> dict[str, Any]:
        out = asdict(self)
        out["occurred_at"] = self.occurred_at.isoformat()
        out["behaviours"] = list(self.behaviours)
        out["grounds"] = list(self.grounds)
        out["first_absence_day"] = self.first_absence_day.isoformat() if self.first_absence_day else None
        return {k: v for k, v in out.items() if v is not None and v != []}


REQUIRED = ("occurred_at", "behaviours", "perpetrator", "injury")
OPTIONAL_BOOLS = (
    "intentional",
    "reflex_or_resistance",
    "regular_over_time",
    "repeated_gross",
    "target_can_defend",
    "injury_from_single_episode",
    "outside_working_hours",
)
OPTIONAL = (*OPTIONAL_BOOLS, "grounds", "channel", "first_absence_day", "absence_days")


def _field(key: object) -> str:
    """A field name for an error message: as written when it is a plain name, else shown safely."""
    return key if isinstance(key, str) and key.isidentifier() and key.isascii() else shown_value(key)


def _choice(obj: dict[str, Any], key: str, allowed: dict[str, Any]) -> str:
    value = obj[key]
    if not isinstance(value, str) or value not in allowed:
        raise FactsError(key, t("facts.unknown_value", value=shown_value(value), allowed=", ".join(allowed)))
    return value


def _words(obj: dict[str, Any], key: str, allowed: dict[str, Any], *, non_empty: bool) -> tuple[str, ...]:
    value = obj.get(key, [])
    if not isinstance(value, list) or (non_empty and not value):
        raise FactsError(key, t("facts.list_required" if non_empty else "facts.list", allowed=", ".join(allowed)))
    for word in value:
        if not isinstance(word, str) or word not in allowed:
            raise FactsError(key, t("facts.unknown_value", value=shown_value(word), allowed=", ".join(allowed)))
    return tuple(dict.fromkeys(value))


def _optional_bool(obj: dict[str, Any], key: str) -> bool | None:
    value = obj.get(key)
    if value is not None and not isinstance(value, bool):
        raise FactsError(key, t("facts.boolean", value=shown_value(value)))
    return value


def parse_facts(obj: Any, rules: Rules) -> Facts:
    """Validate a JSON-like object into Facts, or raise FactsError naming the field."""
    if not isinstance(obj, dict):
        raise FactsError("(input)", t("facts.not_object", fields=", ".join(REQUIRED)))
    for key in obj:
        if key not in REQUIRED and key not in OPTIONAL:
            raise FactsError(_field(key), t("facts.unknown_field", fields=", ".join(REQUIRED + OPTIONAL)))
    for key in REQUIRED:
        if key not in obj or obj[key] is None:
            raise FactsError(key, t("facts.missing"))
    if not isinstance(obj["occurred_at"], str):
        raise FactsError("occurred_at", t("facts.occurred_text"))
    try:
        occurred_at = parse_instant(obj["occurred_at"])
        in_supported_years(occurred_at)
    except TimeParseError as exc:
        raise FactsError("occurred_at", str(exc)) from exc
    first_absence_day = None
    if obj.get("first_absence_day") is not None:
        if not isinstance(obj["first_absence_day"], str):
            raise FactsError("first_absence_day", t("facts.day_text"))
        try:
            first_absence_day = parse_day(obj["first_absence_day"])
            in_supported_years(first_absence_day)
        except TimeParseError as exc:
            raise FactsError("first_absence_day", str(exc)) from exc
        if first_absence_day < occurred_at.date():
            raise FactsError("first_absence_day", t("facts.absence_before_episode"))
    absence_days = obj.get("absence_days")
    if absence_days is not None and (
        not isinstance(absence_days, int) or isinstance(absence_days, bool) or absence_days < 0
    ):
        raise FactsError("absence_days", t("facts.whole_number", value=shown_value(absence_days)))
    channel = obj.get("channel")
    if channel is not None:
        channel = _choice(obj, "channel", rules.channels)
    return Facts(
        occurred_at=occurred_at,
        behaviours=_words(obj, "behaviours", rules.behaviours, non_empty=True),
        perpetrator=_choice(obj, "perpetrator", rules.perpetrators),
        injury=_choice(obj, "injury", rules.injuries),
        **{key: _optional_bool(obj, key) for key in OPTIONAL_BOOLS},
        grounds=_words(obj, "grounds", rules.grounds, non_empty=False),
        channel=channel,
        first_absence_day=first_absence_day,
        absence_days=absence_days,
    )
