"""A case's audit history with its values opened (sealed with the case's key), for the timeline."""

from __future__ import annotations

from trivsel_tui.domain.timeline import TimelineEntry
from trivsel_tui.store import audit
from trivsel_tui.store.store import Store


def case_timeline(store: Store, case_id: int) -> list[TimelineEntry]:
    """Every audit entry about the case, oldest first: its rows, notes, parties, talks, outcomes,
    plans, and events such as a document saved or copied."""
    with store.read() as session:
        entries = audit.case_entries(session, case_id)
        opened = audit.opened_changes(session, entries)
    return [
        TimelineEntry(entry.at, entry.actor, entry.entity, entry.entity_id, entry.action, values)
        for entry, values in zip(entries, opened, strict=True)
    ]


def record_document_event(store: Store, case_id: int, action: str, what: str, path: str = "") -> None:
    """A document of the case was saved to a file ("export") or copied to the clipboard ("copy"):
    what, where, by whom and when – sealed with the case's key, as the document holds personal data."""
    from trivsel_tui.store.models import Case

    with store.write() as session:
        case = session.get(Case, case_id)
        if case is None:
            raise LookupError(f"case {case_id} does not exist")
        values = {"what": what, "path": path} if path else {"what": what}
        audit.record_event(session, case, action, values, sealed=True)
