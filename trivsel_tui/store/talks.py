"""Individual talks in a case (table individual_talk): when, with whom, about what, what was agreed,
and when to follow up. The follow-up date becomes a task, so it is a deadline on the dashboard."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from sqlmodel import col, select

from trivsel_tui.domain.clock import local, local_day_bound
from trivsel_tui.domain.owners import default_owner, people_of
from trivsel_tui.domain.statistics import code_tag
from trivsel_tui.store.models import Case, Episode, IndividualTalk, Task, Workplace
from trivsel_tui.store.store import Store
from trivsel_tui.store.views import view_of
from trivsel_tui.texts import t

FOLLOW_UP_CODE = "talk_follow_up"


class TalkError(ValueError):
    """A talk that cannot be recorded as given; the message is Danish."""


@dataclass(frozen=True)
class TalkInput:
    held_on: date
    employee: str
    topic: str
    agreed_action: str = ""
    follow_up_on: date | None = None


@dataclass(frozen=True)
class TalkView:
    id: int
    case_id: int
    held_on: date
    employee: str
    topic: str
    agreed_action: str
    follow_up_on: date | None
    task_id: int | None


def talk_problems(data: TalkInput, today: date) -> list[str]:
    problems = []
    if data.held_on > today:
        problems.append(t("talks.held_future"))
    if not data.employee.strip():
        problems.append(t("talks.employee_missing"))
    if not data.topic.strip():
        problems.append(t("talks.topic_missing"))
    if data.follow_up_on is not None and data.follow_up_on < data.held_on:
        problems.append(t("talks.follow_up_before"))
    return problems


def talks_for(store: Store, case_id: int) -> list[TalkView]:
    with store.read() as session:
        query = select(IndividualTalk).where(IndividualTalk.case_id == case_id)
        return [view_of(TalkView, talk) for talk in session.exec(query.order_by(col(IndividualTalk.held_on)))]


def add_talk(store: Store, case_id: int, data: TalkInput) -> int:
    """Record a talk (audited); a follow-up date makes a task due at the end of that day."""
    problems = talk_problems(data, local(store.clock()).date())
    if problems:
        raise TalkError(" ".join(problems))
    with store.write() as session:
        task_id = None
        if data.follow_up_on is not None:
            categories = session.exec(select(Episode.categories).where(Episode.case_id == case_id)).all()
            case = session.get(Case, case_id)
            workplace = session.get(Workplace, case.workplace_id) if case else None
            # The leader follows up on what was agreed with the employee (the guideline's talk is theirs).
            leader = default_owner("leader", people_of(case, workplace)) if case and workplace else ""
            task = Task(
                case_id=case_id,
                action_code=FOLLOW_UP_CODE,
                title=t("talks.task_title", employee=data.employee.strip(), topic=data.topic.strip()),
                basis=t("talks.task_basis"),
                due_at=local_day_bound(data.follow_up_on, end=True),
                owner_role="leader",
                owner=leader,
                categories=code_tag(sorted({code for tag in categories for code in tag.split(",") if code})),
            )
            session.add(task)
            session.flush()
            task_id = task.id
        talk = IndividualTalk(
            case_id=case_id,
            held_on=data.held_on,
            employee=data.employee.strip(),
            topic=data.topic.strip(),
            agreed_action=data.agreed_action.strip(),
            follow_up_on=data.follow_up_on,
            task_id=task_id,
        )
        session.add(talk)
        session.flush()
        assert talk.id is not None
        return talk.id
