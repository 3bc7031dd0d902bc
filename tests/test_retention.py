"""Retention, hold, kassation that really erases, and CPR redaction in a case and its audit history."""

from __future__ import annotations

import json
import re
import sqlite3
from datetime import timedelta
from pathlib import Path

import pytest
from sqlmodel import select
from textual.widgets import DataTable, TextArea

from tests.conftest import NOW, settle
from tests.test_cli import trivsel
from trivsel_tui.app import TrivselApp
from trivsel_tui.domain.retention import load_retention
from trivsel_tui.domain.rules import Rules
from trivsel_tui.settings import Settings
from trivsel_tui.store import audit, migrations
from trivsel_tui.store.cases import EpisodeInput, add_note, register_episode, set_case_status
from trivsel_tui.store.check import check_database
from trivsel_tui.store.models import AuditEntry, Case, CaseNote, CaseParty, Workplace
from trivsel_tui.store.parties import PartyInput, save_party
from trivsel_tui.store.retention import (
    RetentionError,
    compact,
    discard_case,
    redact_cpr,
    release_hold,
    retention_rows,
    set_hold,
)
from trivsel_tui.store.store import Store

PERSON = "Vibeke Kjærgaard-Olesen"
DESCRIPTION = "Borgeren slog Vibeke med en stol i fællesstuen"
CPR = "0712834417"
NOTE = f"Lægen har skrevet CPR {CPR[:6]}-{CPR[6:]} på erklæringen"
WITNESS = "Torben Ahlefeldt-Laurvig"
SUBJECT = "Svend Åge Brøndum"


def make_case(store: Store, person: str = PERSON, description: str = DESCRIPTION, witness: str = WITNESS) -> int:
    with store.write() as session:
        workplace = session.exec(select(Workplace)).first() or Workplace(name="Bofællesskabet Solsikken")
        session.add(workplace)
        session.flush()
        workplace_id = workplace.id
    assert workplace_id is not None
    data = EpisodeInput(
        workplace_id=workplace_id,
        occurred_at=NOW - timedelta(days=3),
        affected_person=person,
        perpetrator="citizen",
        description=description,
        witnesses=witness,
    )
    case_id, _episode = register_episode(store, data)
    if person == PERSON:
        add_note(store, case_id, NOTE)
        save_party(store, case_id, PartyInput("subject", SUBJECT, relation="relative", note=f"Søn af {PERSON}"))
    return case_id


def file_bytes(path: Path) -> bytes:
    return b"".join(p.read_bytes() for p in path.parent.iterdir() if p.name.startswith(path.name))


def secrets(text: str) -> list[bytes]:
    return [text.encode()]


@pytest.mark.both_databases
def test_audit_values_of_a_case_are_sealed_and_open_with_its_key(store: Store) -> None:
    case_id = make_case(store)
    with store.read() as session:
        entries = audit.case_entries(session, case_id)
        opened = audit.opened_changes(session, entries)
    created = next(v for e, v in zip(entries, opened, strict=True) if e.entity == "case" and e.action == "create")
    assert created is not None and created["affected_person"] == [None, PERSON]
    assert all(e.sealed and all(value is None for value in e.changes.values()) for e in entries)
    assert PERSON.encode() not in b"".join(str(e.changes).encode() + (e.sealed or "").encode() for e in entries)


@pytest.mark.both_databases
def test_every_case_gets_a_retention_date_from_the_rules(store: Store) -> None:
    open_id = make_case(store)
    closed_id = make_case(store, "Anden Person", "Trussel i telefonen", "")
    set_case_status(store, closed_id, "closed", "Afsluttet")
    rows = {row.case_id: row for row in retention_rows(store, NOW.date())}
    assert rows[open_id].until is None and not rows[open_id].due
    assert rows[closed_id].until == NOW.date().replace(year=NOW.year + rows[closed_id].rule.years)
    rules = load_retention()
    assert all(rule.source and rule.local_default for rule in (*rules.rules, rules.default))
    violation = rules.rule_for(["violence_threats"], ["violation"])
    assert violation.code == "violation" and violation.years > rules.rule_for(["violence_threats"], [None]).years, (
        "a krænkelse is kept as evidence for a later erhvervssygdom claim: longer than the plain category"
    )


