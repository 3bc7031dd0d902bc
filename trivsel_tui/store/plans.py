"""Action plans: follow-up plans per case and prevention handleplaner per workplace."""

from __future__ import annotations

from dataclasses import dataclass, fields
from datetime import date
from typing import Any

from sqlmodel import col, select

from trivsel_tui.domain.plans import (
    ExportCause,
    ExportItem,
    ItemState,
    PlanFacts,
    Progress,
    check_status_change,
    progress,
)
from trivsel_tui.store.errors import row_to_edit
from trivsel_tui.store.models import ActionItem, ActionPlan, Case, PlanCause, Workplace
from trivsel_tui.store.store import Store
from trivsel_tui.store.views import CauseView, ItemView, PlanView, WorkplaceView, view_of
from trivsel_tui.texts import t


@dataclass(frozen=True)
class ItemInput:
    """What the item form collects."""

    measure: str
    horizon: str
    kind: str
    responsible: str
    due_on: date | None
    cause_ids: tuple[int, ...] = ()


@dataclass(frozen=True)
class PlanHeaderInput:
    """What the plan-header form collects."""

    made_by: str
    employees_involved: str
    adopted_on: date | None
    next_review_on: date | None
    status: str


@dataclass(frozen=True)
class DeletedItem:
    """Everything needed to undo deleting an item."""

    snapshot: dict[str, Any]


@dataclass(frozen=True)
class PlanDetail:
    plan: PlanView
    owner: str  # "Sag 2026-0042 · Mette Hansen" or the workplace's name
    workplace: WorkplaceView | None
    causes: tuple[CauseView, ...]
    items: tuple[ItemView, ...]

    def cause_numbers(self) -> dict[int, int]:
        """Causes are numbered 1, 2, … in their order; items refer to them by number."""
        return {cause.id: number for number, cause in enumerate(self.causes, 1)}

    def export_causes(self) -> list[ExportCause]:
        return [ExportCause(n, c.text, c.kind) for n, c in enumerate(self.causes, 1)]

    def export_items(self) -> list[ExportItem]:
        numbers = self.cause_numbers()
        return [
            ExportItem(
                i.measure,
                i.horizon,
                i.kind,
                i.responsible,
                i.due_on,
                i.status,
                tuple(numbers[c] for c in i.cause_ids if c in numbers),
                i.effective,
                i.effect_note,
                i.drop_reason,
            )
            for i in self.items
        ]


@dataclass(frozen=True)
class PlanRow:
    id: int
    kind: str
    owner: str
    status: str
    progress: Progress


def item_state(item: ActionItem) -> ItemState:
    return ItemState(item.status, item.due_on, item.effective, item.drop_reason)


def _owner(session: Any, plan: ActionPlan) -> tuple[str, Workplace | None]:
    if plan.case_id is not None:
        case = session.get(Case, plan.case_id)
        workplace = session.get(Workplace, case.workplace_id) if case else None
        return (t("plain_words.case_owner", ref=case.ref, person=case.affected_person) if case else "?"), workplace
    workplace = session.get(Workplace, plan.workplace_id)
    return (workplace.name if workplace else "?"), workplace


def case_plan_id(store: Store, case_id: int) -> int | None:
    with store.read() as session:
        plan = session.exec(select(ActionPlan).where(ActionPlan.case_id == case_id)).first()
        return plan.id if plan else None


def open_or_create_case_plan(store: Store, case_id: int) -> int:
    """The case's follow-up plan, created (as a draft) the first time it is asked for."""
    existing = case_plan_id(store, case_id)
    if existing is not None:
        return existing
    with store.write() as session:
        plan = ActionPlan(kind="case_follow_up", case_id=case_id, made_by="arbejdsmiljoegruppe")
        session.add(plan)
        session.flush()
        assert plan.id is not None
        return plan.id


def create_prevention_plan(store: Store, workplace_id: int, kind: str) -> int:
    if kind not in ("prevention_violence", "prevention_sexual"):
        raise ValueError(kind)
    with store.write() as session:
        plan = ActionPlan(kind=kind, workplace_id=workplace_id, made_by="arbejdsmiljoegruppe")
        session.add(plan)
        session.flush()
        assert plan.id is not None
        return plan.id


def plan_detail(store: Store, plan_id: int) -> PlanDetail | None:
    with store.read() as session:
        plan = session.get(ActionPlan, plan_id)
        if plan is None:
            return None
        owner, workplace = _owner(session, plan)
        causes = list(
            session.exec(
                select(PlanCause)
                .where(PlanCause.plan_id == plan_id)
                .order_by(col(PlanCause.position), col(PlanCause.id))
            )
        )
        items = list(
            session.exec(
                select(ActionItem)
                .where(ActionItem.plan_id == plan_id)
                .order_by(col(ActionItem.position), col(ActionItem.id))
            )
        )
        return PlanDetail(
            view_of(PlanView, plan),
            owner,
            view_of(WorkplaceView, workplace) if workplace else None,
            tuple(view_of(CauseView, c) for c in causes),
            tuple(view_of(ItemView, i) for i in items),
        )


