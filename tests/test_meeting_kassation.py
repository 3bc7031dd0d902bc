"""Kassation of a case takes it out of the meetings that discussed it: its agenda items become empty
placeholders, its decisions and action items go, every stored version of a closed meeting's minutes
loses its section, and nothing of it is left in the file – while the meetings and their other items stay."""

from __future__ import annotations

from datetime import date, timedelta
from pathlib import Path

import pytest
from sqlmodel import col, select

from tests.conftest import NOW
from tests.meeting_data import LEADER, build_with_parties, case_ref
from tests.test_retention import file_bytes
from trivsel_tui.domain.rules import Rules
from trivsel_tui.meeting_minutes import minutes_for
from trivsel_tui.store.cases import save_draft, set_case_status
from trivsel_tui.store.meeting_view import correct_minutes, meeting_detail, minutes_draft_key, stored_minutes
from trivsel_tui.store.meetings import (
    DecisionInput,
    add_free_item,
    close_meeting,
    create_meeting,
    preview_agenda,
    record_decision,
)
from trivsel_tui.store.models import AuditEntry, Draft, Meeting, MeetingAction, MeetingItem
from trivsel_tui.store.retention import compact, discard_case
from trivsel_tui.store.store import Store

SECRET_DECISION = "Tryghedsvandring ved kaffeautomaten efter slaget"
SECRET_MEASURE = "Overfaldsalarm ved kaffeautomaten"
KEPT_DECISION = "Kollegial mægling aftalt"
GONE = "En sag, der siden er kasseret"


def _case_item(store: Store, rules: Rules, meeting_id: int, ref: str) -> int:
    detail = meeting_detail(store, rules, meeting_id, NOW)
    assert detail is not None
    return next(s.item_id for s in detail.slides if s.heading == f"Sag {ref}")


def test_kassation_empties_the_cases_meeting_items_and_minutes_and_keeps_the_rest(db_path: Path, rules: Rules) -> None:
    moments = [NOW]
    store = Store.open(db_path, "tester", lambda: moments[-1])
    try:
        fixture = build_with_parties(store, rules)
        data = fixture.data
        ref, other_ref = case_ref(store, data.citizen_case), case_ref(store, fixture.colleague_case)
        first = create_meeting(store, rules, data.body, NOW.date(), data.attendees, NOW)
        citizen_item = _case_item(store, rules, first, ref)
        decision = DecisionInput(SECRET_DECISION, "AMR", False, SECRET_MEASURE, LEADER, date(2026, 12, 15))
        record_decision(store, citizen_item, decision)
        record_decision(store, _case_item(store, rules, first, other_ref), DecisionInput(KEPT_DECISION))
        free = add_free_item(store, first, "Julefrokost og tryghed")
        record_decision(store, free, DecisionInput("Drøftet"))
        markdown, _detail = minutes_for(store, rules, first, NOW)  # type: ignore[misc]
        assert SECRET_DECISION in markdown and f"Sag {ref}" in markdown
        close_meeting(store, first, markdown)
        correct_minutes(store, first, markdown + f"\nRettelse: Sag {ref} tages op igen.\n", "Tilføjelse")
        positions = {i.id: i.position for i in _items(store, first)}
        moments.append(NOW + timedelta(days=14))
        second = create_meeting(store, rules, data.body, moments[-1].date(), data.attendees, moments[-1])
        assert _case_item(store, rules, second, ref)  # carried: not resolved at the first meeting
        save_draft(store, minutes_draft_key(first), {"reason": "Rettelse", "markdown": markdown})
        set_case_status(store, data.citizen_case, "closed", "Afsluttet")
        discard_case(store, data.citizen_case, "Opbevaringsfristen er udløbet", moments[-1].date(), early=True)

        # The meetings stay, with every other item as it was; the case's items are empty placeholders.
        after = _items(store, first)
        assert [i.position for i in after] == sorted(positions.values())
        gone = [i for i in after if i.kind == "discarded"]
        assert len(gone) == 1 and gone[0].position == positions[citizen_item]
        assert (gone[0].case_id, gone[0].decision, gone[0].follow_up_by, gone[0].reasons) == (None, "", "", [])
        assert KEPT_DECISION in {i.decision for i in after} and "Julefrokost og tryghed" in {i.title for i in after}
        with store.read() as session:
            assert len(session.exec(select(Meeting)).all()) == 2
            assert not session.exec(select(Draft)).all()  # the correction being typed held the case's section
            assert not session.exec(select(MeetingItem).where(MeetingItem.case_id == data.citizen_case)).all()
            assert not session.exec(select(MeetingAction).where(MeetingAction.case_id == data.citizen_case)).all()
            rewrite = session.exec(
                select(AuditEntry).where(AuditEntry.entity == "meeting_minutes", AuditEntry.action == "update")
            ).all()
        assert len(rewrite) == 2 and all(e.changes["markdown"][1].startswith("sha256:") for e in rewrite)

        # Every stored version of the closed meeting's minutes, and what the app shows and exports.
        versions = stored_minutes(store, first)
        assert sorted(versions) == [1, 2]
        for text in versions.values():
            assert ref not in text and SECRET_DECISION not in text and SECRET_MEASURE not in text
            assert KEPT_DECISION in text and f"Sag {other_ref}" in text and GONE in text
        assert "Rettelse: [kasseret sag] tages op igen." in versions[2]
        detail = meeting_detail(store, rules, first, moments[-1])
        assert detail is not None and GONE in [s.heading for s in detail.slides]
        exported, _detail = minutes_for(store, rules, first, moments[-1])  # type: ignore[misc]
        assert exported == versions[2]
        second_detail = meeting_detail(store, rules, second, moments[-1])
        assert second_detail is not None and f"Sag {ref}" not in repr(second_detail)
        later = preview_agenda(store, rules, data.body, data.attendees, moments[-1] + timedelta(days=30))
        assert all(e.kind != "discarded" for e in later.entries)
        compact(store)
    finally:
        store.close()
    raw = file_bytes(db_path)
    for secret in (SECRET_DECISION, SECRET_MEASURE, "kaffeautomaten"):
        assert secret.encode() not in raw, f"{secret!r} is still in the file after kassation"
    assert KEPT_DECISION.encode() in raw


