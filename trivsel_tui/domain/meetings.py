"""Meetings of arbejdsmiljøgruppen, a triogruppe or a Lokal MED-udvalg: the agenda that builds itself,
who may not see which case (conflict of interest), and people shown by role instead of name.

Pure: the store hands in plain facts and the moment; nothing here reads the clock or the database.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field, replace
from datetime import date, datetime, timedelta
from functools import lru_cache

from trivsel_tui.domain.cpr import remove_cpr
from trivsel_tui.texts import t

BODY_KINDS = ("arbejdsmiljoegruppe", "triogruppe", "lokal_med")
ATTENDEE_ROLES = ("leader", "amr", "tr", "member")
# The agenda's order: withheld cases (by reason), carried items, cases, plans, prevention duties.
# Not on an agenda of their own, and never carried: withheld cases and discarded ones.
ITEM_KINDS = (
    "withheld",
    "case",
    "plan_review",
    "handleplan_missing",
    "survey_due",
    "survey_follow_up",
    "adaptation_missing",
    "free",
    "discarded",  # a case's item after the case's kassation: a placeholder, nothing of the case
)
CASE_REASONS = ("carried", "first_review", "new_case", "overdue_follow_up", "open_follow_up", "plan_review")
REVIEW_HORIZON_DAYS = 30  # a plan whose review falls within a month is due for review at this meeting


@dataclass(frozen=True)
class Body:
    kind: str  # one of BODY_KINDS
    name: str
    workplace_ids: tuple[int, ...]

    @property
    def key(self) -> str:
        """The same body across its meetings: its kind and its workplaces."""
        return f"{self.kind}:{','.join(str(i) for i in sorted(set(self.workplace_ids)))}"


@dataclass(frozen=True)
class Attendee:
    name: str
    role: str = "member"  # one of ATTENDEE_ROLES


@dataclass(frozen=True)
class Party:
    """A person involved in a case: affected (the employee), subject (the person it is about), witness."""

    role: str
    name: str
    relation: str = ""  # for a subject: citizen | relative | colleague | manager | unknown


@dataclass(frozen=True)
class CaseFacts:
    case_id: int
    workplace_id: int
    created_at: datetime
    open_tasks: int
    overdue_tasks: int
    parties: tuple[Party, ...]
    manager_involved: bool


@dataclass(frozen=True)
class PlanFacts:
    plan_id: int
    kind: str
    case_id: int | None
    workplace_id: int
    next_review_on: date


@dataclass(frozen=True)
class WorkplaceFacts:
    workplace_id: int
    risk_violence_citizens: bool
    risk_sexual_citizens: bool
    has_violence_plan: bool
    has_sexual_plan: bool
    last_survey: date | None
    plan_changed_since_survey: bool  # a handleplan adopted or reviewed after the last trivselsmåling
    adaptation_decided: bool


@dataclass(frozen=True)
class CarriedItem:
    """An unresolved item of the body's previous meeting."""

    item_id: int
    kind: str
    case_id: int | None
    workplace_id: int | None
    plan_id: int | None
    title: str
    reasons: tuple[str, ...]


@dataclass(frozen=True)
class AgendaSources:
    body: Body
    last_meeting_at: datetime | None  # when the body's previous meeting's agenda was made
    cases: tuple[CaseFacts, ...]
    plans: tuple[PlanFacts, ...]
    workplaces: tuple[WorkplaceFacts, ...]
    carried: tuple[CarriedItem, ...]


@dataclass(frozen=True)
class AgendaEntry:
    kind: str
    reasons: tuple[str, ...] = ()
    case_id: int | None = None
    workplace_id: int | None = None
    plan_id: int | None = None
    title: str = ""
    carried_from: int | None = None


@dataclass(frozen=True)
class Agenda:
    entries: tuple[AgendaEntry, ...]
    withheld: tuple[str, ...] = field(default=())  # one reason code per withheld case, never which case


# --- conflict of interest -------------------------------------------------------------------------


def name_key(name: str) -> str:
    """Names compared without case, accents of spacing or surrounding blanks."""
    return " ".join(name.casefold().split())


def conflict(case: CaseFacts, attendees: Iterable[Attendee]) -> str | None:
    """Why this case may not be shown to a meeting with these attendees, or None."""
    present = list(attendees)
    names = {name_key(a.name) for a in present if a.name.strip()}
    if any(name_key(p.name) in names for p in case.parties if p.name.strip()):
        return "party_attends"
    if case.manager_involved and any(a.role == "leader" for a in present):
        return "manager_attends"
    return None


