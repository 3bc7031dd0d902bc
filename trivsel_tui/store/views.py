"""What the store hands the UI: frozen snapshots of rows, never live ORM objects.

A view cannot lazy-load, cannot be changed by accident and cannot carry a session across threads.
Each query function converts its rows with `view_of` (or a helper below) before the session closes.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, fields
from datetime import date, datetime
from typing import Any, TypeVar

from trivsel_tui.domain.classify import Classification

V = TypeVar("V")


def view_of(cls: type[V], row: object, **overrides: Any) -> V:
    """A `cls` made from the row's attributes of the same names (lists become tuples)."""
    values = {}
    for field in fields(cls):  # type: ignore[arg-type]
        if field.name in overrides:
            continue
        value = getattr(row, field.name)
        values[field.name] = tuple(value) if isinstance(value, list) else value
    return cls(**values, **overrides)


@dataclass(frozen=True)
class WorkplaceView:
    id: int
    name: str
    unit: str
    med_level: str
    risk_violence_citizens: bool
    risk_sexual_citizens: bool
    leader_name: str
    amr_name: str
    tr_name: str
    amg_members: str
    hr_consultant: str
    last_wellbeing_survey: date | None
    local_adaptation_decided_on: date | None
    local_adaptation_decision: str
    version: int = 0  # the version the user saw (store.errors.row_to_edit)


@dataclass(frozen=True)
class CaseView:
    id: int
    ref: str
    workplace_id: int
    affected_person: str
    affected_job: str
    status: str
    close_reason: str
    consultant: str
    version: int = 0  # the version the user saw (store.errors.refuse_if_changed)


@dataclass(frozen=True)
class EpisodeView:
    id: int
    case_id: int
    occurred_at: datetime
    place: str
    description: str
    behaviours: tuple[str, ...]
    perpetrator: str
    injury: str
    intentional: bool | None
    reflex_or_resistance: bool | None
    regular_over_time: bool | None
    repeated_gross: bool | None
    target_can_defend: bool | None
    injury_from_single_episode: bool | None
    outside_working_hours: bool | None
    grounds: tuple[str, ...]
    channel: str | None
    first_absence_day: date | None
    absence_days: int | None
    witnesses: str
    reported_by: str
    classification: Classification | None
    override_reason: str
    version: int = 0  # the version the user saw (store.errors.row_to_edit)


def episode_view(row: Any) -> EpisodeView:
    stored = row.classification
    return view_of(EpisodeView, row, classification=Classification.from_json(stored) if stored else None)


@dataclass(frozen=True)
class TaskView:
    id: int
    case_id: int | None
    episode_id: int | None
    action_code: str
    title: str
    due_at: datetime | None
    done_at: datetime | None
    done_by: str
    note: str
    owner_role: str
    owner: str
    legal_deadline: bool
    remind_at: datetime | None
    abandon_reason: str
    version: int = 0  # the version the user saw (store.errors.refuse_if_changed)


@dataclass(frozen=True)
class NoteView:
    id: int
    kind: str  # note | status | dispensation
    text: str
    author: str
    created_at: datetime
    replaces_id: int | None = None  # a corrected dispensation notat: the version it replaces


@dataclass(frozen=True)
class AuditView:
    at: datetime
    actor: str
    entity: str
    entity_id: int
    action: str  # create | update | delete
    changes: Mapping[str, Any]


@dataclass(frozen=True)
class PlanView:
    id: int
    kind: str
    case_id: int | None
    workplace_id: int | None
    made_by: str
    employees_involved: str
    adopted_on: date | None
    next_review_on: date | None
    status: str
    version: int = 0  # the version the user saw (store.errors.row_to_edit)


@dataclass(frozen=True)
class CauseView:
    id: int
    text: str
    kind: str


@dataclass(frozen=True)
class ItemView:
    id: int
    measure: str
    horizon: str
    kind: str
    responsible: str
    due_on: date | None
    status: str
    drop_reason: str
    cause_ids: tuple[int, ...]
    effective: str | None
    effect_note: str
    version: int = 0  # the version the user saw (store.errors.row_to_edit)