@pytest.mark.sqlite_only
def test_kassation_leaves_no_personal_data_in_the_file(store: Store, db_path: Path) -> None:
    case_id = make_case(store)
    other = make_case(store, "Bliver Tilbage", "Råb på gangen", "Ingen")
    set_case_status(store, case_id, "closed", f"Afsluttet for {PERSON}")
    entries_before = _audit_count(store)
    ref = discard_case(store, case_id, "Opbevaringsfristen er udløbet", NOW.date(), early=True)
    compact(store)
    raw = file_bytes(db_path)
    for secret in (PERSON, DESCRIPTION, WITNESS, CPR[:6], "Vibeke", SUBJECT, "Brøndum"):
        assert secret.encode() not in raw, f"{secret!r} is still in the file after kassation"
    with store.read() as session:
        assert session.get(Case, case_id) is None and session.get(Case, other) is not None
        assert not session.exec(select(CaseParty).where(CaseParty.case_id == case_id)).all()
        discard = session.exec(select(AuditEntry).where(AuditEntry.action == "discard")).one()
        assert discard.changes["ref"] == [None, ref] and discard.changes["reason"][1].startswith("Opbevaring")
        left = audit.opened_changes(session, audit.case_entries(session, case_id))
    assert _audit_count(store) > entries_before, "the audit skeleton stays: nothing is deleted from the log"
    assert [values for values in left if values is not None] == [discard.changes]
    assert b"Bliver Tilbage" in file_bytes(db_path)
    assert all(finding.ok for finding in check_database(db_path)[:3])


def _audit_count(store: Store) -> int:
    with store.read() as session:
        return len(session.exec(select(AuditEntry)).all())


@pytest.mark.both_databases
def test_a_case_on_hold_cannot_be_discarded_and_hold_and_release_are_audited(store: Store) -> None:
    case_id = make_case(store)
    set_case_status(store, case_id, "closed", "Afsluttet")
    set_hold(store, case_id, "occupational_disease_claim", "Anmeldt som erhvervssygdom 2026")
    with pytest.raises(RetentionError, match="tilbageholdt"):
        discard_case(store, case_id, "Udløbet", NOW.date(), early=True)
    assert not [row for row in retention_rows(store, NOW.date() + timedelta(days=365 * 30)) if row.due]
    release_hold(store, case_id, "Sagen om erhvervssygdom er afgjort")
    with store.read() as session:
        entries = audit.case_entries(session, case_id)
        opened = audit.opened_changes(session, entries)
    actions = [(e.action, sorted(e.changes)) for e in entries]
    assert ("update", ["hold_kind", "hold_reason"]) in actions
    assert ("release_hold", ["reason"]) in actions
    assert any(v and v.get("hold_reason", [None, None])[1] == "Anmeldt som erhvervssygdom 2026" for v in opened)
    assert discard_case(store, case_id, "Udløbet", NOW.date(), early=True)


@pytest.mark.both_databases
def test_discard_refuses_an_open_case_a_case_not_yet_due_and_a_missing_reason(store: Store) -> None:
    case_id = make_case(store)
    with pytest.raises(RetentionError, match="åben"):
        discard_case(store, case_id, "Udløbet", NOW.date(), early=True)
    set_case_status(store, case_id, "closed", "Afsluttet")
    with pytest.raises(RetentionError, match="først"):
        discard_case(store, case_id, "Udløbet", NOW.date())
    with pytest.raises(RetentionError, match="begrundelse"):
        discard_case(store, case_id, "  ", NOW.date(), early=True)


@pytest.mark.sqlite_only
def test_a_cpr_number_is_removed_from_the_case_and_its_whole_history(store: Store, db_path: Path) -> None:
    case_id = make_case(store)
    removed = redact_cpr(store, case_id)
    assert removed >= 2, "the note itself and the note's create entry in the audit log"
    compact(store)
    assert CPR[:6].encode() not in file_bytes(db_path)
    with store.read() as session:
        note = session.exec(select(CaseNote).where(CaseNote.case_id == case_id)).one()
        entries = audit.case_entries(session, case_id)
        opened = audit.opened_changes(session, entries)
    assert "[CPR fjernet]" in note.text
    assert all(values is not None for values in opened), "the rest of the history is still readable"
    assert PERSON in json.dumps(opened, ensure_ascii=False)
    assert entries[-1].action == "redact_cpr" and entries[-1].sealed is None
    with pytest.raises(RetentionError, match="CPR"):
        redact_cpr(store, case_id)


