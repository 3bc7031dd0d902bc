"""The classification engine: facts + rules -> what the episode is and what must happen by when.

A pure function. Every conclusion adds a Danish sentence to the rationale naming its basis. The legal
mechanics (Insubiz kind, police report, deadlines) are here; which further actions and notices follow
from which facts, and who owns them, is data (rules.toml [[outcomes]], [actions], [routes]).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import pendulum

from trivsel_tui.domain.clock import danish_long, iso_local, parse_instant
from trivsel_tui.domain.deadlines import describe, due_at
from trivsel_tui.domain.facts import Facts
from trivsel_tui.domain.rules import ActionDef, Rules

VIOLENCE_TYPES = frozenset({"physical_violence", "threat"})
SEXUAL_TYPES = frozenset({"unwanted_sexual_attention"})
REPORT_DEADLINES = {"work_accident": "work_accident_report", "violation": "violation_report", "fatal": "fatal_report"}


@dataclass(frozen=True)
class Action:
    code: str
    title: str
    due: pendulum.DateTime | None
    basis: str
    owner_role: str = "hr"
    legal: bool = False
    help: str = ""

    def to_json(self) -> dict[str, Any]:
        out: dict[str, Any] = {
            "code": self.code,
            "title": self.title,
            "due": iso_local(self.due) if self.due else None,
            "basis": self.basis,
            "owner_role": self.owner_role,
            "legal": self.legal,
        }
        if self.help:
            out["help"] = self.help
        return out

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> Action:
        due = data.get("due")
        return cls(
            data["code"],
            data["title"],
            parse_instant(due) if due else None,
            data.get("basis", ""),
            data.get("owner_role", "hr"),
            bool(data.get("legal", False)),
            data.get("help", ""),
        )


@dataclass(frozen=True)
class Notice:
    code: str
    text: str
    basis: str = ""


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
    dispensation_possible: bool = False
    rules_version: str = ""

    def to_json(self) -> dict[str, Any]:
        return {
            "rules_version": self.rules_version,
            "types": list(self.types),
            "categories": list(self.categories),
            "insurance_report": self.insurance_report,
            "police_report": {
                "relevant": self.police_relevant,
                "deadline": iso_local(self.police_deadline) if self.police_deadline else None,
                "dispensation_possible": self.dispensation_possible,
            },
            "actions": [a.to_json() for a in self.actions],
            "notices": [{"code": n.code, "text": n.text, "basis": n.basis} for n in self.notices],
            "rationale": list(self.rationale),
        }

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> Classification:
        """The inverse of to_json: a stored classification read back (older rows may lack later keys)."""
        police = data.get("police_report") or {}
        deadline = police.get("deadline")
        return cls(
            types=tuple(data.get("types", ())),
            categories=tuple(data.get("categories", ())),
            insurance_report=data.get("insurance_report"),
            police_relevant=bool(police.get("relevant", False)),
            police_deadline=parse_instant(deadline) if deadline else None,
            actions=tuple(Action.from_json(a) for a in data.get("actions", ())),
            notices=tuple(Notice(n["code"], n["text"], n.get("basis", "")) for n in data.get("notices", ())),
            rationale=tuple(data.get("rationale", ())),
            dispensation_possible=bool(police.get("dispensation_possible", False)),
            rules_version=data.get("rules_version", ""),
        )


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
    notices: list[Notice] = field(default_factory=list)

    @property
    def route(self) -> dict[str, list[str]]:
        return self.rules.routes

    @property
    def injured(self) -> bool:
        return self.facts.injury in self.route["injured"]

    @property
    def contradictory(self) -> bool:
        """Intentional and reflex/resistance both given as true: neither can be relied on."""
        return self.facts.intentional is True and self.facts.reflex_or_resistance is True

    def say(self, sentence: str, section: str) -> None:
        self.sentences.append(f"{sentence} ({self.rules.section(section)})")

    def notice(self, code: str, **values: object) -> None:
        if any(n.code == code for n in self.notices):
            return
        spec = self.rules.notices[code]
        self.notices.append(Notice(code, spec["text"].format(**values), self.rules.section(spec["section"])))

    def act(self, action: ActionDef, section: str, title: str | None = None, deadline: str | None = None) -> None:
        code = deadline or action.deadline
        rule = self.rules.deadline_in_force(code, self.facts.occurred_at.date()) if code else None
        due = due_at(rule, self.facts) if rule else None
        basis = self.rules.section(section)
        if rule:
            basis += "; " + self.rules.sentence("deadline", rule=describe(rule, self.rules))
            if rule.source != section:
                basis += f" ({self.rules.section(rule.source)})"
        owner = action.owner
        if owner == "leader" and self.facts.perpetrator in self.route["leader_is_perpetrator"]:
            owner = "next_leader"  # the leader's tasks never go to the leader the case is about
        self.actions.append(Action(action.code, title or action.title, due, basis, owner, action.legal, action.help))


def _quoted_list(labels: list[str], joiner: str) -> str:
    quoted = [f"»{label}«" for label in labels]
    return ", ".join(quoted[:-1]) + joiner + quoted[-1] if len(quoted) > 1 else quoted[0]


def _pattern(facts: Facts, rules: Rules) -> str | None:
    """The bullying pattern the facts give, in words (None = no pattern given)."""
    parts = [rules.sentence("pattern_regular")] if facts.regular_over_time else []
    parts += [rules.sentence("pattern_gross")] if facts.repeated_gross else []
    return rules.sentence("behaviour_joiner").join(parts) or None


def _types(r: _Reasoning) -> set[str]:
    facts, rules = r.facts, r.rules
    by_type: dict[str, list[str]] = {}
    for behaviour in facts.behaviours:
        kind = rules.behaviours[behaviour]["type"]
        if kind == "degrading":
            kind = "bullying" if _pattern(facts, rules) and facts.target_can_defend is False else "degrading_treatment"
        by_type.setdefault(kind, []).append(rules.behaviour_label(behaviour))
    joiner = rules.sentence("behaviour_joiner")
    for kind, labels in by_type.items():
        spec = rules.types[kind]
        behaviours = _quoted_list(labels, joiner)
        if kind == "bullying":
            sentence = rules.sentence(
                "bullying", behaviours=behaviours, pattern=_pattern(facts, rules), quote=spec["quote"]
            )
        else:
            form = spec["in_sentence_plural"] if len(labels) > 1 else spec["in_sentence"]
            sentence = rules.sentence("behaviour", behaviours=behaviours, type=form, quote=spec["quote"])
        r.say(sentence, spec["section"])
    if "degrading_treatment" in by_type:
        _possible_bullying(r)
    if "unwanted_sexual_attention" in by_type:
        r.say(rules.sentence("defined_by_target"), "sx_intro")
    return set(by_type)


def _possible_bullying(r: _Reasoning) -> None:
    """Degrading treatment where the facts leave bullying open: say so and what to clarify."""
    facts, rules = r.facts, r.rules
    no_pattern = facts.regular_over_time is False and facts.repeated_gross is False
    if facts.target_can_defend is True or no_pattern:
        return
    pattern = _pattern(facts, rules)
    open_points = [] if pattern else [rules.sentence("open_pattern")]
    open_points += [rules.sentence("open_defence")] if facts.target_can_defend is None else []
    described = (
        rules.sentence("notice_pattern_known", pattern=pattern) if pattern else rules.sentence("notice_pattern_unknown")
    )
    r.notice("possible_bullying", pattern=described, open=rules.sentence("behaviour_joiner").join(open_points))


def _insurance(r: _Reasoning, categories: set[str]) -> str | None:
    rules, facts = r.rules, r.facts
    chosen = r.override.insurance_report if r.override else None
    if chosen is not None:
        reason = r.override.reason if r.override else ""
        r.say(
            rules.sentence("insurance_override", kind=_insurance_label(rules, chosen), reason=reason), "local_override"
        )
        if chosen == "none":
            return None
        _report(r, chosen, "local_override")
        return chosen
    if not categories & set(r.route["insurance_categories"]):
        if categories:
            r.say(rules.sentence("no_insurance_for_bullying"), "mb_handle")
        return None
    section = "vt_handle" if "violence_threats" in categories else "sx_handle"
    if facts.injury == "none":
        r.say(rules.sentence("violation", quote=_insurance_quote(rules, "violation", section)), section)
        _report(r, "violation", section)
        return "violation"
    if facts.injury == "fatal":
        r.say(rules.sentence("work_accident_fatal"), "law_fatal")
        r.notice("fatal")
        _report(r, "fatal", section)
        return "work_accident"
    if facts.injury == "unknown":
        r.say(rules.sentence("work_accident_unknown"), section)
        r.notice("injury_unknown")
    elif facts.regular_over_time:
        return _pattern_with_injury(r, section)
    else:
        r.say(rules.sentence("work_accident", quote=_insurance_quote(rules, "work_accident", section)), section)
    _report(r, "work_accident", section)
    return "work_accident"


def _insurance_quote(rules: Rules, kind: str, section: str) -> str:
    """The guideline's sentence for this Insubiz kind from the section that decided it (each has its own)."""
    return rules.insurance_reports[kind][f"quote_{section}"]


