"""The outcome rules in Danish, for a MED committee: which actions follow from which facts, who owns them.

Read from the same data the engine uses (rules.toml [actions], [[outcomes]], [owners], deadlines), so
what the committee reads is what the program does.
"""

from __future__ import annotations

from datetime import date

from trivsel_tui.domain.deadlines import describe
from trivsel_tui.domain.rules import ActionDef, Outcome, Rules
from trivsel_tui.texts import t


def _deadline(rules: Rules, action: ActionDef) -> str:
    rule = rules.deadline_in_force(action.deadline, date.max) if action.deadline else None
    return describe(rule, rules) if rule else t("rules_table.no_deadline")


def _condition(rules: Rules, outcome: Outcome) -> str:
    parts = []
    if outcome.categories:
        parts.append(" eller ".join(rules.categories[c]["label"].lower() for c in outcome.categories))
    else:
        parts.append(t("rules_table.any_category"))
    if outcome.perpetrators:
        who = " eller ".join(rules.perpetrators[p].lower() for p in outcome.perpetrators)
        parts.append(t("rules_table.perpetrator", who=who))
    if outcome.condition == "insurance_report":
        parts.append(t("rules_table.if_insurance"))
    return t("rules_table.when", condition=", ".join(parts))


def rules_table(rules: Rules) -> str:
    """Plain Danish text: the version, the legal actions, then every outcome rule in order."""
    lines = [t("rules_table.title"), rules.version, "", t("rules_table.legal")]
    for action in rules.actions.values():
        if action.legal:
            lines.append(f"- {action.title}")
            lines.append("  " + t("rules_table.row", when=action.when, owner=rules.owner_label(action.owner)))
            lines.append("  " + t("rules_table.due", due=_deadline(rules, action), basis=rules.section(action.section)))
    lines += ["", t("rules_table.outcomes")]
    for outcome in rules.outcomes:
        lines.append(f"- {_condition(rules, outcome)}")
        if outcome.action:
            action = rules.actions[outcome.action]
            removed = t("rules_table.removed") if action.code in rules.removed else ""
            lines.append(f"  {action.title}{removed}")
            lines.append("  " + t("rules_table.owner", owner=rules.owner_label(action.owner)))
            lines.append(
                "  " + t("rules_table.due", due=_deadline(rules, action), basis=rules.section(outcome.section))
            )
        else:
            notice = rules.notices[outcome.notice or ""]
            lines.append("  " + t("rules_table.notice", text=notice["text"]))
            lines.append("  " + t("rules_table.basis", basis=rules.section(outcome.section)))
        if outcome.quote:
            lines.append(f"  «{outcome.quote}»")
    return "\n".join(lines) + "\n"