def revision_before_sealing() -> str:
    versions = Path(migrations.__file__).parent / "versions"
    (migration,) = versions.glob("*_retention_sealed_audit.py")
    return re.findall(r'^down_revision = "(\w+)"', migration.read_text(encoding="utf-8"), re.MULTILINE)[0]


def test_existing_audit_rows_are_kept_and_sealed_by_the_migration(tmp_path: Path) -> None:
    from trivsel_tui.store.db import make_engine
    from trivsel_tui.store.migrate import upgrade

    path = tmp_path / "old.sqlite3"
    engine = make_engine(path)
    upgrade(engine, revision_before_sealing())
    engine.dispose()
    with sqlite3.connect(path) as connection:
        connection.executescript(
            "INSERT INTO workplace (id, name, unit, med_level, risk_violence_citizens, risk_sexual_citizens,"
            " leader_name, amr_name, tr_name, local_adaptation_decision, created_at, updated_at)"
            " VALUES (1, 'Solsikken', '', '', 0, 0, '', '', '', '', '2026-01-01', '2026-01-01');"
        )
        for entity, entity_id, changes in (
            ("workplace", 1, {"name": [None, "Solsikken"]}),
            ("case", 7, {"affected_person": [None, PERSON]}),
            ("case_note", 3, {"case_id": [None, 7], "text": [None, NOTE]}),
        ):
            connection.execute(
                "INSERT INTO audit_entry (at, actor, entity, entity_id, action, changes) VALUES (?, ?, ?, ?, ?, ?)",
                ("2026-01-01 00:00:00", "tester", entity, entity_id, "create", json.dumps(changes)),
            )
    store = Store.open(path, "tester")
    try:
        with store.read() as session:
            entries = session.exec(select(AuditEntry).order_by(AuditEntry.id)).all()
            opened = audit.opened_changes(session, list(entries))
    finally:
        store.close()
    assert len(entries) == 3
    assert [e.case_id for e in entries] == [None, 7, 7]
    assert opened[1] == {"affected_person": [None, PERSON]} and opened[2]["text"] == [None, NOTE]
    assert entries[0].changes == {"name": None} and opened[0] == {"name": [None, "Solsikken"]}, "a workplace's own key"
    assert PERSON.encode() not in json.dumps([e.changes for e in entries]).encode()
    assert all(finding.ok for finding in check_database(path)[:2]), "the append-only guards are back"


def test_retention_and_discard_on_the_command_line(tmp_path: Path) -> None:
    db = tmp_path / "trivsel.sqlite3"
    store = Store.open(db, "tester", lambda: NOW - timedelta(days=365 * 30))
    case_id = make_case(store)
    set_case_status(store, case_id, "closed", "Afsluttet")
    with store.read() as session:
        ref = session.get(Case, case_id).ref  # type: ignore[union-attr]
    store.close()
    listed = trivsel("retention", "--due", "--json", "--db", str(db))
    assert listed.returncode == 0, listed.stderr
    (row,) = json.loads(listed.stdout)
    assert row["case"] == ref and row["due"] and row["source"] and row["local_default"] is True
    held = trivsel("hold", ref, "--kind", "litigation", "--reason", "Retssag anlagt", "--db", str(db))
    assert held.returncode == 0, held.stderr
    refused = trivsel("discard", ref, "--reason", "Udløbet", "--db", str(db), stdin=f"{ref}\n")
    assert refused.returncode == 1 and "tilbageholdt" in refused.stderr
    assert trivsel("release", ref, "--reason", "Dom afsagt", "--db", str(db)).returncode == 0
    wrong = trivsel("discard", ref, "--reason", "Udløbet", "--db", str(db), stdin="nej\n")
    assert wrong.returncode == 1 and "ikke slettet" in wrong.stderr
    done = trivsel("discard", ref, "--reason", "Udløbet", "--db", str(db), stdin=f"{ref}\n")
    assert done.returncode == 0, done.stderr
    assert ref in done.stdout
    assert PERSON.encode() not in file_bytes(db)


