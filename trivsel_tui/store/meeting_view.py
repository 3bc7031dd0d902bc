"""What the meeting sees: each agenda item as a slide, people by role, no CPR number, narratives only
when revealed. The minutes are made from the same slides, so they are pseudonymised exactly as shown.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import UTC, date, datetime
from typing import Any

from sqlalchemy import func, select
from sqlmodel import col

from trivsel_tui.domain.clock import danish_day, local
from trivsel_tui.domain.meetings import Agenda, Attendee, Party, name_key, people_roles, pseudonymise, pseudonyms
from trivsel_tui.domain.plans import label
from trivsel_tui.domain.rules import Rules
from trivsel_tui.store.errors import EditConflictError, row_to_edit
from trivsel_tui.store.meeting_people import case_parties
from trivsel_tui.store.meetings import meeting_items, record_reveal
from trivsel_tui.store.models import (
    ActionItem,
    ActionPlan,
    Case,
    Episode,
    Meeting,
    MeetingAction,
    MeetingItem,
    MeetingMinutes,
    Task,
    Workplace,
)
from trivsel_tui.store.store import Store
from trivsel_tui.texts import t


@dataclass(frozen=True)
class TaskLine:
    id: int
    title: str
    owner: str
    due: datetime | None
    overdue: bool


@dataclass(frozen=True)
class PlanLine:
    id: int
    measure: str
    responsible: str
    due_on: date | None
    status: str


@dataclass(frozen=True)
class ActionLine:
    kind: str  # new_item | done_task | done_item
    text: str
    owner: str
    due_on: date | None


@dataclass(frozen=True)
class Slide:
    item_id: int
    kind: str
    heading: str
    reasons: tuple[str, ...]
    facts: tuple[tuple[str, str], ...]
    tasks: tuple[TaskLine, ...]
    plan: tuple[PlanLine, ...]
    has_narrative: bool
    decision: str
    follow_up_by: str
    resolved: bool
    actions: tuple[ActionLine, ...]
    version: int = 0  # the item's version the user saw (store.errors.row_to_edit)


@dataclass(frozen=True)
class MeetingDetail:
    id: int
    body_kind: str
    body_name: str
    held_on: date
    status: str
    attendees: tuple[Attendee, ...]
    slides: tuple[Slide, ...]
    minutes_versions: int
    version: int = 0  # the version the user saw: any change of its agenda moves it


def withheld_heading(count: int) -> str:
    return t("meeting_slide.withheld" if count == 1 else "meeting_slide.withheld_many", count=count)


def _aware(moment: datetime) -> datetime:
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)


class _CaseSlides:
    """Reads what one case's slide shows, and the names it must not show."""

    def __init__(self, session: Any, rules: Rules, case_id: int, now: datetime, people: _People) -> None:
        self.session, self.rules, self.now = session, rules, now
        self.others = people.others
        self.case = session.get(Case, case_id)
        parties = people.parties.get(case_id, [])
        self.labels = pseudonyms("", parties)  # the case's affected employee is the first party
        self.roles = people_roles("", parties)
        self.episodes = list(
            session.scalars(select(Episode).where(col(Episode.case_id) == case_id).order_by(col(Episode.occurred_at)))
        )

    def shown(self, text: str) -> str:
        """Its own people by role; a person of another case on the agenda as "en anden person"."""
        return pseudonymise(pseudonymise(text, self.labels), self.others, parts=False)

    def facts(self) -> list[tuple[str, str]]:
        case = self.case
        assert case is not None
        workplace = self.session.get(Workplace, case.workplace_id)
        categories: list[str] = []
        for episode in self.episodes:
            for code in (episode.classification or {}).get("categories", []):
                name = self.rules.categories.get(code, {}).get("label", code)
                if name not in categories:
                    categories.append(name)
        facts = [
            (t("meeting_facts.category"), ", ".join(categories) or t("meeting_facts.unclassified")),
            (t("meeting_facts.workplace"), workplace.name if workplace else "?"),
            (t("meeting_facts.status"), t(f"meeting_facts.case_{case.status}")),
            (t("meeting_facts.people"), ", ".join(self.roles) or "–"),
        ]
        if self.episodes:
            last = self.episodes[-1]
            facts += [
                (t("meeting_facts.episodes"), str(len(self.episodes))),
                (t("meeting_facts.occurred"), danish_day(local(last.occurred_at).date())),
                (t("meeting_facts.perpetrator"), self.rules.perpetrators.get(last.perpetrator, last.perpetrator)),
                (t("meeting_facts.injury"), self.rules.injuries.get(last.injury, last.injury)),
            ]
        return facts

    def _owners(self) -> dict[str, str]:
        owners: dict[str, str] = {}
        for episode in self.episodes:
            for action in (episode.classification or {}).get("actions", []):
                if isinstance(action, dict) and action.get("code"):
                    owners[action["code"]] = self.rules.owner_label(str(action.get("owner_role", "hr")))
        return owners

    def tasks(self) -> list[TaskLine]:
        owners = self._owners()
        assert self.case is not None
        query = (
            select(Task)
            .where(col(Task.case_id) == self.case.id, col(Task.done_at).is_(None))
            .order_by(col(Task.due_at).is_(None), col(Task.due_at), col(Task.id))
        )
        return [
            TaskLine(
                task.id,
                self.shown(task.title),
                owners.get(task.action_code, t("meeting_facts.owner_consultant")),
                task.due_at,
                task.due_at is not None and _aware(task.due_at) < self.now,
            )
            for task in self.session.scalars(query)
        ]

    def narratives(self) -> list[str]:
        return [self.shown(e.description) for e in self.episodes if e.description.strip()]