# --- the agenda -----------------------------------------------------------------------------------


def _survey_due(workplace: WorkplaceFacts, today: date, interval_months: int) -> bool:
    if workplace.last_survey is None:
        return True
    months = (today.year - workplace.last_survey.year) * 12 + today.month - workplace.last_survey.month
    return months > interval_months or (months == interval_months and today.day >= workplace.last_survey.day)


def _prevention_entries(workplaces: Iterable[WorkplaceFacts], today: date, survey_months: int) -> list[AgendaEntry]:
    entries = []
    for w in workplaces:
        wid = w.workplace_id
        if (w.risk_violence_citizens and not w.has_violence_plan) or (w.risk_sexual_citizens and not w.has_sexual_plan):
            missing = ("violence",) * (w.risk_violence_citizens and not w.has_violence_plan) + ("sexual",) * (
                w.risk_sexual_citizens and not w.has_sexual_plan
            )
            entries.append(AgendaEntry("handleplan_missing", missing, workplace_id=wid))
        if _survey_due(w, today, survey_months):
            entries.append(AgendaEntry("survey_due", workplace_id=wid))
        elif not w.plan_changed_since_survey:
            entries.append(AgendaEntry("survey_follow_up", workplace_id=wid))
        if not w.adaptation_decided:
            entries.append(AgendaEntry("adaptation_missing", workplace_id=wid))
    return entries


def _case_reasons(case: CaseFacts, since: datetime | None, reviews: set[int]) -> list[str]:
    reasons = []
    if since is None:
        reasons.append("first_review")  # the body's first meeting: it has seen none of its cases
    elif case.created_at > since:
        reasons.append("new_case")
    if case.overdue_tasks:
        reasons.append("overdue_follow_up")
    elif case.open_tasks:
        reasons.append("open_follow_up")
    if case.case_id in reviews:
        reasons.append("plan_review")
    return reasons


def build_agenda(
    sources: AgendaSources,
    attendees: Iterable[Attendee],
    now: datetime,
    survey_interval_months: int,
    review_horizon_days: int = REVIEW_HORIZON_DAYS,
) -> Agenda:
    """The agenda a body's meeting starts from; a case no attendee may see is withheld, not named."""
    present = tuple(attendees)
    today = now.date()
    review_until = today + timedelta(days=review_horizon_days)
    due_plans = [p for p in sources.plans if p.next_review_on <= review_until]
    case_reviews = {p.case_id for p in due_plans if p.case_id is not None}
    carried_cases = {c.case_id: c for c in sources.carried if c.case_id is not None}
    withheld: list[str] = []
    case_entries: list[AgendaEntry] = []
    # Overdue follow-up first, then open follow-up, then the rest; oldest first within each.
    for case in sorted(sources.cases, key=lambda c: (not c.overdue_tasks, not c.open_tasks, c.created_at, c.case_id)):
        reasons = _case_reasons(case, sources.last_meeting_at, case_reviews)
        carried = carried_cases.get(case.case_id)
        if carried:
            reasons.insert(0, "carried")
        if not reasons:
            continue
        why = conflict(case, present)
        if why:
            withheld.append(why)
            continue
        entry = AgendaEntry("case", tuple(reasons), case.case_id, case.workplace_id)
        case_entries.append(replace(entry, carried_from=carried.item_id) if carried else entry)
    # A carried case not among the body's cases any more (closed, moved) is not shown again by itself.
    carried_rest = [
        AgendaEntry(c.kind, c.reasons, None, c.workplace_id, c.plan_id, c.title, c.item_id)
        for c in sources.carried
        if c.case_id is None
    ]
    plan_entries = [
        AgendaEntry("plan_review", (), None, p.workplace_id, p.plan_id)
        for p in sorted(due_plans, key=lambda p: (p.next_review_on, p.plan_id))
        if p.case_id is None
    ]
    carried_keys = {(c.kind, c.workplace_id, c.plan_id, c.title) for c in carried_rest}
    rest = [
        e
        for e in (*plan_entries, *_prevention_entries(sources.workplaces, today, survey_interval_months))
        if (e.kind, e.workplace_id, e.plan_id, e.title) not in carried_keys
    ]
    return Agenda((*carried_rest, *case_entries, *rest), tuple(withheld))


# --- pseudonyms -----------------------------------------------------------------------------------

