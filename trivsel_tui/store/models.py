"""The tables. Timestamps are UTC (UTCDateTime); dates without time are plain dates."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from sqlalchemy import JSON, Column, Index, event, text
from sqlalchemy.orm import declared_attr
from sqlmodel import Field, SQLModel

from trivsel_tui.domain.statistics import stat_fields
from trivsel_tui.store import text_keys
from trivsel_tui.store.types import UTCDateTime


def _utc(**kwargs: Any) -> Any:
    return Field(sa_type=UTCDateTime, **kwargs)


def _sort_key(**kwargs: Any) -> Any:
    """A Danish sort key column (see store.text_keys); filled on write, never by hand."""
    return Field(default="", sa_type=text_keys.SORT_KEY_TYPE, **kwargs)


class VersionCounted:
    """A row users change in dialogs. Its `version` is raised by one on every change (store.audit.stamp_times);
    the user's save names the version they saw (store.errors.row_to_edit), and every UPDATE or DELETE names
    the version it read (SQLAlchemy's version_id_col), so a stale save fails instead of overwriting (issue 17)."""

    @declared_attr.directive
    def __mapper_args__(cls) -> dict[str, Any]:
        return {"version_id_col": cls.__table__.c.version, "version_id_generator": False}  # type: ignore[attr-defined]


def _version() -> Any:
    return Field(default=1, sa_column_kwargs={"server_default": text("1")})


class Workplace(VersionCounted, SQLModel, table=True):
    id: int | None = Field(default=None, primary_key=True)
    name: str = Field(unique=True, index=True)
    unit: str = ""
    med_level: str = ""
    risk_violence_citizens: bool = False
    risk_sexual_citizens: bool = False
    leader_name: str = ""
    amr_name: str = ""
    tr_name: str = ""
    amg_members: str = ""  # arbejdsmiljøgruppen's members, as written (e.g. "Ole Hansen, Mette Berg")
    hr_consultant: str = ""  # the HR consultant who follows the workplace's cases
    last_wellbeing_survey: date | None = None
    local_adaptation_decided_on: date | None = None
    local_adaptation_decision: str = ""
    risk_flagged_on: date | None = None
    name_search: str = ""
    name_sort: str = _sort_key(index=True)
    leader_name_search: str = ""
    leader_name_sort: str = _sort_key()
    created_at: datetime = _utc()
    updated_at: datetime = _utc()
    version: int = _version()


class Case(VersionCounted, SQLModel, table=True):
    id: int | None = Field(default=None, primary_key=True)
    ref: str = Field(unique=True, index=True)
    workplace_id: int = Field(foreign_key="workplace.id", index=True)
    affected_person: str = ""
    affected_job: str = ""
    consultant: str = ""
    status: str = Field(default="open", index=True)
    close_reason: str = ""
    closed_at: datetime | None = _utc(default=None)  # retention runs from here
    hold_kind: str = ""  # a legal hold stops kassation: litigation | occupational_disease_claim | archival_duty | other
    hold_reason: str = ""
    affected_person_search: str = ""
    affected_person_sort: str = _sort_key(index=True)
    consultant_search: str = ""
    consultant_sort: str = _sort_key()
    created_at: datetime = _utc()
    updated_at: datetime = _utc()
    version: int = _version()


class Episode(VersionCounted, SQLModel, table=True):
    __table_args__ = (
        # The statistics count from this index alone, without reading the wide rows (migration 0006).
        Index(
            "ix_episode_stats",
            "occurred_at",
            "case_id",
            "occurred_month",
            "categories",
            "types",
            "perpetrator",
            "injury",
            "insurance_report",
            "police_relevant",
            "absence_days",
        ),
        # The dashboard's unclassified episodes, without reading every episode (migration 0017).
        Index(
            "ix_episode_unclassified",
            "case_id",
            sqlite_where=text("categories = ''"),
            postgresql_where=text("categories = ''"),
        ),
    )
    id: int | None = Field(default=None, primary_key=True)
    case_id: int = Field(foreign_key="case.id", index=True)
    occurred_at: datetime = _utc()
    place: str = ""
    description: str = ""
    behaviours: list[str] = Field(default_factory=list, sa_column=Column(JSON, nullable=False))
    perpetrator: str = "unknown"
    injury: str = "none"
    intentional: bool | None = None
    reflex_or_resistance: bool | None = None
    regular_over_time: bool | None = None
    repeated_gross: bool | None = None
    target_can_defend: bool | None = None
    injury_from_single_episode: bool | None = None
    outside_working_hours: bool | None = None
    grounds: list[str] = Field(default_factory=list, sa_column=Column(JSON, nullable=False))
    channel: str | None = None
    first_absence_day: date | None = None
    absence_days: int | None = None
    witnesses: str = ""
    reported_by: str = ""
    classification: dict[str, Any] | None = Field(default=None, sa_column=Column(JSON))
    override_reason: str = ""
    # Counting fields for the statistics, derived from occurred_at and classification (see _derive_stat_fields).
    occurred_month: int | None = None  # yyyymm, Copenhagen time
    categories: str = ""  # ",violence_threats,"
    types: str = ""  # ",physical_violence,threat,"
    insurance_report: str | None = None
    police_relevant: bool | None = None
    created_at: datetime = _utc()
    updated_at: datetime = _utc()
    version: int = _version()


STAT_FIELDS = ("occurred_month", "categories", "types", "insurance_report", "police_relevant")


def _derive_stat_fields(_mapper: Any, _connection: Any, episode: Episode) -> None:
    # Every ORM write keeps them in line with the classification; bulk inserts call stat_fields themselves.
    for name, value in stat_fields(episode.occurred_at, episode.classification).items():
        if getattr(episode, name) != value:
            setattr(episode, name, value)


event.listen(Episode, "before_insert", _derive_stat_fields)
event.listen(Episode, "before_update", _derive_stat_fields)


class Task(VersionCounted, SQLModel, table=True):
    __table_args__ = (
        # The dashboard reads open tasks by due date; a partial index keeps that cheap, and a search that
        # matches few tasks reads only this index for the tasks it skips (migration 0017).
        Index(
            "ix_task_open_due",
            "due_at",
            "case_id",
            "legal_deadline",
            "title_search",
            "owner_search",
            sqlite_where=text("done_at IS NULL"),
            postgresql_where=text("done_at IS NULL"),
        ),
        # The statistics' deadline performance from this index alone, each kind's tasks in their episodes'
        # period, without joining the episodes (migration 0019).
        Index(
            "ix_task_deadlines",
            "action_code",
            "episode_at",
            "due_at",
            "done_at",
            "note",
            "case_id",
            "episode_perpetrator",
            "episode_categories",
            "episode_id",
        ),
        # The statistics' open tasks by action, perpetrator and owner role, read in that order (migration 0019).
        Index(
            "ix_task_open_owners",
            "action_code",
            "episode_perpetrator",
            "owner_role",
            "episode_at",
            "due_at",
            "case_id",
            "episode_categories",
            "episode_id",
            sqlite_where=text("done_at IS NULL"),
            postgresql_where=text("done_at IS NULL"),
        ),
    )
    id: int | None = Field(default=None, primary_key=True)
    case_id: int | None = Field(default=None, foreign_key="case.id", index=True)
    episode_id: int | None = Field(default=None, foreign_key="episode.id", index=True)
    action_code: str = "manual"
    title: str = ""
    basis: str = ""
    categories: str = ""  # ",violence_threats,sexual_harassment," – the episode's categories, for filtering
    title_search: str = ""
    title_sort: str = _sort_key()
    due_at: datetime | None = _utc(default=None)
    done_at: datetime | None = _utc(default=None)
    done_by: str = ""
    note: str = ""
    # Who answers for the task: a role of rules.toml [owners] and a person (from the workplace unless chosen).
    owner_role: str = ""
    owner: str = ""
    owner_chosen: bool = False  # set by hand: a new leader at the workplace does not replace this person
    owner_search: str = ""
    owner_sort: str = _sort_key()
    legal_deadline: bool = False  # the deadline is set by law (a legal rules row): it is never postponed
    remind_at: datetime | None = _utc(default=None)  # a personal reminder, shown beside the legal deadline
    abandon_reason: str = ""  # done_at set without doing it: why it was given up
    # The episode's time, perpetrator and categories, copied by the database's triggers (store/task_episode.py),
    # never by hand: the statistics filter tasks by them without joining the episodes.
    episode_at: datetime | None = _utc(default=None)
    episode_perpetrator: str = ""
    episode_categories: str = ""
    created_at: datetime = _utc()
    updated_at: datetime = _utc()
    version: int = _version()


class CaseNote(SQLModel, table=True):
    """Notes on a case: plain notes, status changes with their reason, and dispensation notater."""

    __tablename__ = "case_note"
    id: int | None = Field(default=None, primary_key=True)
    case_id: int = Field(foreign_key="case.id", index=True)
    kind: str = "note"  # note | status | dispensation
    text: str = ""
    author: str = ""
    # A corrected dispensation notat is a new note naming the version it replaces; every version is kept.
    replaces_id: int | None = None
    created_at: datetime = _utc()
    updated_at: datetime = _utc()


class CaseParty(VersionCounted, SQLModel, table=True):
    """A person involved in a case besides the affected employee on the case row: another affected
    employee, the person the case is about (with their relation), or a witness. Hearing all parties is
    the guideline's condition for colleague and manager cases ("belysning og høring af alle relevante parter")."""

    __tablename__ = "case_party"
    id: int | None = Field(default=None, primary_key=True)
    case_id: int = Field(foreign_key="case.id", index=True)
    role: str = "witness"  # affected | subject | witness
    relation: str = ""  # a perpetrator code (citizen, relative, colleague, manager, unknown) or ""
    name: str = ""
    job: str = ""
    note: str = ""
    created_at: datetime = _utc()
    updated_at: datetime = _utc()
    version: int = _version()


class IndividualTalk(SQLModel, table=True):
    """A talk between leader and employee about safety and risk (the guideline: "efter konkret behov",
    for bullying "hvor det er relevant"); its follow-up date is a task, so it shows on the dashboard."""

    __tablename__ = "individual_talk"
    id: int | None = Field(default=None, primary_key=True)
    case_id: int = Field(foreign_key="case.id", index=True)
    held_on: date
    employee: str = ""
    topic: str = ""
    agreed_action: str = ""
    follow_up_on: date | None = None
    task_id: int | None = Field(default=None, foreign_key="task.id")
    created_at: datetime = _utc()
    updated_at: datetime = _utc()


class EpisodeOutcome(VersionCounted, SQLModel, table=True):
    """What was actually done about an episode, as data: reports, support, the AMR's access and the copy."""

    __tablename__ = "episode_outcome"
    id: int | None = Field(default=None, primary_key=True)
    episode_id: int = Field(foreign_key="episode.id", unique=True)
    case_id: int = Field(foreign_key="case.id", index=True)
    insubiz_reported_on: date | None = None
    insubiz_ref: str = ""
    police_reported_on: date | None = None
    police_journal: str = ""
    support: str = ""  # "" | offered | accepted | declined
    support_on: date | None = None
    amr_access_on: date | None = None
    employee_copy_on: date | None = None
    created_at: datetime = _utc()
    updated_at: datetime = _utc()
    version: int = _version()


class Draft(SQLModel, table=True):
    """What a user is typing, kept while they type so nothing is lost. Not audited: not yet a case."""

    id: int | None = Field(default=None, primary_key=True)
    key: str = Field(unique=True, index=True)
    data: dict[str, Any] = Field(default_factory=dict, sa_column=Column(JSON, nullable=False))
    updated_at: datetime = _utc()


class AuditEntry(SQLModel, table=True):
    __tablename__ = "audit_entry"
    id: int | None = Field(default=None, primary_key=True)
    at: datetime = _utc()
    actor: str = ""
    entity: str = Field(index=True)
    entity_id: int = Field(index=True)
    action: str = ""  # create | update | delete
    changes: dict[str, Any] = Field(default_factory=dict, sa_column=Column(JSON, nullable=False))
    # About a case: its id, and the values sealed with the case's key (see store/sealing.py); `changes`
    # then holds only the field names.
    case_id: int | None = Field(default=None, index=True)
    key_id: int | None = None
    sealed: str | None = None


class AuditKey(SQLModel, table=True):
    """A case's key for its sealed audit values. Deleting it erases them (kassation, redaction)."""

    __tablename__ = "audit_key"
    id: int | None = Field(default=None, primary_key=True)
    case_id: int = Field(index=True)
    key: bytes


class AuditWorkplaceKey(SQLModel, table=True):
    """A workplace's key for its sealed audit values (the names of its leader, AMR and TR)."""

    __tablename__ = "audit_workplace_key"
    id: int | None = Field(default=None, primary_key=True)
    workplace_id: int = Field(index=True)
    key: bytes


class AuditReseal(SQLModel, table=True):
    """An audit entry's values re-sealed without a redacted CPR number, under a newer key."""

    __tablename__ = "audit_reseal"
    entry_id: int = Field(primary_key=True)
    key_id: int
    sealed: str


class ActionPlan(VersionCounted, SQLModel, table=True):
    __tablename__ = "action_plan"
    id: int | None = Field(default=None, primary_key=True)
    kind: str = "case_follow_up"  # case_follow_up | prevention_violence | prevention_sexual
    case_id: int | None = Field(default=None, foreign_key="case.id", index=True)
    workplace_id: int | None = Field(default=None, foreign_key="workplace.id", index=True)
    made_by: str = ""  # arbejdsmiljøgruppe | lokal_med | triogruppe
    employees_involved: str = ""
    adopted_on: date | None = None
    next_review_on: date | None = None
    status: str = "draft"  # draft | adopted | archived
    created_at: datetime = _utc()
    updated_at: datetime = _utc()
    version: int = _version()


class PlanCause(SQLModel, table=True):
    __tablename__ = "plan_cause"
    id: int | None = Field(default=None, primary_key=True)
    plan_id: int = Field(foreign_key="action_plan.id", index=True)
    text: str = ""
    kind: str = "other"
    position: int = 0


class ActionItem(VersionCounted, SQLModel, table=True):
    __tablename__ = "action_item"
    id: int | None = Field(default=None, primary_key=True)
    plan_id: int = Field(foreign_key="action_plan.id", index=True)
    measure: str = ""
    horizon: str = "short"  # short | long
    kind: str = "solution"  # relief | solution | prevention | training | other
    responsible: str = ""
    due_on: date | None = None
    status: str = "planned"  # planned | in_progress | done | dropped
    drop_reason: str = ""
    cause_ids: list[int] = Field(default_factory=list, sa_column=Column(JSON, nullable=False))
    effective: str | None = None  # yes | partly | no, answered when the item is done
    effect_note: str = ""
    note: str = ""  # e.g. why the due date was moved
    position: int = 0
    measure_search: str = ""
    measure_sort: str = _sort_key()
    responsible_search: str = ""
    responsible_sort: str = _sort_key()
    created_at: datetime = _utc()
    updated_at: datetime = _utc()
    version: int = _version()


class Meeting(VersionCounted, SQLModel, table=True):
    """A meeting of a body (arbejdsmiljøgruppe, triogruppe, Lokal MED-udvalg) that reviews its cases."""

    __tablename__ = "meeting"
    id: int | None = Field(default=None, primary_key=True)
    body_kind: str = "arbejdsmiljoegruppe"  # arbejdsmiljoegruppe | triogruppe | lokal_med
    body_key: str = Field(default="", index=True)  # kind and workplace ids: the same body across its meetings
    body_name: str = ""
    workplace_ids: list[int] = Field(default_factory=list, sa_column=Column(JSON, nullable=False))
    held_on: date
    attendees: list[dict[str, str]] = Field(default_factory=list, sa_column=Column(JSON, nullable=False))
    status: str = "open"  # open | closed
    closed_at: datetime | None = _utc(default=None)
    created_at: datetime = _utc()
    updated_at: datetime = _utc()
    version: int = _version()


class MeetingItem(VersionCounted, SQLModel, table=True):
    """One point on a meeting's agenda, with what the meeting decided about it.

    case_id, workplace_id and plan_id are plain numbers, not foreign keys: a case's kassation must not
    be blocked by the minutes of a meeting that discussed it (the minutes never name its people)."""

    __tablename__ = "meeting_item"
    id: int | None = Field(default=None, primary_key=True)
    meeting_id: int = Field(foreign_key="meeting.id", index=True)
    position: int = 0
    kind: str = "free"  # see domain.meetings.ITEM_KINDS
    reasons: list[str] = Field(default_factory=list, sa_column=Column(JSON, nullable=False))
    case_id: int | None = Field(default=None, index=True)
    workplace_id: int | None = None
    plan_id: int | None = None
    title: str = ""  # a free item's text
    carried_from: int | None = None  # the unresolved item of the previous meeting
    decision: str = ""
    follow_up_by: str = ""
    resolved: bool = False
    created_at: datetime = _utc()
    updated_at: datetime = _utc()
    version: int = _version()


class MeetingAction(SQLModel, table=True):
    """What a decision did: a new plan item, or a task or plan item marked done with the meeting as source."""

    __tablename__ = "meeting_action"
    id: int | None = Field(default=None, primary_key=True)
    meeting_item_id: int = Field(foreign_key="meeting_item.id", index=True)
    case_id: int | None = None  # for sealing its audit values with the case's key
    kind: str = "new_item"  # new_item | done_task | done_item
    target_id: int = 0
    text: str = ""
    owner: str = ""
    due_on: date | None = None
    horizon: str = ""
    created_at: datetime = _utc()
    updated_at: datetime = _utc()


class MeetingMinutes(SQLModel, table=True):
    """The minutes as closed (version 1) and every later correction: never changed in place."""

    __tablename__ = "meeting_minutes"
    id: int | None = Field(default=None, primary_key=True)
    meeting_id: int = Field(foreign_key="meeting.id", index=True)
    version: int = 1
    reason: str = ""
    markdown: str = ""
    created_at: datetime = _utc()
    updated_at: datetime = _utc()


class AppState(SQLModel, table=True):
    """Facts about the file itself, not about cases (e.g. last_backup_at). Not audited."""

    __tablename__ = "app_state"
    key: str = Field(primary_key=True)
    value: str = ""


text_keys.install([Workplace, Case, Task, ActionItem])
