"""Retention, legal hold and kassation of cases; CPR redaction in a case and its audit history.

Kassation deletes the case and everything that belongs to it, then destroys the case's audit keys,
so the sealed values in the append-only audit log can never be read again (see store/sealing.py).
The audit skeleton – who did what to which row, when – stays, and a "discard" entry records the
kassation itself with its reason. Meetings that discussed the case keep an empty placeholder for it
(store/meeting_kassation.py).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from sqlalchemy import delete
from sqlalchemy import select as sa_select
from sqlmodel import col, select

from trivsel_tui.domain.cpr import find_cpr, remove_cpr
from trivsel_tui.domain.retention import HOLD_KINDS, RetentionRule, is_due, load_retention, retention_until
from trivsel_tui.store import audit
from trivsel_tui.store.dialect import vacuum
from trivsel_tui.store.errors import refuse_if_changed
from trivsel_tui.store.meeting_kassation import forget_case
from trivsel_tui.store.models import (
    ActionItem,
    ActionPlan,
    Case,
    CaseNote,
    CaseParty,
    Draft,
    Episode,
    EpisodeOutcome,
    IndividualTalk,
    PlanCause,
    Task,
)
from trivsel_tui.store.search_index import purge_deleted
from trivsel_tui.store.session import StoreSession
from trivsel_tui.store.store import Store
from trivsel_tui.texts import t


class RetentionError(ValueError):
    """A refused hold, release, kassation or redaction; the message is Danish."""


@dataclass(frozen=True)
class RetentionRow:
    case_id: int
    ref: str
    status: str
    closed_at: datetime | None
    rule: RetentionRule
    until: date | None
    hold_kind: str
    hold_reason: str
    due: bool
    person: str  # the affected employee: whom a right-of-access export is for
    version: int = 0  # the case's version the user saw (store.errors.row_to_edit)


def _categories(tag: str) -> list[str]:
    return [code for code in tag.split(",") if code]


def retention_rows(store: Store, today: date, due_only: bool = False) -> list[RetentionRow]:
    """Every case with its retention date, the soonest first (open cases, which have none, last)."""
    rules = load_retention()
    # Plain columns, not ORM objects: this reads every case (100,000 in the benchmark).
    names = ("id", "ref", "status", "closed_at", "hold_kind", "hold_reason", "affected_person", "version")
    columns = [col(getattr(Case, name)) for name in names]
    with store.read() as session:
        cases = session.execute(sa_select(*columns)).all()
        outcomes: dict[int, tuple[list[str], list[str | None]]] = {}
        for case_id, categories, insurance in session.exec(
            select(Episode.case_id, Episode.categories, Episode.insurance_report)
        ):
            cats, kinds = outcomes.setdefault(case_id, ([], []))
            cats.extend(_categories(categories))
            kinds.append(insurance)
    rows = []
    for case_id, ref, status, closed_at, hold_kind, hold_reason, person, version in cases:
        cats, kinds = outcomes.get(case_id, ([], []))
        rule = rules.rule_for(cats, kinds)
        until = retention_until(closed_at, rule)
        due = is_due(until, bool(hold_kind), today)
        if not due_only or due:
            row = RetentionRow(
                case_id, ref, status, closed_at, rule, until, hold_kind, hold_reason, due, person, version
            )
            rows.append(row)
    rows.sort(key=lambda row: (row.until is None, row.until or date.max, row.ref))
    return rows


def _case(session: StoreSession, ref_or_id: str | int, seen: int | None = None) -> Case:
    """The case to change, locked until the commit and refused if someone saved it after the version `seen`."""
    query = select(Case).where(col(Case.id) == ref_or_id if isinstance(ref_or_id, int) else Case.ref == ref_or_id)
    case = session.exec(query.with_for_update()).first()
    if case is None:
        raise RetentionError(t("retention.no_case", ref=ref_or_id))
    refuse_if_changed(case.version, seen)
    return case


def set_hold(store: Store, ref: str | int, kind: str, reason: str, *, seen: int | None = None) -> None:
    """Stop kassation of the case until the hold is released (audited as a change of the case)."""
    if kind not in HOLD_KINDS:
        raise RetentionError(t("retention.bad_hold_kind", kinds=", ".join(HOLD_KINDS)))
    if not reason.strip():
        raise RetentionError(t("retention.reason_needed"))
    with store.write() as session:
        case = _case(session, ref, seen)
        case.hold_kind, case.hold_reason = kind, reason.strip()


def release_hold(store: Store, ref: str | int, reason: str, *, seen: int | None = None) -> None:
    if not reason.strip():
        raise RetentionError(t("retention.reason_needed"))
    with store.write() as session:
        case = _case(session, ref, seen)
        if not case.hold_kind:
            raise RetentionError(t("retention.not_on_hold", ref=case.ref))
        case.hold_kind, case.hold_reason = "", ""
        audit.record_event(session, case, "release_hold", {"reason": reason.strip()}, sealed=True)


def _owned_rows(session: StoreSession, case_id: int) -> list[Any]:
    """Everything that belongs to the case, children before parents (the delete order)."""
    plans = session.exec(select(ActionPlan).where(ActionPlan.case_id == case_id)).all()
    plan_ids = [plan.id for plan in plans]
    rows: list[Any] = []
    rows += session.exec(select(ActionItem).where(col(ActionItem.plan_id).in_(plan_ids))).all()
    rows += session.exec(select(PlanCause).where(col(PlanCause.plan_id).in_(plan_ids))).all()
    rows += plans
    for model in (CaseParty, IndividualTalk, EpisodeOutcome):  # before the tasks and episodes they point at
        rows += session.exec(select(model).where(model.case_id == case_id)).all()
    rows += session.exec(select(Task).where(Task.case_id == case_id)).all()
    rows += session.exec(select(CaseNote).where(CaseNote.case_id == case_id)).all()
    rows += session.exec(select(Episode).where(Episode.case_id == case_id)).all()
    return rows


def discard_case(
    store: Store, ref: str | int, reason: str, today: date, early: bool = False, *, seen: int | None = None
) -> str:
    """Kassation: delete the case, its rows and its audit keys. Returns the case's ref.

    Refused for an open case, a case on hold, and (unless `early`) a case not yet due.
    """
    if not reason.strip():
        raise RetentionError(t("retention.reason_needed"))
    with store.write() as session:
        case = _case(session, ref, seen)
        assert case.id is not None
        if case.hold_kind:
            raise RetentionError(t("retention.on_hold", ref=case.ref, reason=case.hold_reason))
        if case.status != "closed":
            raise RetentionError(t("retention.still_open", ref=case.ref))
        row = next(r for r in retention_rows(store, today) if r.case_id == case.id)
        if not row.due and not early:
            raise RetentionError(t("retention.not_due", ref=case.ref, until=row.until))
        # Deleted rows are written to the audit log, sealed with the case's key – destroyed below.
        owned_rows = _owned_rows(session, case.id)
        plan_ids = [row.id for row in owned_rows if isinstance(row, ActionPlan)]
        for owned in owned_rows:
            # One flush per row, in _owned_rows' order: the ORM knows no relationships, so within one
            # flush it may delete an episode before the tasks that point at it (a foreign-key failure).
            session.delete(owned)
            session.flush()
        session.delete(case)
        session.flush()
        forget_case(session, case.id, case.ref)
        _delete_drafts(session, case.id, plan_ids)
        audit.destroy_case_keys(session, case.id)
        record = {"ref": case.ref, "reason": reason.strip(), "before_due": not row.due}
        audit.record_event(session, case, "discard", record, sealed=False)
        return case.ref


def _delete_drafts(session: StoreSession, case_id: int, plan_ids: list[int | None]) -> None:
    """What was being typed for the case (an episode) or its plan (items): see the forms' draft keys."""
    # Every user's drafts: on a team database each key starts with its owner (store.drafts.draft_key).
    keys = (col(Draft.key) == f"episode:case:{case_id}") | col(Draft.key).like(f"%/episode:case:{case_id}")
    for plan_id in plan_ids:
        keys = keys | col(Draft.key).like(f"item:{plan_id}:%") | col(Draft.key).like(f"%/item:{plan_id}:%")
    session.exec(delete(Draft).where(keys))