def _items(store: Store, meeting_id: int) -> list[MeetingItem]:
    with store.read() as session:
        query = select(MeetingItem).where(MeetingItem.meeting_id == meeting_id).order_by(MeetingItem.position)
        return list(session.exec(query).all())


def test_the_migration_keeps_minutes_audit_rows_with_their_text_as_a_digest(tmp_path: Path) -> None:
    """Minutes closed before this change left their whole text in the audit log, in the clear."""
    import json
    import sqlite3

    from trivsel_tui.store.check import check_database
    from trivsel_tui.store.db import make_engine
    from trivsel_tui.store.migrate import upgrade

    path = tmp_path / "old.sqlite3"
    engine = make_engine(path)
    upgrade(engine, _revision_before("*_minutes_audit_digest.py"))
    engine.dispose()
    changes = {
        "meeting_id": [None, 1],
        "version": [None, 1],
        "markdown": [None, f"### 1. Sag 2026-0001\n{SECRET_DECISION}"],
    }
    with sqlite3.connect(path) as connection:
        for entity, values in (("meeting_minutes", changes), ("meeting", {"body_name": [None, "Solsikken"]})):
            connection.execute(
                "INSERT INTO audit_entry (at, actor, entity, entity_id, action, changes) VALUES (?, ?, ?, ?, ?, ?)",
                ("2026-01-01 00:00:00", "tester", entity, 1, "create", json.dumps(values)),
            )
    store = Store.open(path, "tester")
    try:
        with store.read() as session:
            entries = session.exec(select(AuditEntry).order_by(col(AuditEntry.id))).all()
    finally:
        store.close()
    assert len(entries) == 2
    minutes = entries[0].changes
    assert minutes["version"] == [None, 1] and minutes["markdown"][0] is None
    assert minutes["markdown"][1].startswith("sha256:") and SECRET_DECISION not in json.dumps(minutes)
    assert entries[1].changes == {"body_name": [None, "Solsikken"]}
    assert all(finding.ok for finding in check_database(path)[:2]), "the append-only guards are back"


def _revision_before(pattern: str) -> str:
    import re

    from trivsel_tui.store import migrations

    (migration,) = (Path(migrations.__file__).parent / "versions").glob(pattern)
    return re.findall(r'^down_revision = "(\w+)"', migration.read_text(encoding="utf-8"), re.MULTILINE)[0]


@pytest.mark.both_databases
def test_kassation_takes_the_case_out_of_closed_minutes_on_both_databases(store: Store, rules: Rules) -> None:
    fixture = build_with_parties(store, rules)
    data = fixture.data
    ref = case_ref(store, data.citizen_case)
    meeting = create_meeting(store, rules, data.body, NOW.date(), data.attendees, NOW)
    record_decision(
        store,
        _case_item(store, rules, meeting, ref),
        DecisionInput(SECRET_DECISION, measure=SECRET_MEASURE, owner="AMR", due_on=NOW.date()),
    )
    markdown, _detail = minutes_for(store, rules, meeting, NOW)  # type: ignore[misc]
    close_meeting(store, meeting, markdown)
    save_draft(store, minutes_draft_key(meeting), {"reason": "Rettelse", "markdown": markdown})
    set_case_status(store, data.citizen_case, "closed", "Afsluttet")
    discard_case(store, data.citizen_case, "Opbevaringsfristen er udløbet", NOW.date(), early=True)
    (text,) = stored_minutes(store, meeting).values()
    assert ref not in text and SECRET_DECISION not in text and GONE in text
    assert [i.kind for i in _items(store, meeting)].count("discarded") == 1
    with store.read() as session:
        assert not session.exec(select(Draft)).all()
        assert not session.exec(select(MeetingAction).where(MeetingAction.case_id == data.citizen_case)).all()