def _pattern_with_injury(r: _Reasoning, section: str) -> str:
    """An injury where the facts also give a pattern over time: did this one episode cause it?"""
    single = r.facts.injury_from_single_episode
    key = {True: "pattern_single_episode", False: "pattern_not_single", None: "pattern_single_unknown"}[single]
    r.say(r.rules.sentence(key), "law_accident_definition")
    kind = "violation" if single is False else "work_accident"
    _report(r, kind, section)
    return kind


def _report(r: _Reasoning, kind: str, section: str) -> None:
    action = r.rules.actions["insurance_report"]
    r.act(action, section, action.titles[kind], REPORT_DEADLINES[kind])


def _insurance_label(rules: Rules, kind: str) -> str:
    return rules.insurance_reports[kind]["label"] if kind in rules.insurance_reports else rules.sentence("no_report")


def _police(r: _Reasoning, categories: set[str]) -> bool:
    rules, facts = r.rules, r.facts
    forced = r.override.police_relevant if r.override else None
    if forced is not None and r.override:
        verdict = rules.sentence("verdict_relevant" if forced else "verdict_not")
        r.say(rules.sentence("police_override", verdict=verdict, reason=r.override.reason), "local_override")
        if forced:
            _police_actions(r)
        return forced
    if not categories & set(r.route["police_categories"]):
        return False
    reasons_against = []
    if facts.injury == "none":
        reasons_against.append(rules.sentence("reason_no_injury"))
    if facts.intentional is False:
        reasons_against.append(rules.sentence("reason_not_intentional"))
    if facts.reflex_or_resistance is True and not r.contradictory:
        reasons_against.append(rules.sentence("reason_reflex"))
    if reasons_against:
        r.say(rules.sentence("police_not", reasons=rules.sentence("reasons_joiner").join(reasons_against)), "vt_victim")
        return False
    r.say(rules.sentence("police_relevant", facts=_police_facts(r)), "vt_victim")
    _police_actions(r)
    return True


