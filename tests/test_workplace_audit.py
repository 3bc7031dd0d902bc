"""A workplace's audit entries hold the names of its leader, AMR and TR: sealed with a per-workplace key like a
case's values, so the readable log keeps only the field names, and the history still opens."""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path

from sqlmodel import select

from tests.conftest import NOW
from trivsel_tui.store import audit
from trivsel_tui.store.db import make_engine
from trivsel_tui.store.migrate import upgrade
from trivsel_tui.store.models import AuditEntry
from trivsel_tui.store.queries import save_workplace
from trivsel_tui.store.store import Store

LEADER, AMR, TR = "Leder Lisbeth Krogh", "AMR Aksel Mørch", "TR Tove Rask"


def workplace_entries(store: Store) -> tuple[list[AuditEntry], list[dict[str, object] | None]]:
    with store.read() as session:
        entries = list(session.exec(select(AuditEntry).where(AuditEntry.entity == "workplace").order_by(AuditEntry.id)))
        return entries, audit.opened_changes(session, entries)


def raw_audit(path: Path) -> str:
    with sqlite3.connect(path) as connection:
        return json.dumps(connection.execute("SELECT changes, sealed FROM audit_entry").fetchall())


def test_leader_amr_and_tr_names_are_sealed_in_the_audit_log_and_open_in_the_history(tmp_path: Path) -> None:
    store = Store.open(tmp_path / "trivsel.sqlite3", "tester", lambda: NOW)
    try:
        made = save_workplace(store, {"name": "Bostedet Lyngbo", "leader_name": LEADER, "amr_name": AMR})
        save_workplace(store, {"tr_name": TR, "leader_name": "Ny Leder"}, made.id)
        entries, opened = workplace_entries(store)
    finally:
        store.close()
    raw = raw_audit(store.path)
    assert not any(name in raw for name in (LEADER, AMR, TR, "Bostedet Lyngbo"))
    assert [entry.action for entry in entries] == ["create", "update"]
    assert entries[1].changes == {"leader_name": None, "tr_name": None}, "only the field names stay readable"
    assert opened[0] is not None and opened[0]["leader_name"] == [None, LEADER] and opened[0]["amr_name"] == [None, AMR]
    assert opened[1] == {"leader_name": [LEADER, "Ny Leder"], "tr_name": ["", TR]}


def test_the_upgrade_seals_existing_workplace_entries(tmp_path: Path) -> None:
    path = tmp_path / "old.sqlite3"
    engine = make_engine(path)
    upgrade(engine, "0014")
    engine.dispose()
    with sqlite3.connect(path) as connection:
        connection.execute(
            "INSERT INTO audit_entry (at, actor, entity, entity_id, action, changes)"
            " VALUES ('2026-01-01 00:00:00', 'tester', 'workplace', 4, 'update', ?)",
            (json.dumps({"amr_name": [None, AMR]}),),
        )
    store = Store.open(path, "tester", lambda: NOW)
    try:
        entries, opened = workplace_entries(store)
    finally:
        store.close()
    assert AMR not in raw_audit(path)
    assert entries[0].changes == {"amr_name": None} and opened == [{"amr_name": [None, AMR]}]
