"""Upgrading a file from before the sealed audit log: every row sealed in bulk, and the user sees how far it is."""

from __future__ import annotations

import io
import json
import sqlite3
from pathlib import Path

from sqlmodel import select

from tests.test_cli import trivsel
from tests.test_retention import revision_before_sealing
from trivsel_tui.progress import StderrProgress
from trivsel_tui.store import audit
from trivsel_tui.store.db import make_engine
from trivsel_tui.store.migrate import upgrade
from trivsel_tui.store.models import AuditEntry
from trivsel_tui.store.store import Store

CASES = 30


def old_file(tmp_path: Path) -> Path:
    """A database at the revision before sealing, with CASES cases, each with a note and a deleted task."""
    path = tmp_path / "old.sqlite3"
    engine = make_engine(path)
    upgrade(engine, revision_before_sealing())
    engine.dispose()
    with sqlite3.connect(path) as connection:
        entries = []
        for case_id in range(1, CASES + 1):
            entries += [
                ("case", case_id, {"affected_person": [None, f"Person {case_id}"]}),
                ("case_note", case_id, {"case_id": [None, case_id], "text": [None, f"Note om Person {case_id}"]}),
                ("task", 1000 + case_id, {"case_id": [None, case_id], "title": [None, f"Opgave {case_id}"]}),
                ("task", 1000 + case_id, {"title": [f"Opgave {case_id}", None]}),
            ]
        connection.executemany(
            "INSERT INTO audit_entry (at, actor, entity, entity_id, action, changes)"
            " VALUES ('2026-01-01 00:00:00', 'tester', ?, ?, 'create', ?)",
            [(entity, entity_id, json.dumps(changes)) for entity, entity_id, changes in entries],
        )
    return path


def test_the_upgrade_seals_every_case_row_with_one_key_per_case_and_reports_progress(tmp_path: Path) -> None:
    path = old_file(tmp_path)
    heard: list[tuple[str, int, int]] = []
    store = Store.open(path, "tester", progress=lambda stage, done, total: heard.append((stage, done, total)))
    try:
        with store.read() as session:
            entries = list(session.exec(select(AuditEntry).order_by(AuditEntry.id)).all())
            opened = audit.opened_changes(session, entries)
    finally:
        store.close()
    assert [e.case_id for e in entries[:4]] == [1, 1, 1, 1], "a deleted task's entries find their case"
    assert opened[1] == {"case_id": [None, 1], "text": [None, "Note om Person 1"]}
    assert all(entry.sealed and "Person" not in json.dumps(entry.changes) for entry in entries)
    with sqlite3.connect(path) as connection:
        keys = connection.execute("SELECT count(*), count(DISTINCT case_id) FROM audit_key").fetchone()
    assert keys == (CASES, CASES)
    stages = [stage for stage, _done, _total in heard]
    assert stages[0] == "backup" and stages[-1] == "seal"
    assert heard[-1] == ("seal", 4 * CASES, 4 * CASES)
    backup_done = [done for stage, done, total in heard if stage == "backup"]
    assert backup_done == sorted(backup_done), "progress only moves forward"


def test_the_command_line_says_what_the_upgrade_is_doing(tmp_path: Path) -> None:
    path = old_file(tmp_path)
    result = trivsel("retention", "--db", str(path))
    assert result.returncode == 0, result.stderr
    assert "Sikkerhedskopierer databasen før opgraderingen …" in result.stderr
    assert "Opgraderer: krypterer personoplysningerne i auditloggen …" in result.stderr
    assert "Traceback" not in result.stderr
    again = trivsel("retention", "--db", str(path))
    assert again.stderr == "", "an upgraded file opens without a word"


def test_on_a_terminal_the_progress_line_is_rewritten_in_place() -> None:
    class Terminal(io.StringIO):
        def isatty(self) -> bool:
            return True

    screen = Terminal()
    progress = StderrProgress(screen)
    for done in (0, 50, 100):
        progress("seal", done, 100)
    progress.close()
    assert screen.getvalue().startswith("\rOpgraderer: krypterer personoplysningerne i auditloggen: 0 %")
    assert screen.getvalue().endswith(": 100 %\n")
