"""Loading the guideline rules from data/, with an optional local adaptation on top."""

from __future__ import annotations

import tomllib
from dataclasses import dataclass, field, replace
from datetime import date
from pathlib import Path
from typing import Any

from trivsel_tui.data_files import read_data_file
from trivsel_tui.texts import t

DEADLINE_KINDS = ("hours_after_episode", "days_end_of_day", "days_after_episode")
LOCAL_ADAPTATION_SOURCE = "Lokal tilpasning"


class RulesError(ValueError):
    """A rules or local-adaptation file is wrong; the message names the bad key."""


@dataclass(frozen=True)
class DeadlineRule:
    code: str
    kind: str
    amount: int
    effective_from: date
    source: str
    legal: bool = False
    local: bool = False


@dataclass(frozen=True)
class ActionDef:
    code: str
    title: str
    section: str
    deadline: str | None = None
    # Only local actions: the categories they are added for.
    categories: tuple[str, ...] = ()
    # Title variants by outcome, e.g. the Insubiz report as work accident or as violation.
    titles: dict[str, str] = field(default_factory=dict)


@dataclass(frozen=True)
class Rules:
    sections: dict[str, str]
    categories: dict[str, dict[str, str]]
    types: dict[str, dict[str, str]]
    behaviours: dict[str, dict[str, str]]
    perpetrators: dict[str, str]
    injuries: dict[str, str]
    channels: dict[str, str]
    grounds: dict[str, str]
    insurance_reports: dict[str, dict[str, str]]
    deadlines: tuple[DeadlineRule, ...]
    actions: dict[str, ActionDef]
    notices: dict[str, dict[str, str]]
    prevention: dict[str, Any] = field(default_factory=dict)
    rationale: dict[str, str] = field(default_factory=dict)
    dispensation: dict[str, Any] = field(default_factory=dict)
    local_actions: tuple[ActionDef, ...] = field(default=())
    adaptation_path: str | None = None

    def section(self, key: str) -> str:
        return self.sections.get(key, key)

    def deadline_in_force(self, code: str, on: date) -> DeadlineRule | None:
        """The newest row for `code` in force on `on`; a local row wins over a shipped one."""
        rows = [r for r in self.deadlines if r.code == code and r.effective_from <= on]
        if not rows:
            return None
        return max(rows, key=lambda r: (r.effective_from, r.local))

    def sentence(self, key: str, **values: object) -> str:
        """One of the engine's sentences from [rationale], filled in."""
        return self.rationale[key].format(**values)

    def type_label(self, code: str) -> str:
        return self.types[code]["label"]

    def behaviour_label(self, code: str) -> str:
        return self.behaviours[code]["label"]


def _shipped_text(name: str) -> str:
    return read_data_file(name)


def _as_date(value: Any, where: str) -> date:
    if isinstance(value, date):
        return value
    if isinstance(value, str):
        try:
            return date.fromisoformat(value)
        except ValueError:
            pass
    raise RulesError(t("rules_errors.date", where=where, value=repr(value)))


def _deadline_rows(raw: list[dict[str, Any]]) -> tuple[DeadlineRule, ...]:
    rows = []
    for i, row in enumerate(raw):
        where = f"deadlines[{i}]"
        if row.get("kind") not in DEADLINE_KINDS:
            raise RulesError(t("rules_errors.kind", where=where, kinds=", ".join(DEADLINE_KINDS)))
        rows.append(
            DeadlineRule(
                code=row["code"],
                kind=row["kind"],
                amount=int(row["amount"]),
                effective_from=_as_date(row["effective_from"], f"{where}.effective_from"),
                source=row["source"],
                legal=bool(row.get("legal", False)),
            )
        )
    return tuple(rows)


def parse_rules(data: dict[str, Any]) -> Rules:
    return Rules(
        sections=dict(data["sections"]),
        categories=dict(data["categories"]),
        types=dict(data["types"]),
        behaviours=dict(data["behaviours"]),
        perpetrators=dict(data["perpetrators"]),
        injuries=dict(data["injuries"]),
        channels=dict(data["channels"]),
        grounds=dict(data["grounds"]),
        insurance_reports=dict(data["insurance_reports"]),
        deadlines=_deadline_rows(data["deadlines"]),
        actions={code: ActionDef(code=code, **spec) for code, spec in data["actions"].items()},
        notices=dict(data["notices"]),
        prevention=dict(data["prevention"]),
        rationale=dict(data["rationale"]),
        dispensation=dict(data["dispensation"]),
    )