def compact(store: Store) -> None:
    """Rewrite the search index without deleted rows' entries, then the file without free pages, and empty
    the WAL, so deleted values leave no bytes behind. (On PostgreSQL: VACUUM, which frees the rows' space
    for reuse.)"""
    purge_deleted(store)
    vacuum(store.engine)


# --- CPR numbers in free text --------------------------------------------------------------------

FREE_TEXT: dict[type[Any], tuple[str, ...]] = {
    Case: ("affected_person", "affected_job", "close_reason", "hold_reason"),
    Episode: ("place", "description", "witnesses", "reported_by", "override_reason"),
    Task: ("title", "note"),
    CaseNote: ("text",),
    ActionPlan: ("employees_involved",),
    PlanCause: ("text",),
    ActionItem: ("measure", "responsible", "drop_reason", "effect_note", "note"),
    CaseParty: ("name", "job", "note"),
    IndividualTalk: ("employee", "topic", "agreed_action"),
    EpisodeOutcome: ("insubiz_ref", "police_journal"),
}


def redact_cpr(store: Store, ref: str | int) -> int:
    """Remove CPR numbers from the case's free text and from its whole audit history. Returns how many."""
    with store.write() as session:
        case = _case(session, ref)
        assert case.id is not None
        found = 0
        for row in [case, *_owned_rows(session, case.id)]:
            for field in FREE_TEXT[type(row)]:
                value = getattr(row, field)
                if isinstance(value, str) and find_cpr(value):
                    found += len(find_cpr(value))
                    setattr(row, field, remove_cpr(value))
        session.flush()
        history = audit.reseal_case(session, case.id, remove_cpr)
        if not found and not history:
            raise RetentionError(t("retention.no_cpr", ref=case.ref))
        audit.record_event(session, case, "redact_cpr", {"in_case": found, "in_history": history}, sealed=False)
        return found + history