def _plan_lines(session: Any, plan_ids: list[int], shown: Any) -> list[PlanLine]:
    if not plan_ids:
        return []
    query = (
        select(ActionItem)
        .where(col(ActionItem.plan_id).in_(plan_ids), col(ActionItem.status).not_in(["done", "dropped"]))
        .order_by(col(ActionItem.plan_id), col(ActionItem.position))
    )
    return [PlanLine(i.id, shown(i.measure), shown(i.responsible), i.due_on, i.status) for i in session.scalars(query)]


def _workplace_facts(session: Any, workplace_id: int | None) -> tuple[str, list[tuple[str, str]]]:
    workplace = session.get(Workplace, workplace_id) if workplace_id is not None else None
    if workplace is None:
        return "", []
    risks = [
        t(f"meeting_facts.risk_{name}")
        for name, flag in (("violence", workplace.risk_violence_citizens), ("sexual", workplace.risk_sexual_citizens))
        if flag
    ]
    return workplace.name, [
        (t("meeting_facts.workplace"), workplace.name),
        (t("meeting_facts.risk"), ", ".join(risks) or t("meeting_facts.no_risk")),
        (t("meeting_facts.survey"), danish_day(workplace.last_wellbeing_survey)),
        (t("meeting_facts.adaptation"), danish_day(workplace.local_adaptation_decided_on)),
    ]


def _actions(session: Any, item_id: int, shown: Any) -> tuple[ActionLine, ...]:
    query = select(MeetingAction).where(col(MeetingAction.meeting_item_id) == item_id).order_by(col(MeetingAction.id))
    return tuple(ActionLine(a.kind, shown(a.text), shown(a.owner), a.due_on) for a in session.scalars(query))


@dataclass(frozen=True)
class _People:
    """The parties of every case on a meeting's agenda and of the body's open cases, read at once, and
    their names as "en anden person"."""

    parties: Mapping[int, list[Party]]
    others: Mapping[str, str]


def _people(session: Any, meeting: Meeting, items: list[MeetingItem]) -> _People:
    """Whose names the meeting must not see in what it writes: the parties of the cases on its agenda, and
    of the body's open cases – a case withheld from this meeting is among those, and naming its people in
    a free item or a decision would say which case it was. The attendees are named in the minutes anyway."""
    on_agenda = [i.case_id for i in items if i.case_id is not None]
    query = select(col(Case.id)).where(
        col(Case.workplace_id).in_(list(meeting.workplace_ids)), col(Case.status) == "open"
    )
    parties, _managers = case_parties(session, list(dict.fromkeys([*on_agenda, *session.scalars(query)])))
    present = {name_key(str(a.get("name", ""))) for a in meeting.attendees}
    other = t("meeting_roles.other")
    names = (name for found in parties.values() for name in pseudonyms("", found))
    return _People(parties, {name: other for name in names if name_key(name) not in present})