def load_rules(adaptation: Path | None = None) -> Rules:
    """The shipped rules, with the local adaptation file applied when one is given."""
    rules = parse_rules(tomllib.loads(_shipped_text("rules.toml")))
    if adaptation is None:
        return rules
    try:
        text = adaptation.read_text(encoding="utf-8")
    except OSError as exc:
        raise RulesError(t("rules_errors.unreadable", path=adaptation, error=exc.strerror)) from exc
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise RulesError(t("rules_errors.not_toml", path=adaptation, error=exc)) from exc
    return apply_adaptation(rules, data, str(adaptation))


# --- local adaptation -------------------------------------------------------------------

_ADAPTATION_KEYS = {"name", "decided_on", "deadlines", "actions"}
_DEADLINE_OVERRIDE_KEYS = {"amount", "effective_from", "note"}
_LOCAL_ACTION_KEYS = {"code", "title", "categories", "days", "note"}


def _reject_unknown(given: dict[str, Any], allowed: set[str], where: str) -> None:
    for key in given:
        if key not in allowed:
            allowed_text = ", ".join(sorted(allowed))
            raise RulesError(t("rules_errors.unknown_key", where=where, name=key, allowed=allowed_text))


def apply_adaptation(rules: Rules, data: dict[str, Any], path: str) -> Rules:
    """A MED level's local adaptation: change deadlines and add local actions.

    Legal deadlines may only be made stricter (shorter); local defaults may change freely.
    """
    _reject_unknown(data, _ADAPTATION_KEYS, "")
    source_name = f"{LOCAL_ADAPTATION_SOURCE}: {data.get('name', path)}"
    sections = dict(rules.sections)
    extra_rows = []
    known_codes = {r.code for r in rules.deadlines}
    for code, override in data.get("deadlines", {}).items():
        where = f"deadlines.{code}"
        if code not in known_codes:
            raise RulesError(t("rules_errors.unknown_deadline", where=where, known=", ".join(sorted(known_codes))))
        if not isinstance(override, dict):
            raise RulesError(t("rules_errors.not_table", where=where))
        _reject_unknown(override, _DEADLINE_OVERRIDE_KEYS, f"{where}.")
        amount = override.get("amount")
        if not isinstance(amount, int) or isinstance(amount, bool) or amount <= 0:
            raise RulesError(t("rules_errors.positive", where=f"{where}.amount"))
        effective = _as_date(override.get("effective_from", "1900-01-01"), f"{where}.effective_from")
        base = rules.deadline_in_force(code, effective) or next(r for r in rules.deadlines if r.code == code)
        if base.legal and amount > base.amount:
            raise RulesError(t("rules_errors.longer_than_law", where=where, amount=amount, legal=base.amount))
        extra_rows.append(replace(base, amount=amount, effective_from=effective, source="local", local=True))
    sections["local"] = source_name
    local_actions = []
    for i, spec in enumerate(data.get("actions", [])):
        where = f"actions[{i}]."
        if not isinstance(spec, dict):
            raise RulesError(t("rules_errors.actions_table", i=i))
        _reject_unknown(spec, _LOCAL_ACTION_KEYS, where)
        for required in ("code", "title"):
            if not isinstance(spec.get(required), str) or not spec[required].strip():
                raise RulesError(t("rules_errors.missing_text", where=where, name=required))
        categories = spec.get("categories", list(rules.categories))
        for category in categories:
            if category not in rules.categories:
                raise RulesError(t("rules_errors.unknown_category", where=where, category=repr(category)))
        deadline_code = None
        if "days" in spec:
            days = spec["days"]
            if not isinstance(days, int) or isinstance(days, bool) or days <= 0:
                raise RulesError(t("rules_errors.positive", where=f"{where}days"))
            deadline_code = f"local:{spec['code']}"
            extra_rows.append(
                DeadlineRule(deadline_code, "days_after_episode", days, date(1900, 1, 1), "local", local=True)
            )
        local_actions.append(ActionDef(spec["code"], spec["title"], "local", deadline_code, tuple(categories)))
    return replace(
        rules,
        sections=sections,
        deadlines=rules.deadlines + tuple(extra_rows),
        local_actions=tuple(local_actions),
        adaptation_path=path,
    )
