"""Loading the guideline rules from data/, with an optional local adaptation on top."""

from __future__ import annotations

import tomllib
from dataclasses import dataclass, field, replace
from datetime import date, datetime
from pathlib import Path
from typing import Any

from trivsel_tui.data_files import read_data_file
from trivsel_tui.domain.control_chars import shown_value
from trivsel_tui.texts import t

DEADLINE_KINDS = (
    "hours_after_episode",
    "days_end_of_day",
    "days_after_episode",
    "years_after_episode",
    "hours_after_registration",  # from when the case was registered (the classification, issue 12)
)
# The longest deadline a file may set, per kind (ten years): a bigger number is a typo, and
# pendulum cannot add 10**12 hours anyway.
MAX_AMOUNT = {
    "hours_after_episode": 87_600,
    "hours_after_registration": 87_600,
    "days_end_of_day": 3_650,
    "days_after_episode": 3_650,
    "years_after_episode": 10,
}
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
    owner: str = "hr"  # a key of [owners]
    legal: bool = False  # required by law: a local adaptation may never remove it
    help: str = ""
    when: str = ""  # legal actions: when they apply, in Danish (decided in classify.py; shown by `rules table`)


@dataclass(frozen=True)
class Outcome:
    """One row of [[outcomes]]: when its conditions hold, the engine adds its action or notice."""

    section: str
    action: str | None = None
    notice: str | None = None
    categories: tuple[str, ...] = ()  # any of these (empty = any category)
    perpetrators: tuple[str, ...] = ()  # any of these (empty = anyone)
    condition: str | None = None  # "insurance_report": only when an Insubiz report is made
    sentence: str | None = None  # a key of [rationale]
    quote: str = ""  # the guideline's words, quoted in « »
    local: bool = False

    def applies(self, categories: set[str], perpetrator: str, conclusions: set[str]) -> bool:
        return (
            (not self.categories or bool(categories & set(self.categories)))
            and (not self.perpetrators or perpetrator in self.perpetrators)
            and (self.condition is None or self.condition in conclusions)
        )


OUTCOME_CONDITIONS = ("insurance_report",)


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
    guideline: dict[str, Any] = field(default_factory=dict)
    owners: dict[str, str] = field(default_factory=dict)
    routes: dict[str, list[str]] = field(default_factory=dict)
    outcomes: tuple[Outcome, ...] = ()
    local_actions: tuple[ActionDef, ...] = field(default=())
    adaptation_path: str | None = None
    adaptation: dict[str, str] = field(default_factory=dict)  # name and decided_on of the local adaptation
    removed: tuple[str, ...] = ()  # non-legal actions the local adaptation removes

    def section(self, key: str) -> str:
        return self.sections.get(key, key)

    def deadline_in_force(self, code: str, on: date) -> DeadlineRule | None:
        """The newest row for `code` in force on `on`; a local row wins over a shipped one of the same date."""
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

    def owner_label(self, role: str) -> str:
        return self.owners.get(role, role)

    @property
    def version(self) -> str:
        """Which rules decided: the guideline's version and adoption, and the local adaptation if any."""
        g = self.guideline
        text = f"Regelsæt {g.get('version', '?')} af {g.get('checked_on', '?')}"
        text += f" – retningslinjer vedtaget af {g.get('adopted_by', '?')}"
        if g.get("adopted_on"):
            text += f" {g['adopted_on']}"
        if self.adaptation:
            text += f"; lokal tilpasning: {self.adaptation.get('name', '')}"
            if self.adaptation.get("decided_on"):
                text += f", besluttet {self.adaptation['decided_on']}"
        return text


def _shipped_text(name: str) -> str:
    return read_data_file(name)


def _as_date(value: Any, where: str) -> date:
    # A TOML datetime is a `datetime`, which is also a `date`: refuse it rather than drop the time.
    if isinstance(value, date) and not isinstance(value, datetime):
        return value
    if isinstance(value, str):
        try:
            return date.fromisoformat(value)
        except ValueError:
            pass
    raise RulesError(t("rules_errors.date", where=where, value=_shown(value)))


def _shown(value: Any) -> str:
    """A value as the user wrote it in TOML (true, "tekst"), short enough for one line."""
    return shown_value(value, 40)


def _amount(value: Any, kind: str, where: str) -> int:
    limit = MAX_AMOUNT[kind]
    if not isinstance(value, int) or isinstance(value, bool) or not 0 < value <= limit:
        raise RulesError(t("rules_errors.amount", where=where, limit=limit, value=_shown(value)))
    return value


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
                amount=_amount(row["amount"], row["kind"], f"{where}.amount"),
                effective_from=_as_date(row["effective_from"], f"{where}.effective_from"),
                source=row["source"],
                legal=bool(row.get("legal", False)),
            )
        )
    return tuple(rows)


def _outcome(spec: dict[str, Any], local: bool = False) -> Outcome:
    return Outcome(
        section=spec["section"],
        action=spec.get("action"),
        notice=spec.get("notice"),
        categories=tuple(spec.get("categories", ())),
        perpetrators=tuple(spec.get("perpetrators", ())),
        condition=spec.get("if"),
        sentence=spec.get("sentence"),
        quote=spec.get("quote", ""),
        local=local,
    )