def _police_facts(r: _Reasoning) -> str:
    """What the facts say for a police report – never more than was given."""
    facts, rules = r.facts, r.rules
    said = [rules.sentence("police_fact_injury_unknown" if facts.injury == "unknown" else "police_fact_injury")]
    if r.contradictory:
        said.append(rules.sentence("police_fact_contradictory"))
    else:
        said.append(rules.sentence("police_fact_intentional" if facts.intentional else "police_fact_intent_unknown"))
        not_reflex = facts.reflex_or_resistance is False
        said.append(rules.sentence("police_fact_not_reflex" if not_reflex else "police_fact_reflex_unknown"))
    return rules.sentence("police_facts_joiner").join(said)


def _police_actions(r: _Reasoning) -> None:
    """The police report (with the notat only for citizen perpetrators) and the offererstatning application."""
    rules = r.rules
    police = rules.actions["police_report"]
    if _dispensation_possible(r):
        r.say(rules.sentence("dispensation_possible"), "vt_victim")
        r.act(police, "vt_victim", police.titles["dispensation"])
    else:
        r.say(rules.sentence("dispensation_not_possible"), "vt_victim")
        r.act(police, "vt_victim")
    r.say(rules.sentence("victim_compensation"), "law_victim_deadline")
    r.act(rules.actions["victim_compensation"], "law_victim_deadline")


