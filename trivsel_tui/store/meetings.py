"""Meetings: the agenda's facts from the database, the meeting and its items, edits and decisions.

Every change goes through an audited store session; a narrative revealed to the meeting is an audit
entry of its own (who, when, which meeting and item). Portable SQL: runs on SQLite and PostgreSQL.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from sqlalchemy import and_, case, func, or_, select
from sqlmodel import col

from trivsel_tui.domain.meetings import (
    Agenda,
    AgendaSources,
    Attendee,
    Body,
    CarriedItem,
    CaseFacts,
    PlanFacts,
    WorkplaceFacts,
    build_agenda,
)
from trivsel_tui.domain.rules import Rules
from trivsel_tui.store.errors import row_to_edit, touch
from trivsel_tui.store.meeting_people import case_parties
from trivsel_tui.store.models import (
    ActionItem,
    ActionPlan,
    AuditEntry,
    Case,
    Meeting,
    MeetingAction,
    MeetingItem,
    Task,
    Workplace,
)
from trivsel_tui.store.store import Store
from trivsel_tui.texts import t


class MeetingClosedError(ValueError):
    """A closed meeting's agenda and decisions are final; its minutes change only by a new version."""

    def __init__(self) -> None:
        super().__init__(t("meeting_errors.closed"))


@dataclass(frozen=True)
class MeetingRow:
    id: int
    body_kind: str
    body_name: str
    held_on: date
    status: str
    items: int


@dataclass(frozen=True)
class DecisionInput:
    """What the decision dialog collects for one agenda item."""

    decision: str
    follow_up_by: str = ""
    resolved: bool = True
    measure: str = ""  # a new action item, when given
    owner: str = ""
    due_on: date | None = None
    horizon: str = "short"
    done_task_ids: tuple[int, ...] = ()
    done_item_ids: tuple[int, ...] = ()


def survey_months(rules: Rules) -> int:
    return int(rules.prevention["wellbeing_survey_interval_months"])


# --- known people and bodies ----------------------------------------------------------------------


def known_people(store: Store, workplace_ids: Sequence[int]) -> list[Attendee]:
    """The people the app knows for these workplaces (leader, AMR, TR), for choosing attendees."""
    with store.read() as session:
        rows = list(session.scalars(select(Workplace).where(col(Workplace.id).in_(list(workplace_ids)))))
    people: list[Attendee] = []
    for workplace in rows:
        for role, name in (("leader", workplace.leader_name), ("amr", workplace.amr_name), ("tr", workplace.tr_name)):
            if name.strip() and Attendee(name.strip(), role) not in people:
                people.append(Attendee(name.strip(), role))
    return people


def workplace_ids_by_name(store: Store, names: Sequence[str]) -> tuple[list[int], list[str]]:
    """The workplaces with these names (exact, then ignoring case), and the names not found."""
    with store.read() as session:
        rows = session.connection().execute(select(col(Workplace.id), col(Workplace.name))).all()
    exact = {name: wid for wid, name in rows}
    folded = {name.casefold(): wid for wid, name in rows}
    found, missing = [], []
    for name in names:
        wid = exact.get(name, folded.get(name.strip().casefold()))
        if wid is None:
            missing.append(name)
        elif wid not in found:
            found.append(wid)
    return found, missing


# --- the agenda's facts ---------------------------------------------------------------------------


def _last_meeting(session: Any, body: Body, before: int | None) -> tuple[datetime | None, int | None]:
    query = select(col(Meeting.created_at), col(Meeting.id)).where(col(Meeting.body_key) == body.key)
    if before is not None:
        query = query.where(col(Meeting.id) != before)
    row = session.connection().execute(query.order_by(col(Meeting.held_on).desc(), col(Meeting.id).desc())).first()
    return (row[0], row[1]) if row else (None, None)