def parse_rules(data: dict[str, Any]) -> Rules:
    rules = Rules(
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
        guideline=dict(data["guideline"]),
        owners=dict(data["owners"]),
        routes={key: list(value) for key, value in data["routes"].items()},
        outcomes=tuple(_outcome(spec) for spec in data["outcomes"]),
    )
    _check(rules)
    return rules


def _check(rules: Rules) -> None:
    """The shipped file is consistent: every reference points at something that exists."""
    for outcome in rules.outcomes:
        target = outcome.action or outcome.notice
        known = rules.actions if outcome.action else rules.notices
        if target not in known or bool(outcome.action) == bool(outcome.notice):
            raise RulesError(f"outcomes: {target!r} findes ikke")
        if outcome.condition is not None and outcome.condition not in OUTCOME_CONDITIONS:
            raise RulesError(f"outcomes: ukendt betingelse {outcome.condition!r}")
        if not set(outcome.categories) <= set(rules.categories) or not set(outcome.perpetrators) <= set(
            rules.perpetrators
        ):
            raise RulesError(f"outcomes: ukendt kategori eller skadevolder ved {target!r}")
    for action in rules.actions.values():
        if action.owner not in rules.owners:
            raise RulesError(f"actions.{action.code}.owner: ukendt rolle {action.owner!r}")


def load_rules(adaptation: Path | None = None) -> Rules:
    """The shipped rules, with the local adaptation file applied when one is given."""
    rules = parse_rules(tomllib.loads(_shipped_text("rules.toml")))
    if adaptation is None:
        return rules
    try:
        text = adaptation.read_text(encoding="utf-8")
    except OSError as exc:
        raise RulesError(t("rules_errors.unreadable", path=adaptation, error=exc.strerror)) from exc
    except UnicodeDecodeError as exc:
        raise RulesError(t("rules_errors.not_utf8", path=adaptation)) from exc
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise RulesError(t("rules_errors.not_toml", path=adaptation, error=exc)) from exc
    return apply_adaptation(rules, data, str(adaptation))


# --- local adaptation -------------------------------------------------------------------

_ADAPTATION_KEYS = {"name", "decided_on", "deadlines", "actions", "owners", "remove"}
_DEADLINE_OVERRIDE_KEYS = {"amount", "effective_from", "note"}
_LOCAL_ACTION_KEYS = {"code", "title", "categories", "perpetrators", "days", "owner", "note"}


def _reject_unknown(given: dict[str, Any], allowed: set[str], where: str) -> None:
    for key in given:
        if key not in allowed:
            allowed_text = ", ".join(sorted(allowed))
            raise RulesError(t("rules_errors.unknown_key", where=where, name=key, allowed=allowed_text))


def _table(data: dict[str, Any], key: str) -> dict[str, Any]:
    value = data.get(key, {})
    if not isinstance(value, dict):
        raise RulesError(t("rules_errors.must_be_table", where=key))
    return value


def _text(value: Any, where: str) -> str:
    if not isinstance(value, str) or not value.strip():
        raise RulesError(t("rules_errors.missing_text", where=where, name=""))
    return value


def _codes(value: Any, allowed: dict[str, Any], where: str) -> tuple[str, ...]:
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        raise RulesError(t("rules_errors.word_list", where=where, allowed=", ".join(allowed)))
    for code in value:
        if code not in allowed:
            raise RulesError(
                t("rules_errors.unknown_code", where=where, value=_shown(code), allowed=", ".join(allowed))
            )
    return tuple(value)


def _override_rows(rules: Rules, code: str, amount: int, effective: date, where: str) -> list[DeadlineRule]:
    """Local rows replacing `code` from `effective` on: one per shipped row in force in that period.

    A legal deadline may only be made shorter than the law in force (the newest legal row). For an
    older legal period the local amount applies only where it is not longer than the law was then.
    Each local row has the date of the row it replaces, so it wins for exactly that period.
    """
    shipped = sorted((r for r in rules.deadlines if r.code == code and not r.local), key=lambda r: r.effective_from)
    start = rules.deadline_in_force(code, effective) or shipped[0]
    covered = [start, *(r for r in shipped if r.effective_from > effective)]
    newest_legal = next((r for r in reversed(covered) if r.legal), None)
    if newest_legal and amount > newest_legal.amount:
        raise RulesError(t("rules_errors.longer_than_law", where=where, amount=amount, legal=newest_legal.amount))
    return [
        replace(row, amount=amount, effective_from=max(row.effective_from, effective), source="local", local=True)
        for row in covered
        if not row.legal or amount <= row.amount
    ]