def _dispensation_possible(r: _Reasoning) -> bool:
    return r.facts.perpetrator in r.route["dispensation_perpetrators"]


def _statutory(r: _Reasoning, categories: set[str]) -> None:
    """The law's reporting rules where the guideline says less (notices; the guideline's outcome stays)."""
    facts = r.facts
    if r.injured and categories & {"bullying_degrading", "sexual_harassment"}:
        r.notice("statutory_report_check")
    if r.injured and facts.regular_over_time and facts.injury_from_single_episode is not True:
        r.notice("occupational_disease")
    if facts.outside_working_hours:
        r.notice("outside_working_hours")
    if r.contradictory:
        r.notice("contradictory_facts", fields=r.rules.sentence("contradictory_fields"))


def _outcomes(r: _Reasoning, categories: set[str], conclusions: set[str]) -> None:
    """The actions and notices that [[outcomes]] in rules.toml attach to these facts."""
    rules = r.rules
    done: set[str] = set()
    for outcome in rules.outcomes:
        if not outcome.applies(categories, r.facts.perpetrator, conclusions):
            continue
        if outcome.notice:
            if outcome.quote:
                r.say(
                    rules.sentence("notice", text=rules.notices[outcome.notice]["text"], quote=outcome.quote),
                    outcome.section,
                )
            r.notice(outcome.notice)
            continue
        code = outcome.action or ""
        if code in done:
            continue
        done.add(code)
        action = rules.actions[code]
        if code in rules.removed:
            r.say(rules.sentence("local_removed", title=action.title), "local")
        elif outcome.local:
            r.say(rules.sentence("local_action", title=action.title), "local")
            r.act(action, "local")
        else:
            if outcome.sentence:
                r.say(rules.sentence(outcome.sentence, quote=outcome.quote), outcome.section)
            r.act(action, outcome.section)


def _clarify_injury(r: _Reasoning) -> None:
    """An injury not yet known: clarify it before the first legal deadline it decides."""
    if r.facts.injury != "unknown":
        return
    legal_dues = [a.due for a in r.actions if a.legal and a.due is not None]
    action = r.rules.actions["clarify_injury"]
    if legal_dues:
        first = min(legal_dues)
        r.say(r.rules.sentence("clarify_injury", due=danish_long(first)), action.section)
        r.actions.append(Action(action.code, action.title, first, r.rules.section(action.section), action.owner, True))
    else:
        r.actions.append(Action(action.code, action.title, None, r.rules.section(action.section), action.owner, True))


def classify(facts: Facts, rules: Rules, override: Override | None = None) -> Classification:
    """Decide types, Insubiz report, police report, actions and notices for one episode."""
    r = _Reasoning(rules, facts, override)
    types = _types(r)
    categories = {rules.types[t]["category"] for t in types}
    insurance = _insurance(r, categories)
    police_relevant = _police(r, categories)
    _statutory(r, categories)
    _outcomes(r, categories, {"insurance_report"} if insurance else set())
    _clarify_injury(r)
    police = next((a for a in r.actions if a.code == "police_report"), None)
    return Classification(
        types=tuple(sorted(types)),
        categories=tuple(sorted(categories)),
        insurance_report=insurance,
        police_relevant=police_relevant,
        police_deadline=police.due if police else None,
        actions=tuple(r.actions),
        notices=tuple(r.notices),
        rationale=tuple(r.sentences),
        dispensation_possible=police_relevant and _dispensation_possible(r),
        rules_version=rules.version,
    )