def list_plans(store: Store) -> list[PlanRow]:
    with store.read() as session:
        plans = list(session.exec(select(ActionPlan).order_by(col(ActionPlan.id).desc())))
        items_by_plan: dict[int, list[ActionItem]] = {}
        for item in session.exec(select(ActionItem)):
            items_by_plan.setdefault(item.plan_id, []).append(item)
        rows = []
        for plan in plans:
            assert plan.id is not None
            owner, _ = _owner(session, plan)
            states = [item_state(i) for i in items_by_plan.get(plan.id, [])]
            rows.append(PlanRow(plan.id, plan.kind, owner, plan.status, progress(states)))
        return rows


def plan_progress_for_case(store: Store, case_id: int) -> Progress | None:
    plan_id = case_plan_id(store, case_id)
    if plan_id is None:
        return None
    with store.read() as session:
        items = session.exec(select(ActionItem).where(ActionItem.plan_id == plan_id)).all()
        return progress([item_state(i) for i in items])


def save_plan_header(store: Store, plan_id: int, header: PlanHeaderInput, *, seen: int | None = None) -> None:
    with store.write() as session:
        plan = row_to_edit(session, ActionPlan, plan_id, seen)
        for field in fields(header):
            setattr(plan, field.name, getattr(header, field.name))
        session.add(plan)


def add_cause(store: Store, plan_id: int, text: str, kind: str) -> int:
    with store.write() as session:
        count = len(session.exec(select(PlanCause).where(PlanCause.plan_id == plan_id)).all())
        cause = PlanCause(plan_id=plan_id, text=text.strip(), kind=kind, position=count)
        session.add(cause)
        session.flush()
        assert cause.id is not None
        return cause.id


def save_item(
    store: Store, plan_id: int, values: ItemInput, item_id: int | None = None, *, seen: int | None = None
) -> int:
    """A new item, or the changed item `item_id` (refused if someone saved it after the version `seen`)."""
    with store.write() as session:
        if item_id is None:
            count = len(session.exec(select(ActionItem).where(ActionItem.plan_id == plan_id)).all())
            item = ActionItem(plan_id=plan_id, position=count)
        else:
            item = row_to_edit(session, ActionItem, item_id, seen)
        for field in fields(values):
            setattr(item, field.name, getattr(values, field.name))
        item.cause_ids = list(values.cause_ids)
        session.add(item)
        session.flush()
        assert item.id is not None
        return item.id


def set_item_status(
    store: Store,
    item_id: int,
    status: str,
    effective: str | None = None,
    note: str = "",
    drop_reason: str = "",
    *,
    seen: int | None = None,
) -> None:
    """Change an item's status by the plan rules (done needs the effect answered, dropped a reason)."""
    check_status_change(status, effective, drop_reason)
    with store.write() as session:
        item = row_to_edit(session, ActionItem, item_id, seen)
        item.status = status
        if status == "done":
            item.effective, item.effect_note = effective, note.strip()
        if status == "dropped":
            item.drop_reason = drop_reason.strip()
        session.add(item)


def delete_item(store: Store, item_id: int, *, seen: int | None = None) -> DeletedItem:
    """Delete an item; returns what is needed to undo it. Refused if someone saved it after the version `seen`."""
    with store.write() as session:
        item = row_to_edit(session, ActionItem, item_id, seen)
        snapshot = item.model_dump()
        session.delete(item)
        return DeletedItem(snapshot)


def restore_item(store: Store, deleted: DeletedItem) -> int:
    """Undo a delete: the item comes back with its id and everything it had."""
    with store.write() as session:
        item = ActionItem(**deleted.snapshot)
        session.add(item)
        session.flush()
        assert item.id is not None
        return item.id


def move_item(store: Store, plan_id: int, item_id: int, delta: int, *, seen: int | None = None) -> None:
    """Move an item up (-1) or down (+1) in the plan's order. Refused if someone saved the item after the
    version `seen` (a move renumbers the items it passes, so a colleague's move counts as a save too)."""
    with store.write() as session:
        row_to_edit(session, ActionItem, item_id, seen)
        items = list(
            session.exec(
                select(ActionItem)
                .where(ActionItem.plan_id == plan_id)
                .order_by(col(ActionItem.position), col(ActionItem.id))
            )
        )
        index = next(i for i, item in enumerate(items) if item.id == item_id)
        target = index + delta
        if not 0 <= target < len(items):
            return
        items.insert(target, items.pop(index))
        for position, item in enumerate(items):
            if item.position != position:
                item.position = position
                session.add(item)


def workplace_plans(store: Store) -> dict[int, list[PlanFacts]]:
    """Prevention plans per workplace, for the workplaces screen and the dashboard."""
    with store.read() as session:
        plans = session.exec(select(ActionPlan).where(col(ActionPlan.workplace_id).is_not(None))).all()
        grouped: dict[int, list[PlanFacts]] = {}
        for plan in plans:
            assert plan.workplace_id is not None
            grouped.setdefault(plan.workplace_id, []).append(PlanFacts(plan.kind, plan.status, plan.next_review_on))
        return grouped