def _deadline_overrides(rules: Rules, data: dict[str, Any]) -> list[DeadlineRule]:
    rows = []
    known_codes = {r.code for r in rules.deadlines}
    for code, override in _table(data, "deadlines").items():
        where = f"deadlines.{code}"
        if code not in known_codes:
            raise RulesError(t("rules_errors.unknown_deadline", where=where, known=", ".join(sorted(known_codes))))
        if not isinstance(override, dict):
            raise RulesError(t("rules_errors.not_table", where=where))
        _reject_unknown(override, _DEADLINE_OVERRIDE_KEYS, f"{where}.")
        kind = next(r.kind for r in rules.deadlines if r.code == code)
        amount = _amount(override.get("amount"), kind, f"{where}.amount")
        effective = _as_date(override.get("effective_from", "1900-01-01"), f"{where}.effective_from")
        rows.extend(_override_rows(rules, code, amount, effective, where))
    return rows


def _local_action(rules: Rules, spec: Any, i: int) -> tuple[ActionDef | None, Outcome, DeadlineRule | None]:
    """One [[actions]] entry: a new local action, or a shipped non-legal action added in more cases."""
    where = f"actions[{i}]."
    if not isinstance(spec, dict):
        raise RulesError(t("rules_errors.actions_table", i=i))
    _reject_unknown(spec, _LOCAL_ACTION_KEYS, where)
    code = _text(spec.get("code"), f"{where}code")
    shipped = rules.actions.get(code)
    if shipped is not None and shipped.legal:
        raise RulesError(t("rules_errors.legal_code", where=f"{where}code", code=code))
    title = shipped.title if shipped and "title" not in spec else _text(spec.get("title"), f"{where}title")
    categories = _codes(spec.get("categories", list(rules.categories)), rules.categories, f"{where}categories")
    perpetrators = _codes(spec.get("perpetrators", []), rules.perpetrators, f"{where}perpetrators")
    owner = spec.get("owner", shipped.owner if shipped else "hr")
    if owner not in rules.owners:
        raise RulesError(
            t("rules_errors.unknown_code", where=f"{where}owner", value=_shown(owner), allowed=", ".join(rules.owners))
        )
    outcome = Outcome(section="local", action=code, categories=categories, perpetrators=perpetrators, local=True)
    if shipped is not None:
        if "days" in spec:
            raise RulesError(t("rules_errors.shipped_days", where=f"{where}days", code=code))
        return None, outcome, None
    deadline = None
    if "days" in spec:
        deadline = DeadlineRule(
            f"local:{code}",
            "days_after_episode",
            _amount(spec["days"], "days_after_episode", f"{where}days"),
            date(1900, 1, 1),
            "local",
            local=True,
        )
    action = ActionDef(code, title, "local", deadline.code if deadline else None, categories, owner=owner)
    return action, outcome, deadline


def _owner_changes(rules: Rules, data: dict[str, Any], actions: dict[str, ActionDef]) -> dict[str, ActionDef]:
    changed = dict(actions)
    for code, role in _table(data, "owners").items():
        where = f"owners.{code}"
        if code not in changed:
            raise RulesError(
                t("rules_errors.unknown_code", where=where, value=_shown(code), allowed=", ".join(changed))
            )
        if role not in rules.owners:
            raise RulesError(
                t("rules_errors.unknown_code", where=where, value=_shown(role), allowed=", ".join(rules.owners))
            )
        changed[code] = replace(changed[code], owner=role)
    return changed


def _removed(rules: Rules, data: dict[str, Any]) -> set[str]:
    removed = set(_codes(data.get("remove", []), rules.actions, "remove"))
    for code in sorted(removed):
        if rules.actions[code].legal:
            raise RulesError(t("rules_errors.legal_code", where="remove", code=code))
    return removed


def apply_adaptation(rules: Rules, data: dict[str, Any], path: str) -> Rules:
    """A MED level's local adaptation: deadlines, owners, and non-legal actions added or removed.

    Legal deadlines may only be made shorter; legal actions can change owner but never be removed.
    """
    _reject_unknown(data, _ADAPTATION_KEYS, "")
    name = _text(data.get("name", path), "name")
    decided_on = _as_date(data["decided_on"], "decided_on").isoformat() if "decided_on" in data else ""
    extra_rows = _deadline_overrides(rules, data)
    actions_raw = data.get("actions", [])
    if not isinstance(actions_raw, list):
        raise RulesError(t("rules_errors.must_be_list", where="actions"))
    local_actions, outcomes = [], []
    for i, spec in enumerate(actions_raw):
        action, outcome, deadline = _local_action(rules, spec, i)
        local_actions += [action] if action else []
        outcomes.append(outcome)
        extra_rows += [deadline] if deadline else []
    removed = _removed(rules, data)
    actions = {**rules.actions, **{a.code: a for a in local_actions}}
    actions = _owner_changes(rules, data, actions)
    return replace(
        rules,
        sections={**rules.sections, "local": f"{LOCAL_ADAPTATION_SOURCE}: {name}"},
        deadlines=rules.deadlines + tuple(extra_rows),
        actions=actions,
        outcomes=(*rules.outcomes, *outcomes),
        removed=tuple(sorted(removed)),
        local_actions=tuple(actions[a.code] for a in local_actions),
        adaptation_path=path,
        adaptation={"name": name, "decided_on": decided_on},
    )