def _headings(session: Any, items: list[MeetingItem], others: Mapping[str, str]) -> dict[int, str]:
    """Each item's heading, from two queries whatever the agenda's length."""
    case_ids = [i.case_id for i in items if i.case_id is not None]
    refs: dict[int, str] = {}
    for chunk in range(0, len(case_ids), 500):
        query = select(col(Case.id), col(Case.ref)).where(col(Case.id).in_(case_ids[chunk : chunk + 500]))
        refs.update({int(row[0] or 0): row[1] for row in session.connection().execute(query)})
    names = {row[0]: row[1] for row in session.connection().execute(select(col(Workplace.id), col(Workplace.name)))}
    headings = {}
    for item in items:
        assert item.id is not None
        if item.kind == "withheld":
            heading = withheld_heading(len(item.reasons))
        elif item.kind == "discarded":
            heading = t("meeting_slide.case_gone")
        elif item.case_id is not None:
            ref = refs.get(item.case_id)
            heading = t("meeting_slide.case", ref=ref) if ref else t("meeting_slide.case_gone")
        elif item.kind == "free":
            heading = pseudonymise(item.title, others, parts=False)
        else:
            heading = t(f"meeting_kinds.{item.kind}", workplace=names.get(item.workplace_id, "?"))
        headings[item.id] = heading
    return headings


def _outline(item: MeetingItem, heading: str) -> Slide:
    """An item not on the screen: its heading only (the presentation view reads the full slide when shown)."""
    assert item.id is not None
    reasons = tuple(item.reasons)
    return Slide(item.id, item.kind, heading, reasons, (), (), (), False, "", "", item.resolved, (), item.version)


def _slide(session: Any, rules: Rules, item: MeetingItem, now: datetime, people: _People, heading: str) -> Slide:
    others = people.others

    def same(text: str) -> str:
        return pseudonymise(text, others, parts=False)

    shown: Any = same
    facts: list[tuple[str, str]] = []
    tasks: list[TaskLine] = []
    plan_ids: list[int] = []
    has_narrative = False
    if item.kind == "withheld":
        facts = [(t("meeting_facts.why"), t(f"meeting_withheld.{item.reasons[0]}"))] if item.reasons else []
    elif item.kind == "discarded":
        facts = [(t("meeting_facts.why"), t("meeting_kassation.why"))]
    elif item.case_id is not None:
        slides = _CaseSlides(session, rules, item.case_id, now, people)
        if slides.case is not None:  # else erased since (kassation): the item stays, the case is gone
            shown = slides.shown
            facts, tasks = slides.facts(), slides.tasks()
            has_narrative = bool(slides.narratives())
            query = select(col(ActionPlan.id)).where(
                col(ActionPlan.case_id) == item.case_id, col(ActionPlan.status) != "archived"
            )
            plan_ids = list(session.scalars(query))
    elif item.kind != "free":
        _name, facts = _workplace_facts(session, item.workplace_id)
        if item.plan_id is not None:
            plan = session.get(ActionPlan, item.plan_id)
            plan_ids = [item.plan_id]
            if plan is not None:
                facts.append((t("meeting_facts.plan_kind"), label("plan_kinds", plan.kind)))
                facts.append((t("meeting_facts.review"), danish_day(plan.next_review_on)))
    assert item.id is not None
    return Slide(
        item.id,
        item.kind,
        heading,
        tuple(item.reasons),
        tuple(facts),
        tuple(tasks),
        tuple(_plan_lines(session, plan_ids, shown)),
        has_narrative,
        shown(item.decision),
        shown(item.follow_up_by),
        item.resolved,
        _actions(session, item.id, shown),
        item.version,
    )


def meeting_detail(
    store: Store, rules: Rules, meeting_id: int, now: datetime, only: int | None = None
) -> MeetingDetail | None:
    """The meeting with every item as a slide; with `only`, that item in full and the others as headings."""
    with store.read() as session:
        meeting = session.get(Meeting, meeting_id)
        if meeting is None:
            return None
        items = meeting_items(session, meeting_id)
        people = _people(session, meeting, items)
        headings = _headings(session, items, people.others)
        slides = tuple(
            _slide(session, rules, item, now, people, headings[item.id])
            if only is None or item.id == only
            else _outline(item, headings[item.id])
            for item in items
            if item.id is not None
        )
        count = session.scalar(select(func.count()).where(col(MeetingMinutes.meeting_id) == meeting_id)) or 0
        return MeetingDetail(
            meeting_id,
            meeting.body_kind,
            meeting.body_name,
            meeting.held_on,
            meeting.status,
            tuple(Attendee(a.get("name", ""), a.get("role", "member")) for a in meeting.attendees),
            slides,
            count,
            meeting.version,
        )


def reveal_narrative(store: Store, rules: Rules, item_id: int) -> tuple[str, ...]:
    """The item's case narratives, pseudonymised; showing them is audited first."""
    record_reveal(store, item_id)
    with store.read() as session:
        item = session.get(MeetingItem, item_id)
        assert item is not None and item.case_id is not None
        meeting = session.get(Meeting, item.meeting_id)
        assert meeting is not None
        people = _people(session, meeting, meeting_items(session, item.meeting_id))
        return tuple(_CaseSlides(session, rules, item.case_id, datetime.now(UTC), people).narratives())