def _case_facts(session: Any, body: Body, since: datetime | None, now: datetime) -> list[CaseFacts]:
    connection = session.connection()
    wanted: Any = col(Case.status) == "open"
    if since is not None:  # and every case reported since the last meeting, closed or not
        wanted = or_(wanted, col(Case.created_at) > since)
    cases = connection.execute(
        select(col(Case.id), col(Case.workplace_id), col(Case.created_at)).where(
            col(Case.workplace_id).in_(list(body.workplace_ids)), wanted
        )
    ).all()
    counts = {
        row[0]: (int(row[1]), int(row[2] or 0))
        for row in connection.execute(
            select(
                col(Task.case_id),
                func.count(),
                func.sum(case((col(Task.due_at) < now, 1), else_=0)),
            )
            .join(Case, col(Case.id) == col(Task.case_id))
            .where(
                col(Case.workplace_id).in_(list(body.workplace_ids)),
                col(Case.status) == "open",
                col(Task.done_at).is_(None),
            )
            .group_by(col(Task.case_id))
        )
    }
    ids = [row[0] for row in cases]
    parties, manager_cases = case_parties(session, ids)
    return [
        CaseFacts(
            cid,
            wid,
            created,
            *counts.get(cid, (0, 0)),
            tuple(parties.get(cid, ())),
            cid in manager_cases,
        )
        for cid, wid, created in cases
    ]


def _plan_facts(session: Any, body: Body) -> list[PlanFacts]:
    query = (
        select(
            col(ActionPlan.id),
            col(ActionPlan.kind),
            col(ActionPlan.case_id),
            col(Case.workplace_id),
            col(ActionPlan.workplace_id),
        )
        .add_columns(col(ActionPlan.next_review_on))
        .outerjoin(Case, col(Case.id) == col(ActionPlan.case_id))
        .where(
            col(ActionPlan.status) == "adopted",
            col(ActionPlan.next_review_on).is_not(None),
            or_(
                col(ActionPlan.workplace_id).in_(list(body.workplace_ids)),
                and_(col(Case.workplace_id).in_(list(body.workplace_ids)), col(Case.status) == "open"),
            ),
        )
    )
    return [
        PlanFacts(pid, kind, case_id, case_workplace or plan_workplace, review)
        for pid, kind, case_id, case_workplace, plan_workplace, review in session.connection().execute(query)
    ]


def _workplace_facts(session: Any, body: Body) -> list[WorkplaceFacts]:
    connection = session.connection()
    plans: dict[int, list[tuple[str, date | None, date | None]]] = {}
    query = select(
        col(ActionPlan.workplace_id), col(ActionPlan.kind), col(ActionPlan.adopted_on), col(ActionPlan.next_review_on)
    ).where(col(ActionPlan.workplace_id).in_(list(body.workplace_ids)), col(ActionPlan.status) == "adopted")
    for wid, kind, adopted, review in connection.execute(query):
        plans.setdefault(wid, []).append((kind, adopted, review))
    workplaces = connection.execute(select(Workplace).where(col(Workplace.id).in_(list(body.workplace_ids)))).all()
    facts = []
    for w in workplaces:
        own = plans.get(w.id, [])
        survey = w.last_wellbeing_survey
        facts.append(
            WorkplaceFacts(
                w.id,
                bool(w.risk_violence_citizens),
                bool(w.risk_sexual_citizens),
                any(kind == "prevention_violence" for kind, _a, _r in own),
                any(kind == "prevention_sexual" for kind, _a, _r in own),
                survey,
                survey is not None and any((adopted and adopted >= survey) for _k, adopted, _r in own),
                w.local_adaptation_decided_on is not None,
            )
        )
    return facts


def _carried(session: Any, meeting_id: int | None) -> list[CarriedItem]:
    if meeting_id is None:
        return []
    rows = session.connection().execute(
        select(MeetingItem)
        .where(col(MeetingItem.meeting_id) == meeting_id, col(MeetingItem.resolved).is_(False))
        .where(col(MeetingItem.kind).not_in(["withheld", "discarded"]))
        .order_by(col(MeetingItem.position))
    )
    return [
        CarriedItem(r.id, r.kind if r.kind != "carried" else "free", r.case_id, r.workplace_id, r.plan_id, r.title, ())
        for r in rows
    ]


