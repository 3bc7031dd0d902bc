"""Action plans, pure: item rules, progress, prevention status of a workplace, Markdown export."""

from __future__ import annotations

import tomllib
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from functools import cache

import pendulum

from trivsel_tui.data_files import read_data_file
from trivsel_tui.domain.clock import danish_day
from trivsel_tui.texts import t

CLOSED_STATUSES = frozenset({"done", "dropped"})


@cache
def vocabulary() -> dict[str, dict[str, str]]:
    text = read_data_file("plans.toml")
    return tomllib.loads(text)


def label(group: str, code: str) -> str:
    return vocabulary()[group].get(code, code)


@dataclass(frozen=True)
class ItemState:
    """What the rules need to know about an action item."""

    status: str
    due_on: date | None
    effective: str | None  # yes | partly | no | None (not yet answered)
    drop_reason: str = ""


class ItemRuleError(ValueError):
    """A status change the plan rules do not allow; the message says why, in Danish."""


def check_status_change(new_status: str, effective: str | None, drop_reason: str) -> None:
    """Done needs the effectiveness answered; dropped needs a reason (the item is then closed)."""
    if new_status not in vocabulary()["item_statuses"]:
        raise ItemRuleError(t("plan_rules.unknown_status", status=repr(new_status)))
    if new_status == "done" and effective not in vocabulary()["effect"]:
        raise ItemRuleError(t("plan_rules.needs_effect"))
    if new_status == "dropped" and not drop_reason.strip():
        raise ItemRuleError(t("plan_rules.needs_reason"))


@dataclass(frozen=True)
class Progress:
    done: int
    total: int
    next_due: date | None


def progress(items: Sequence[ItemState]) -> Progress:
    """n of m closed (dropped items do not count against the plan), and the nearest open due date."""
    counted = [i for i in items if i.status != "dropped"]
    open_dues = [i.due_on for i in counted if i.status not in CLOSED_STATUSES and i.due_on]
    return Progress(sum(1 for i in counted if i.status == "done"), len(counted), min(open_dues, default=None))


def survey_due(last: date | None, interval_months: int) -> date | None:
    """When the next trivselsmåling is due (None = never held: due now)."""
    if last is None:
        return None
    return pendulum.date(last.year, last.month, last.day).add(months=interval_months)


@dataclass(frozen=True)
class PlanFacts:
    kind: str
    status: str
    next_review_on: date | None


@dataclass(frozen=True)
class PreventionStatus:
    required: tuple[str, ...]  # plan kinds the workplace must have
    adopted: tuple[str, ...]  # of those, the ones with an adopted plan
    gaps: tuple[str, ...]  # required kinds without an adopted plan
    next_review: date | None


def prevention_status(risk_violence: bool, risk_sexual: bool, plans: Sequence[PlanFacts]) -> PreventionStatus:
    """A workplace at risk from citizens must have an adopted handleplan for each risk (vt_prevent, sx_prevent)."""
    required = tuple(
        kind
        for kind, at_risk in (("prevention_violence", risk_violence), ("prevention_sexual", risk_sexual))
        if at_risk
    )
    adopted_plans = [p for p in plans if p.status == "adopted"]
    adopted = tuple(kind for kind in required if any(p.kind == kind for p in adopted_plans))
    reviews = [p.next_review_on for p in adopted_plans if p.next_review_on]
    gaps = tuple(kind for kind in required if kind not in adopted)
    return PreventionStatus(required, adopted, gaps, min(reviews, default=None))


@dataclass(frozen=True)
class ExportCause:
    number: int
    text: str
    kind: str


@dataclass(frozen=True)
class ExportItem:
    measure: str
    horizon: str
    kind: str
    responsible: str
    due_on: date | None
    status: str
    causes: tuple[int, ...]
    effective: str | None
    effect_note: str
    drop_reason: str


def plan_markdown(
    title: str,
    kind: str,
    made_by: str,
    employees: str,
    adopted_on: date | None,
    next_review_on: date | None,
    causes: Sequence[ExportCause],
    items: Sequence[ExportItem],
) -> str:
    """The plan as Markdown, to paste into meeting minutes."""

    lines = [
        f"# {title}",
        "",
        t(
            "documents.plan_byline",
            kind=label("plan_kinds", kind),
            made_by=label("made_by", made_by) if made_by else "–",
            employees=employees or "–",
        ),
        t("documents.plan_dates", adopted=danish_day(adopted_on), review=danish_day(next_review_on)),
        "",
    ]
    if causes:
        lines += [t("documents.plan_causes"), ""]
        lines += [f"{c.number}. {c.text} ({label('cause_kinds', c.kind)})" for c in causes]
        lines.append("")
    lines += [t("documents.plan_items"), ""]
    if not items:
        lines.append(t("documents.plan_no_items"))
    else:
        lines += [t("documents.plan_header"), "| --- | --- | --- | --- | --- | --- | --- |"]
        for item in items:
            status = label("item_statuses", item.status)
            if item.status == "done" and item.effective:
                status += f" – {label('effect', item.effective)}"
                status += f": {item.effect_note}" if item.effect_note else ""
            if item.status == "dropped":
                status += f" – {item.drop_reason}"
            answers = ", ".join(str(n) for n in item.causes) or "–"
            cells = [
                item.measure,
                label("horizons", item.horizon),
                label("item_kinds", item.kind),
                item.responsible or "–",
                danish_day(item.due_on),
                status,
                answers,
            ]
            lines.append("| " + " | ".join(cell.replace("|", "/") for cell in cells) + " |")
    lines.append("")
    return "\n".join(lines)