def test_export_person_finds_them_as_affected_and_as_witness_and_is_private_and_audited(tmp_path: Path) -> None:
    db = tmp_path / "trivsel.sqlite3"
    store = Store.open(db, "tester", lambda: NOW)
    affected = make_case(store)
    witnessed = make_case(store, "Karen Holm", "Råb på gangen", f"{PERSON.upper()} og en elev")
    make_case(store, "Ikke Med", "Andet", "Ingen")
    about = make_case(store, "Karl Andersen", "Spyt", "")
    save_party(store, about, PartyInput("subject", "Vibeke Kjærgaard-Olesen", relation="colleague"))
    store.close()
    out = tmp_path / "ud"
    result = trivsel("export-person", "vibeke kjærgaard-olesen", "--db", str(db), "--out", str(out))
    assert result.returncode == 0, result.stderr
    (markdown,) = out.glob("*.md")
    (as_json,) = out.glob("*.json")
    assert "vibeke" not in markdown.name.casefold(), "the file name must not carry the name"
    assert {stat_mode(markdown), stat_mode(as_json)} == {0o600}
    data = json.loads(as_json.read_text(encoding="utf-8"))
    roles = {case["case"]["id"]: case["roles"] for case in data["cases"]}
    assert roles == {affected: ["affected", "mentioned"], witnessed: ["witness"], about: ["subject"]}
    first = next(case for case in data["cases"] if case["case"]["id"] == affected)
    assert first["episodes"][0]["description"] == DESCRIPTION
    assert any(entry["changes"] and entry["changes"].get("text") == [None, NOTE] for entry in first["history"])
    text = markdown.read_text(encoding="utf-8")
    assert "sagen handler om personen" in text and "vidne" in text and "Ikke Med" not in text
    assert "den, sagen handler om" in text and "Parter i sagen" in text and SUBJECT in text
    with sqlite3.connect(db) as connection:
        (changes,) = connection.execute("SELECT changes FROM audit_entry WHERE action = 'export_person'").fetchone()
    assert "Vibeke" not in changes and "vibeke" not in changes
    missing = trivsel("export-person", "Ukendt Person", "--db", str(db), "--out", str(out))
    assert missing.returncode == 1 and "intet om" in missing.stderr


def stat_mode(path: Path) -> int:
    return path.stat().st_mode & 0o777


async def test_retention_screen_discards_a_due_case_and_refuses_one_on_hold(
    store: Store, settings: Settings, rules: Rules
) -> None:
    due = make_case(store)
    held = make_case(store, "Holdt Tilbage", "Sag med retssag", "Ingen")
    for case_id in (due, held):
        set_case_status(store, case_id, "closed", "Afsluttet")
    set_hold(store, held, "litigation", "Retssag anlagt")
    later = NOW + timedelta(days=365 * 21)
    app = TrivselApp(store=store, settings=settings, rules=rules, clock=lambda: later)
    async with app.run_test(size=(140, 40)) as pilot:
        await pilot.press("b")
        await settle(app, pilot)
        screen = app.screen
        table = screen.query_one(DataTable)
        assert table.row_count == 2
        assert "skal kasseres" in " ".join(str(c) for c in table.get_row_at(0))
        assert "tilbageholdt (Retssag): Retssag anlagt" in " ".join(str(c) for c in table.get_row_at(1))
        table.move_cursor(row=1)
        await pilot.press("k")
        await pilot.pause()
        assert app.screen is screen, "a case on hold is refused before any dialog"
        assert any("tilbageholdt" in str(n.message) for n in app._notifications)
        table.move_cursor(row=0)
        await pilot.press("k")
        await pilot.pause()
        await pilot.press("j")  # yes, discard
        await pilot.pause()
        app.screen.query_one(TextArea).text = "Opbevaringsfristen er udløbet"
        await pilot.press("ctrl+s")
        await settle(app, pilot)
        assert table.row_count == 1
    with store.read() as session:
        assert session.get(Case, due) is None and session.get(Case, held) is not None


async def test_the_retention_screen_exports_the_selected_persons_data(
    store: Store, settings: Settings, rules: Rules, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    make_case(store)
    monkeypatch.setattr("trivsel_tui.screens.retention.documents_dir", lambda: tmp_path / "docs")
    app = TrivselApp(store=store, settings=settings, rules=rules, clock=lambda: NOW)
    async with app.run_test(size=(140, 40)) as pilot:
        await pilot.press("b")
        await settle(app, pilot)
        await pilot.press("i")
        await settle(app, pilot)
    (markdown,) = (tmp_path / "docs").glob("*.md")
    assert PERSON in markdown.read_text(encoding="utf-8") and stat_mode(markdown) == 0o600
