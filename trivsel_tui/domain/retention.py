"""Retention: when a closed case is due for kassation, from the rules in data/retention.toml. Pure."""

from __future__ import annotations

import tomllib
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime
from functools import cache

from trivsel_tui.data_files import read_data_file

# Why a case may be put on hold; any hold stops kassation until it is released.
HOLD_KINDS = ("litigation", "occupational_disease_claim", "archival_duty", "other")


@dataclass(frozen=True)
class RetentionRule:
    code: str
    label: str
    years: int
    source: str
    local_default: bool
    categories: frozenset[str] = frozenset()
    insurance_report: str | None = None

    def matches(self, categories: frozenset[str], insurance: frozenset[str]) -> bool:
        if self.insurance_report is not None:
            return self.insurance_report in insurance
        return bool(self.categories & categories)


@dataclass(frozen=True)
class RetentionRules:
    default: RetentionRule
    rules: tuple[RetentionRule, ...]

    def rule_for(self, categories: Iterable[str], insurance: Iterable[str | None]) -> RetentionRule:
        """The longest period among the rules the case matches (the default when none does)."""
        cats = frozenset(categories)
        kinds = frozenset(kind for kind in insurance if kind)
        matching = [rule for rule in self.rules if rule.matches(cats, kinds)]
        return max(matching, key=lambda rule: rule.years, default=self.default)


def _rule(code: str, data: dict[str, object]) -> RetentionRule:
    categories = data.get("categories", [])
    insurance = data.get("insurance_report")
    return RetentionRule(
        code=code,
        label=str(data.get("label", code)),
        years=int(str(data["years"])),
        source=str(data["source"]),
        local_default=bool(data.get("local_default", False)),
        categories=frozenset(str(c) for c in categories) if isinstance(categories, list) else frozenset(),
        insurance_report=str(insurance) if insurance else None,
    )


@cache
def load_retention() -> RetentionRules:
    data = tomllib.loads(read_data_file("retention.toml"))
    rules = tuple(_rule(str(rule["code"]), rule) for rule in data["rules"])
    return RetentionRules(default=_rule("default", data["default"]), rules=rules)


def add_years(day: date, years: int) -> date:
    try:
        return day.replace(year=day.year + years)
    except ValueError:  # 29 February in a year that has none
        return day.replace(year=day.year + years, day=28)


def retention_until(closed_at: datetime | None, rule: RetentionRule) -> date | None:
    """The first day the case may be discarded; None while it is open."""
    if closed_at is None:
        return None
    return add_years(closed_at.date(), rule.years)


def is_due(until: date | None, on_hold: bool, today: date) -> bool:
    return until is not None and not on_hold and until <= today