def agenda_sources(store: Store, body: Body, now: datetime, meeting_id: int | None = None) -> AgendaSources:
    with store.read() as session:
        last_on, last_id = _last_meeting(session, body, meeting_id)
        return AgendaSources(
            body,
            last_on,
            tuple(_case_facts(session, body, last_on, now)),
            tuple(_plan_facts(session, body)),
            tuple(_workplace_facts(session, body)),
            tuple(_carried(session, last_id)),
        )


def preview_agenda(store: Store, rules: Rules, body: Body, attendees: Sequence[Attendee], now: datetime) -> Agenda:
    """The agenda a meeting of `body` with these attendees would start from (nothing is stored)."""
    return build_agenda(agenda_sources(store, body, now), attendees, now, survey_months(rules))


# --- the meeting ----------------------------------------------------------------------------------


def _item_rows(meeting_id: int, agenda: Agenda) -> list[MeetingItem]:
    items = [
        MeetingItem(
            meeting_id=meeting_id,
            position=position,
            kind=entry.kind,
            reasons=list(entry.reasons),
            case_id=entry.case_id,
            workplace_id=entry.workplace_id,
            plan_id=entry.plan_id,
            title=entry.title,
            carried_from=entry.carried_from,
        )
        for position, entry in enumerate(agenda.entries)
    ]
    # Withheld cases are said at the top, by reason only: the meeting knows that, not which.
    for reason in sorted(set(agenda.withheld)):
        count = agenda.withheld.count(reason)
        items.insert(0, MeetingItem(meeting_id=meeting_id, position=-1, kind="withheld", reasons=[reason] * count))
    for position, item in enumerate(items):
        item.position = position
    return items


def create_meeting(
    store: Store, rules: Rules, body: Body, held_on: date, attendees: Sequence[Attendee], now: datetime
) -> int:
    """A new open meeting with the agenda built for it."""
    agenda = preview_agenda(store, rules, body, attendees, now)
    with store.write() as session:
        meeting = Meeting(
            body_kind=body.kind,
            body_key=body.key,
            body_name=body.name,
            workplace_ids=list(body.workplace_ids),
            held_on=held_on,
            attendees=[{"name": a.name, "role": a.role} for a in attendees],
        )
        session.add(meeting)
        session.flush()
        assert meeting.id is not None
        session.add_all(_item_rows(meeting.id, agenda))
        return meeting.id


def list_meetings(store: Store) -> list[MeetingRow]:
    with store.read() as session:
        counts = func.count(col(MeetingItem.id))
        query = (
            select(
                col(Meeting.id),
                col(Meeting.body_kind),
                col(Meeting.body_name),
                col(Meeting.held_on),
                col(Meeting.status),
                counts,
            )
            .outerjoin(MeetingItem, col(MeetingItem.meeting_id) == col(Meeting.id))
            .group_by(col(Meeting.id))
            .order_by(col(Meeting.held_on).desc(), col(Meeting.id).desc())
        )
        return [MeetingRow(int(r[0] or 0), r[1], r[2], r[3], r[4], r[5]) for r in session.connection().execute(query)]


def _open_meeting(session: Any, meeting_id: int, seen: int | None = None) -> Meeting:
    """The open meeting, locked until the commit; refused if its agenda changed after the version `seen`.
    Every change of an item is a change of the meeting too (touch): its version stands for the agenda."""
    meeting = row_to_edit(session, Meeting, meeting_id, seen)
    if meeting.status != "open":
        raise MeetingClosedError
    touch(meeting, session.info["clock"]())
    return meeting


def _open_item(session: Any, item_id: int, seen: int | None) -> MeetingItem:
    """An item of an open meeting, refused if someone saved it after the version `seen`."""
    item = row_to_edit(session, MeetingItem, item_id, seen)
    _open_meeting(session, item.meeting_id)
    return item


def _renumber(session: Any, meeting_id: int, ordered: list[MeetingItem]) -> None:
    for position, item in enumerate(ordered):
        if item.position != position:
            item.position = position
            session.add(item)


def meeting_items(session: Any, meeting_id: int) -> list[MeetingItem]:
    query = select(MeetingItem).where(col(MeetingItem.meeting_id) == meeting_id)
    return list(session.scalars(query.order_by(col(MeetingItem.position), col(MeetingItem.id))))


