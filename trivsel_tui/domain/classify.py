"""The classification engine: facts + rules -> what the episode is and what must happen by when.

A pure function. Every conclusion adds a Danish sentence to the rationale naming its basis.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import pendulum

from trivsel_tui.domain.clock import iso_local
from trivsel_tui.domain.deadlines import describe, due_at
from trivsel_tui.domain.facts import Facts
from trivsel_tui.domain.rules import ActionDef, Rules

VIOLENCE_TYPES = frozenset({"physical_violence", "threat"})
SEXUAL_TYPES = frozenset({"unwanted_sexual_attention"})
PEERS = frozenset({"colleague", "manager"})
REPORT_DEADLINES = {"work_accident": "work_accident_report", "violation": "violation_report"}


@dataclass(frozen=True)
class Action:
    code: str
    title: str
    due: pendulum.DateTime | None
    basis: str

    def to_json(self) -> dict[str, Any]:
        return {
            "code": self.code,
            "title": self.title,
            "due": iso_local(self.due) if self.due else None,
            "basis": self.basis,
        }


@dataclass(frozen=True)
class Notice:
    code: str
    text: str


@dataclass(frozen=True)
class Classification:
    types: tuple[str, ...]
    categories: tuple[str, ...]
    insurance_report: str | None
    police_relevant: bool
    police_deadline: pendulum.DateTime | None
    actions: tuple[Action, ...]
    notices: tuple[Notice, ...]
    rationale: tuple[str, ...]

    def to_json(self) -> dict[str, Any]:
        return {
            "types": list(self.types),
            "categories": list(self.categories),
            "insurance_report": self.insurance_report,
            "police_report": {
                "relevant": self.police_relevant,
                "deadline": iso_local(self.police_deadline) if self.police_deadline else None,
            },
            "actions": [a.to_json() for a in self.actions],
            "notices": [{"code": n.code, "text": n.text} for n in self.notices],
            "rationale": list(self.rationale),
        }


@dataclass(frozen=True)
class Override:
    """A consultant's manual decision, which beats the engine's, with a mandatory reason."""

    reason: str
    insurance_report: str | None = None  # "work_accident" | "violation" | "none"; None = keep
    police_relevant: bool | None = None  # None = keep

    def __post_init__(self) -> None:
        if not self.reason.strip():
            raise ValueError("an override needs a reason")


@dataclass
class _Reasoning:
    rules: Rules
    facts: Facts
    override: Override | None = None
    sentences: list[str] = field(default_factory=list)
    actions: list[Action] = field(default_factory=list)

    def say(self, sentence: str, section: str) -> None:
        self.sentences.append(f"{sentence} ({self.rules.section(section)})")

    def act(self, action: ActionDef, section: str, title: str | None = None, deadline: str | None = None) -> None:
        code = deadline or action.deadline
        rule = self.rules.deadline_in_force(code, self.facts.occurred_at.date()) if code else None
        due = due_at(rule, self.facts) if rule else None
        basis = self.rules.section(section)
        if rule:
            basis += "; " + self.rules.sentence("deadline", rule=describe(rule, self.rules))
            if rule.source != section:
                basis += f" ({self.rules.section(rule.source)})"
        self.actions.append(Action(action.code, title or action.title, due, basis))


def _types(r: _Reasoning) -> set[str]:
    facts, rules = r.facts, r.rules
    found: set[str] = set()
    for behaviour in facts.behaviours:
        spec = rules.behaviours[behaviour]
        kind = spec["type"]
        if kind == "degrading":
            kind = _bullying_or_degrading(facts)
        if kind not in found:
            label = rules.type_label(kind)
            r.say(
                rules.sentence("behaviour", behaviour=spec["label"], type=label.lower()), rules.types[kind]["section"]
            )
        found.add(kind)
    if "unwanted_sexual_attention" in found:
        r.say(rules.sentence("defined_by_target"), "sx_intro")
    return found


def _bullying_or_degrading(facts: Facts) -> str:
    pattern = bool(facts.regular_over_time) or bool(facts.repeated_gross)
    return "bullying" if pattern and facts.target_can_defend is False else "degrading_treatment"


def _insurance(r: _Reasoning, types: set[str]) -> str | None:
    chosen = r.override.insurance_report if r.override else None
    if chosen is not None:
        reason = r.override.reason if r.override else ""
        r.say(
            r.rules.sentence("insurance_override", kind=_insurance_label(r.rules, chosen), reason=reason),
            "local_override",
        )
        if chosen == "none":
            return None
        _report(r, chosen, "local_override")
        return chosen
    if not types & (VIOLENCE_TYPES | SEXUAL_TYPES):
        if types:
            r.say(r.rules.sentence("no_insurance_for_bullying"), "mb_handle")
        return None
    section = "vt_handle" if types & VIOLENCE_TYPES else "sx_handle"
    kind = "violation" if r.facts.injury == "none" else "work_accident"
    r.say(r.rules.sentence(kind), section)
    _report(r, kind, section)
    return kind


def _report(r: _Reasoning, kind: str, section: str) -> None:
    action = r.rules.actions["insurance_report"]
    r.act(action, section, action.titles[kind], REPORT_DEADLINES[kind])


def _insurance_label(rules: Rules, kind: str) -> str:
    return rules.insurance_reports[kind]["label"] if kind in rules.insurance_reports else rules.sentence("no_report")


def _police(r: _Reasoning, types: set[str]) -> tuple[bool, pendulum.DateTime | None]:
    facts = r.facts
    forced = r.override.police_relevant if r.override else None
    if forced is not None and r.override:
        verdict = r.rules.sentence("verdict_relevant" if forced else "verdict_not")
        r.say(r.rules.sentence("police_override", verdict=verdict, reason=r.override.reason), "local_override")
        if not forced:
            return False, None
        rule = r.rules.deadline_in_force("police_report", facts.occurred_at.date())
        r.act(r.rules.actions["police_report"], "vt_victim")
        return True, due_at(rule, facts) if rule else None
    if not types & VIOLENCE_TYPES:
        return False, None
    rules = r.rules
    reasons_against = []
    if facts.injury == "none":
        reasons_against.append(rules.sentence("reason_no_injury"))
    if facts.intentional is False:
        reasons_against.append(rules.sentence("reason_not_intentional"))
    if facts.reflex_or_resistance is True:
        reasons_against.append(rules.sentence("reason_reflex"))
    if reasons_against:
        r.say(rules.sentence("police_not", reasons=rules.sentence("reasons_joiner").join(reasons_against)), "vt_victim")
        return False, None
    rule = r.rules.deadline_in_force("police_report", facts.occurred_at.date())
    deadline = due_at(rule, facts) if rule else None
    unknown = rules.sentence("intent_unknown") if facts.intentional is None else ""
    r.say(rules.sentence("police_relevant", unknown_intent=unknown), "vt_victim")
    r.act(r.rules.actions["police_report"], "vt_victim")
    return True, deadline


def _support_and_local(r: _Reasoning, types: set[str], insurance: str | None) -> list[Notice]:
    rules, facts = r.rules, r.facts
    notices = []
    sexual_from_citizen = bool(types & SEXUAL_TYPES) and facts.perpetrator == "citizen"
    support_basis = None
    if types & VIOLENCE_TYPES:
        support_basis = "vt_handle"
    elif types & {"bullying", "degrading_treatment"}:
        support_basis = "mb_handle"
    elif sexual_from_citizen:
        support_basis = "sx_handle"
    if support_basis:
        r.say(rules.sentence("support"), support_basis)
        r.act(rules.actions["offer_support"], support_basis)
    if insurance:
        r.say(rules.sentence("amg_follow_up"), "vt_handle")
        r.act(rules.actions["amg_follow_up"], "vt_handle")
    if types & SEXUAL_TYPES and facts.perpetrator in PEERS:
        who = rules.perpetrators[facts.perpetrator].lower()
        r.say(rules.sentence("resolve_locally", who=who), "sx_handle")
        r.act(rules.actions["resolve_locally"], "sx_handle")
        notice = rules.notices["not_anonymous"]
        notices.append(Notice("not_anonymous", notice["text"]))
    return notices


def _local_actions(r: _Reasoning, categories: set[str]) -> None:
    for action in r.rules.local_actions:
        if categories & set(action.categories):
            r.say(r.rules.sentence("local_action", title=action.title), "local")
            r.act(action, "local")


def classify(facts: Facts, rules: Rules, override: Override | None = None) -> Classification:
    """Decide types, Insubiz report, police report, actions and notices for one episode."""
    r = _Reasoning(rules, facts, override)
    types = _types(r)
    categories = {rules.types[t]["category"] for t in types}
    insurance = _insurance(r, types)
    police_relevant, police_deadline = _police(r, types)
    notices = _support_and_local(r, types, insurance)
    _local_actions(r, categories)
    return Classification(
        types=tuple(sorted(types)),
        categories=tuple(sorted(categories)),
        insurance_report=insurance,
        police_relevant=police_relevant,
        police_deadline=police_deadline,
        actions=tuple(r.actions),
        notices=tuple(notices),
        rationale=tuple(r.sentences),
    )
