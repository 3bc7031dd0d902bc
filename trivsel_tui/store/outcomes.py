"""What was done about an episode, recorded as data (table episode_outcome): the Insubiz/EASY report
with its date and reference, the police report with its date and journal number, support offered,
accepted or declined, and the AMR's access to the report and the copy to the injured employee.

Recording a report or the support also settles the episode's open task for it, dated the day it
happened (domain.done_dates); the statistics count Insubiz on time from the report date itself.
"""

from __future__ import annotations

from dataclasses import dataclass, fields
from datetime import date, datetime

from sqlmodel import col, select

from trivsel_tui.domain.clock import local
from trivsel_tui.domain.done_dates import done_moment
from trivsel_tui.store.errors import refuse_if_changed
from trivsel_tui.store.models import Episode, EpisodeOutcome, Task
from trivsel_tui.store.session import StoreSession
from trivsel_tui.store.store import Store
from trivsel_tui.store.views import view_of
from trivsel_tui.texts import t

SUPPORT = ("offered", "accepted", "declined")


class OutcomeError(ValueError):
    """A recorded outcome that cannot be right; the message is Danish."""


@dataclass(frozen=True)
class OutcomeInput:
    insubiz_reported_on: date | None = None
    insubiz_ref: str = ""
    police_reported_on: date | None = None
    police_journal: str = ""
    support: str = ""  # "" | offered | accepted | declined
    support_on: date | None = None
    amr_access_on: date | None = None
    employee_copy_on: date | None = None


@dataclass(frozen=True)
class OutcomeView(OutcomeInput):
    episode_id: int = 0
    version: int = 0  # the version the user saw (store.errors.row_to_edit)


DATES = ("insubiz_reported_on", "police_reported_on", "support_on", "amr_access_on", "employee_copy_on")
# The task an outcome settles, and the date that settles it.
SETTLES = {
    "insurance_report": "insubiz_reported_on",
    "police_report": "police_reported_on",
    "offer_support": "support_on",
}


def outcome_problems(data: OutcomeInput, occurred: date, today: date) -> list[str]:
    """Danish sentences for what cannot be right: dates in the future or before the episode, a
    reference without its date, support without its date (or the reverse)."""
    problems = []
    for name in DATES:
        day = getattr(data, name)
        if day is not None and day > today:
            problems.append(t("outcomes.future", field=t(f"outcomes.{name}")))
        elif day is not None and day < occurred:
            problems.append(t("outcomes.before_episode", field=t(f"outcomes.{name}")))
    if data.insubiz_ref.strip() and data.insubiz_reported_on is None:
        problems.append(t("outcomes.ref_without_date"))
    if data.police_journal.strip() and data.police_reported_on is None:
        problems.append(t("outcomes.journal_without_date"))
    if bool(data.support) != (data.support_on is not None):
        problems.append(t("outcomes.support_pair"))
    if data.support and data.support not in SUPPORT:
        problems.append(t("outcomes.support_pair"))
    return problems


def outcomes_for(store: Store, case_id: int) -> dict[int, OutcomeView]:
    """Episode id -> its recorded outcome (episodes without one are missing)."""
    with store.read() as session:
        rows = session.exec(select(EpisodeOutcome).where(EpisodeOutcome.case_id == case_id))
        return {row.episode_id: view_of(OutcomeView, row) for row in rows}


def save_outcome(store: Store, episode_id: int, data: OutcomeInput, *, seen: int | None = None) -> None:
    """Record the episode's outcome (audited, sealed with the case's key) and settle its tasks. Refused if
    someone saved it after the version `seen` (NOT_YET_SAVED: the user saw none, and someone made one)."""
    now = store.clock()
    with store.write() as session:
        episode = session.get(Episode, episode_id)
        if episode is None:
            raise LookupError(f"episode {episode_id} does not exist")
        problems = outcome_problems(data, local(episode.occurred_at).date(), local(now).date())
        if problems:
            raise OutcomeError(" ".join(problems))
        query = select(EpisodeOutcome).where(EpisodeOutcome.episode_id == episode_id)
        outcome = session.exec(query.with_for_update()).first()
        if outcome is not None:
            refuse_if_changed(outcome.version, seen)
        outcome = outcome or EpisodeOutcome(episode_id=episode_id, case_id=episode.case_id)
        for field in fields(OutcomeInput):
            value = getattr(data, field.name)
            setattr(outcome, field.name, value.strip() if isinstance(value, str) else value)
        session.add(outcome)
        _settle_tasks(session, episode_id, data, now)


def _settle_tasks(session: StoreSession, episode_id: int, data: OutcomeInput, now: datetime) -> None:
    open_tasks = session.exec(
        select(Task).where(
            Task.episode_id == episode_id, col(Task.done_at).is_(None), col(Task.action_code).in_(SETTLES)
        )
    )
    for task in open_tasks:
        day: date | None = getattr(data, SETTLES[task.action_code])
        if day is None:
            continue
        task.done_at = done_moment(day, now)
        task.done_by = session.info["actor"]
        task.note = _settle_note(task.action_code, data, day)
        session.add(task)


def _settle_note(code: str, data: OutcomeInput, day: date) -> str:
    when = day.strftime("%d-%m-%Y")
    if code == "insurance_report":
        return t("outcomes.note_insubiz", day=when, ref=data.insubiz_ref.strip() or "–")
    if code == "police_report":
        return t("outcomes.note_police", day=when, journal=data.police_journal.strip() or "–")
    return t("outcomes.note_support", day=when, answer=t(f"outcomes.support_{data.support}"))