def move_meeting_item(store: Store, item_id: int, delta: int, *, seen: int | None = None) -> None:
    """Move an agenda item up (-1) or down (+1); refused if someone changed it after the version `seen`."""
    with store.write() as session:
        item = _open_item(session, item_id, seen)
        ordered = meeting_items(session, item.meeting_id)
        index = ordered.index(item)
        target = max(0, min(len(ordered) - 1, index + delta))
        ordered.insert(target, ordered.pop(index))
        _renumber(session, item.meeting_id, ordered)


def remove_meeting_item(store: Store, item_id: int, *, seen: int | None = None) -> None:
    """Refused if someone changed the item after the version `seen` (their decision would go unseen)."""
    with store.write() as session:
        item = _open_item(session, item_id, seen)
        meeting_id = item.meeting_id
        session.delete(item)
        session.flush()
        _renumber(session, meeting_id, meeting_items(session, meeting_id))


def add_free_item(store: Store, meeting_id: int, title: str, after_position: int | None = None) -> int:
    """A point typed by the meeting, after the current one (or last)."""
    with store.write() as session:
        _open_meeting(session, meeting_id)
        ordered = meeting_items(session, meeting_id)
        item = MeetingItem(meeting_id=meeting_id, kind="free", title=title.strip(), position=len(ordered))
        session.add(item)
        session.flush()
        at = len(ordered) if after_position is None else min(after_position + 1, len(ordered))
        ordered.insert(at, item)
        _renumber(session, meeting_id, ordered)
        assert item.id is not None
        return item.id


def record_reveal(store: Store, item_id: int) -> None:
    """The narrative of this item's case was shown to the meeting: an audit entry (who, when, which meeting)."""
    with store.write() as session:
        item = session.get(MeetingItem, item_id)
        if item is None or item.case_id is None:
            raise LookupError(item_id)
        changes = {"meeting_id": [None, item.meeting_id], "meeting_item_id": [None, item.id]}
        session.add(
            AuditEntry(
                at=store.clock(),
                actor=store.actor,
                entity="meeting",
                entity_id=item.meeting_id,
                action="reveal",
                changes=changes,
                case_id=item.case_id,
            )
        )


def reveals(store: Store, meeting_id: int) -> list[tuple[datetime, str, int]]:
    """(when, who, item id) of every narrative shown in this meeting."""
    with store.read() as session:
        query = (
            select(AuditEntry)
            .where(
                col(AuditEntry.entity) == "meeting",
                col(AuditEntry.entity_id) == meeting_id,
                col(AuditEntry.action) == "reveal",
            )
            .order_by(col(AuditEntry.id))
        )
        return [(e.at, e.actor, int(e.changes["meeting_item_id"][1])) for e in session.scalars(query)]


# --- decisions ------------------------------------------------------------------------------------


def _target_plan(session: Any, item: MeetingItem, meeting: Meeting) -> ActionPlan:
    """Where a new action item goes: the case's follow-up plan, or the workplace's handleplan."""
    if item.plan_id is not None and item.case_id is None:
        found: ActionPlan | None = session.get(ActionPlan, item.plan_id)
        if found is None:
            raise LookupError(item.plan_id)
        return found
    if item.case_id is not None:
        query = select(ActionPlan).where(
            col(ActionPlan.case_id) == item.case_id, col(ActionPlan.kind) == "case_follow_up"
        )
        new = ActionPlan(kind="case_follow_up", case_id=item.case_id, made_by=meeting.body_kind)
    else:
        workplace_id = item.workplace_id if item.workplace_id is not None else meeting.workplace_ids[0]
        query = select(ActionPlan).where(
            col(ActionPlan.workplace_id) == workplace_id,
            col(ActionPlan.kind).in_(["prevention_violence", "prevention_sexual"]),
            col(ActionPlan.status) != "archived",
        )
        new = ActionPlan(kind="prevention_violence", workplace_id=workplace_id, made_by=meeting.body_kind)
    plan: ActionPlan | None = session.scalars(query.order_by(col(ActionPlan.id))).first()
    if plan is None:
        plan = new
        session.add(plan)
        session.flush()
    return plan