_LETTERS = "ABCDEFGHIJKLMNOPQRSTUVWXYZ"


def _lettered(key: str, counters: dict[str, int]) -> str:
    number = counters.get(key, 0)
    counters[key] = number + 1
    return t(f"meeting_roles.{key}", letter=_LETTERS[number % len(_LETTERS)])


def _subject_label(relation: str, counters: dict[str, int]) -> str:
    if relation in ("colleague", "manager"):
        return _lettered(relation, counters)
    return t(f"meeting_roles.{relation if relation in ('citizen', 'relative') else 'unknown'}")


def _same_people(parties: Iterable[Party]) -> list[Party]:
    """The parties without the episode's unnamed "a colleague" when the case records name the colleague:
    the episode form knows only who was behind it (a role), the records the person; one person, one label."""
    given = list(parties)
    named = {p.relation for p in given if p.role == "subject" and p.name.strip()}
    return [p for p in given if p.role != "subject" or p.name.strip() or p.relation not in named]


def _labelled(affected_person: str, parties: Iterable[Party]) -> list[tuple[str, str]]:
    """(name, role label) for each person once, in the order: affected, then the parties as given."""
    counters: dict[str, int] = {}
    people: list[tuple[str, str]] = []
    seen: set[str] = set()
    for party in _same_people((Party("affected", affected_person), *parties)):
        name = party.name.strip()
        if name and name_key(name) in seen:
            continue
        seen.add(name_key(name))
        if party.role == "affected":
            if name:
                people.append((name, _lettered("employee", counters)))
        elif party.role == "subject":
            people.append((name, _subject_label(party.relation, counters)))
        elif name:
            people.append((name, _lettered("witness", counters)))
    return people


def pseudonyms(affected_person: str, parties: Iterable[Party]) -> dict[str, str]:
    """Each person's name -> the role a meeting sees ("Medarbejder A", "Borger", "Kollega B", "Vidne A")."""
    return {name: label for name, label in _labelled(affected_person, parties) if name}


def people_roles(affected_person: str, parties: Iterable[Party]) -> list[str]:
    """Everyone involved, by role only; the person a case is about counts even when unnamed."""
    return list(dict.fromkeys(label for _name, label in _labelled(affected_person, parties)))


def _genitive(label: str) -> str:
    """A role label in the genitive, as Danish writes it: "Medarbejder A's", "Borgers"."""
    return f"{label}'s" if len(label.split()[-1]) == 1 else f"{label}s"


@lru_cache(maxsize=16)
def _names_pattern(names: tuple[str, ...]) -> re.Pattern[str]:
    """One pattern for many whole names (a meeting masks every party of the body's open cases), the
    longest first, each optionally in the genitive: one pass over a text whatever the number of names."""
    alternatives = "|".join(re.escape(name) for name in sorted(names, key=len, reverse=True))
    return re.compile(rf"(?<!\w)(?:{alternatives})(s?)(?!\w)", re.IGNORECASE)


def pseudonymise(text: str, labels: Mapping[str, str], parts: bool = True) -> str:
    """`text` with every known name replaced by its role, and no CPR number.

    Whole names first; then, with `parts`, each part of a name on its own ("Mette" for Mette Hansen) —
    except where a capitalised word follows, which makes it someone else's full name ("Mette Kristensen").
    A name in the genitive ("Ole Olsens leder", "Mettes") becomes its role in the genitive.
    """
    result = remove_cpr(text)
    if not labels:
        return result
    by_key = {name.casefold(): label for name, label in labels.items()}

    def whole(match: re.Match[str]) -> str:
        name = match.group(0)[: len(match.group(0)) - len(match.group(1))]
        label = by_key.get(name.casefold(), name)
        return _genitive(label) if match.group(1) else label

    result = _names_pattern(tuple(sorted(labels))).sub(whole, result)
    if parts:
        for name in sorted(labels, key=len, reverse=True):
            for part in name.split():
                if len(part) >= 2:
                    # "Mette Kristensen" is someone else; "Mettes CPR" and "Mette TR" are not.
                    surname = r"(?!(?-i: [A-ZÆØÅ][a-zæøå]))"
                    pattern = rf"(?<!\w){re.escape(part)}(?:(s)(?!\w)|(?!\w){surname})"
                    result = re.sub(pattern, _role(labels[name]), result, flags=re.IGNORECASE)
    return result


def _role(label: str) -> Callable[[re.Match[str]], str]:
    return lambda match: _genitive(label) if match.group(1) else label
