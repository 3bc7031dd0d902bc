"""The dashboard query's texts and intervals, shared by the dashboard screen and `trivsel due`."""

from __future__ import annotations

from datetime import date

from trivsel_tui.domain.intake import classify_within_hours
from trivsel_tui.domain.rules import Rules
from trivsel_tui.store.dashboard import DueQuery
from trivsel_tui.texts import t


def make_due_query(rules: Rules, today: date | None = None) -> DueQuery:
    return DueQuery(
        review_title=t("due_kinds.plan_review_title"),
        survey_title=t("due_kinds.survey_due_title"),
        violence_plan_title=t("due_kinds.handleplan_violence_title"),
        sexual_plan_title=t("due_kinds.handleplan_sexual_title"),
        adaptation_title=t("due_kinds.adaptation_missing_title"),
        survey_interval_months=int(rules.prevention["wellbeing_survey_interval_months"]),
        adaptation_interval_months=int(rules.prevention["local_adaptation_due_months"]),
        classify_title=t("due_kinds.classify_episode_title"),
        classify_within_hours=classify_within_hours(rules, today or date.today()),
    )


def kind_label(kind: str, rules: Rules) -> str:
    """A short Danish name for a row's kind, for the kind filter."""
    if kind.startswith("local:"):
        action = next((a for a in rules.local_actions if a.deadline == kind or a.code == kind[6:]), None)
        return action.title if action else kind
    return t(f"due_kinds.{kind}")


FILTER_KINDS = (
    "classify_episode",
    "insurance_report",
    "police_report",
    "offer_support",
    "amg_follow_up",
    "resolve_locally",
    "manual",
    "plan_item",
    "plan_review",
    "survey_due",
    "handleplan_missing",
    "adaptation_missing",
)