def _belongs(session: Any, row: ActionItem, item: MeetingItem) -> bool:
    """A plan item the meeting may settle under this agenda item: its case's, its workplace's or its plan's."""
    plan: ActionPlan | None = session.get(ActionPlan, row.plan_id)
    if plan is None:
        return False
    if item.case_id is not None:
        return plan.case_id == item.case_id
    return plan.id == item.plan_id or (plan.case_id is None and plan.workplace_id == item.workplace_id)


def _source_note(meeting: Meeting) -> str:
    return t("meeting.source_note", body=meeting.body_name, day=meeting.held_on.strftime("%d-%m-%Y"))


def _action(item: MeetingItem, kind: str, target_id: int | None, text: str, **more: Any) -> MeetingAction:
    assert item.id is not None and target_id is not None
    return MeetingAction(
        meeting_item_id=item.id, case_id=item.case_id, kind=kind, target_id=target_id, text=text, **more
    )


def _new_action_item(session: Any, item: MeetingItem, meeting: Meeting, decision: DecisionInput) -> MeetingAction:
    plan = _target_plan(session, item, meeting)
    assert plan.id is not None
    position = session.scalar(select(func.count()).where(col(ActionItem.plan_id) == plan.id)) or 0
    row = ActionItem(
        plan_id=plan.id,
        measure=decision.measure.strip(),
        horizon=decision.horizon,
        responsible=decision.owner.strip(),
        due_on=decision.due_on,
        note=_source_note(meeting),
        position=position,
    )
    session.add(row)
    session.flush()
    return _action(item, "new_item", row.id, row.measure, owner=row.responsible, due_on=row.due_on, horizon=row.horizon)


def _done_actions(
    session: Any, item: MeetingItem, meeting: Meeting, decision: DecisionInput, now: datetime, actor: str
) -> list[MeetingAction]:
    actions = []
    note = _source_note(meeting)
    for task_id in decision.done_task_ids:
        task: Task | None = session.get(Task, task_id)
        if task is None or task.case_id is None or task.case_id != item.case_id or task.done_at is not None:
            continue
        task.done_at, task.done_by, task.note = now, actor, f"{task.note}\n{note}".strip()
        session.add(task)
        actions.append(_action(item, "done_task", task.id, task.title))
    for action_item_id in decision.done_item_ids:
        row: ActionItem | None = session.get(ActionItem, action_item_id)
        if row is None or row.status in ("done", "dropped") or not _belongs(session, row, item):
            continue
        row.status, row.note = "done", f"{row.note}\n{note}".strip()
        session.add(row)
        actions.append(_action(item, "done_item", row.id, row.measure, owner=row.responsible))
    return actions


def record_decision(store: Store, item_id: int, decision: DecisionInput, *, seen: int | None = None) -> None:
    """The meeting's decision on one item, with the action items it creates or settles, in one transaction.
    Refused if someone saved the item after the version `seen` (a colleague's decision is not overwritten)."""
    with store.write() as session:
        item = _open_item(session, item_id, seen)
        meeting = _open_meeting(session, item.meeting_id)
        item.decision = decision.decision.strip()
        item.follow_up_by = decision.follow_up_by.strip()
        item.resolved = decision.resolved
        session.add(item)
        actions = _done_actions(session, item, meeting, decision, store.clock(), store.actor)
        if decision.measure.strip():
            actions.append(_new_action_item(session, item, meeting, decision))
        session.add_all(actions)


def close_meeting(store: Store, meeting_id: int, minutes_markdown: str, *, seen: int | None = None) -> None:
    """Close the meeting; its minutes as they stand become version 1, never changed afterwards. Refused if
    its agenda changed after the version `seen` (the minutes would hold a decision the closer never saw)."""
    from trivsel_tui.store.models import MeetingMinutes

    with store.write() as session:
        meeting = _open_meeting(session, meeting_id, seen)
        meeting.status, meeting.closed_at = "closed", store.clock()
        session.add(meeting)
        session.add(MeetingMinutes(meeting_id=meeting_id, version=1, markdown=minutes_markdown))