def stored_minutes(store: Store, meeting_id: int) -> Mapping[int, str]:
    """Version -> Markdown of a closed meeting's minutes (empty while the meeting is open)."""
    return {v.version: v.markdown for v in minutes_versions(store, meeting_id)}


@dataclass(frozen=True)
class MinutesVersion:
    version: int
    made_at: datetime
    reason: str  # why it was corrected ("" for the minutes as closed)
    markdown: str


def minutes_versions(store: Store, meeting_id: int) -> list[MinutesVersion]:
    """Every version of a closed meeting's minutes, the first (as closed) first."""
    with store.read() as session:
        query = select(MeetingMinutes).where(col(MeetingMinutes.meeting_id) == meeting_id)
        rows = session.scalars(query.order_by(col(MeetingMinutes.version)))
        return [MinutesVersion(m.version, _aware(m.created_at), m.reason, m.markdown) for m in rows]


def minutes_draft_key(meeting_id: int) -> str:
    """Where the correction being typed for a meeting's minutes is kept (drafts table)."""
    return f"minutes:{meeting_id}"


class CorrectionError(ValueError):
    """A correction that cannot be made; the message is Danish."""


def correct_minutes(store: Store, meeting_id: int, markdown: str, reason: str, *, seen: int | None = None) -> int:
    """A correction of a closed meeting's minutes: a new version beside the old ones, audited. Returns it.

    Refused for an open meeting (its minutes are made when it closes), without a reason, and when the
    text is the newest version's: a version must say why it exists and differ from the one before. Refused
    too when it was written from version `seen` and a colleague has corrected that one since (EditConflictError).
    """
    with store.write() as session:
        meeting = row_to_edit(session, Meeting, meeting_id, None)  # locked: two corrections get different numbers
        query = select(MeetingMinutes).where(col(MeetingMinutes.meeting_id) == meeting_id)
        newest = session.scalars(query.order_by(col(MeetingMinutes.version).desc())).first()
        if meeting.status != "closed" or newest is None:
            raise CorrectionError(t("meeting_correction.open", id=meeting_id))
        if not reason.strip():
            raise CorrectionError(t("meeting_correction.reason_missing"))
        if seen is not None and newest.version != seen:
            raise EditConflictError(f"minutes version {newest.version}, the correction was written from {seen}")
        if markdown.strip() == newest.markdown.strip():
            raise CorrectionError(t("meeting_correction.unchanged", version=newest.version))
        version = newest.version + 1
        text = markdown if markdown.endswith("\n") else markdown + "\n"
        session.add(MeetingMinutes(meeting_id=meeting_id, version=version, markdown=text, reason=reason.strip()))
        return version


@dataclass(frozen=True)
class AgendaLine:
    kind: str
    heading: str
    reasons: tuple[str, ...]
    case: str | None  # the case's reference, never a name
    workplace: str | None


def agenda_lines(store: Store, agenda: Agenda) -> list[AgendaLine]:
    """The generated agenda as the meeting will see it: case references and workplace names, no people."""
    case_ids = [e.case_id for e in agenda.entries if e.case_id is not None]
    with store.read() as session:
        connection = session.connection()
        refs: dict[int, str] = {}
        for chunk in range(0, len(case_ids), 500):
            query = select(col(Case.id), col(Case.ref)).where(col(Case.id).in_(case_ids[chunk : chunk + 500]))
            refs.update({int(row[0] or 0): row[1] for row in connection.execute(query)})
        names = {row[0]: row[1] for row in connection.execute(select(col(Workplace.id), col(Workplace.name)))}
    lines = [
        AgendaLine("withheld", withheld_heading(agenda.withheld.count(r)), (r,), None, None)
        for r in sorted(set(agenda.withheld))
    ]
    for e in agenda.entries:
        workplace = names.get(e.workplace_id) if e.workplace_id is not None else None
        if e.case_id is not None:
            ref = refs.get(e.case_id, "?")
            lines.append(AgendaLine(e.kind, t("meeting_slide.case", ref=ref), e.reasons, ref, workplace))
        elif e.kind == "free":
            lines.append(AgendaLine(e.kind, pseudonymise(e.title, {}), e.reasons, None, workplace))
        else:
            heading = t(f"meeting_kinds.{e.kind}", workplace=workplace or "?")
            lines.append(AgendaLine(e.kind, heading, e.reasons, None, workplace))
    return lines
