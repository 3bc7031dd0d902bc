"""Deadlines set by law are kept: a task whose deadline comes from a rules row marked legal is never
postponed. What may be set instead is a personal reminder, shown beside the legal deadline."""

from __future__ import annotations

from datetime import date, datetime

from trivsel_tui.domain.classify import REPORT_DEADLINES
from trivsel_tui.domain.clock import danish_long
from trivsel_tui.domain.deadlines import describe
from trivsel_tui.domain.rules import DeadlineRule, Rules
from trivsel_tui.texts import t

# What to do instead of postponing, per action (texts in the catalogue's [legal_deadline] section).
INSTEAD = ("police_report", "insurance_report", "victim_compensation")


class LegalDeadlineError(ValueError):
    """An attempt to move a deadline the law sets."""


def deadline_rule(action_code: str, insurance_report: str | None, on: date, rules: Rules) -> DeadlineRule | None:
    """The rules row a task's deadline comes from (the Insubiz report's row depends on its kind)."""
    if action_code == "insurance_report":
        code = REPORT_DEADLINES.get(insurance_report or "")
    else:
        definition = rules.actions.get(action_code)
        code = definition.deadline if definition else None
    return rules.deadline_in_force(code, on) if code else None


def deadline_is_legal(action_code: str, insurance_report: str | None, on: date, rules: Rules) -> bool:
    rule = deadline_rule(action_code, insurance_report, on, rules)
    return bool(rule and rule.legal)


def refusal(action_code: str, due: datetime | None, rule: DeadlineRule | None, rules: Rules) -> str:
    """Why the deadline stays, and what to do instead, in Danish."""
    parts = [t("legal_deadline.refused", due=danish_long(due) if due else "–")]
    if rule is not None:
        parts.append(t("legal_deadline.rule", rule=describe(rule, rules), source=rules.section(rule.source)))
    key = action_code if action_code in INSTEAD else "other"
    parts.append(t(f"legal_deadline.instead_{key}"))
    parts.append(t("legal_deadline.reminder"))
    return "\n\n".join(parts)
