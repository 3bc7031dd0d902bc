"""Encryption at rest with SQLCipher (the `encryption` extra): every path that opens the file works on an
encrypted one, a wrong passphrase is one Danish line, and the raw file holds no personal data."""

from __future__ import annotations

import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest
from textual.widgets import DataTable

from tests.conftest import NOW, settle
from tests.test_cli import trivsel
from tests.test_retention import DESCRIPTION, PERSON, WITNESS, file_bytes, make_case, revision_before_sealing
from trivsel_tui.app import TrivselApp
from trivsel_tui.domain.rules import Rules
from trivsel_tui.settings import Settings
from trivsel_tui.store import cipher
from trivsel_tui.store.backup import BackupError, encrypt_database, restore_database
from trivsel_tui.store.db import make_engine
from trivsel_tui.store.migrate import upgrade
from trivsel_tui.store.revisions import revisions
from trivsel_tui.store.store import Store

pytest.importorskip("sqlcipher3")

PASSPHRASE = "Lang nok adgangsfrase ' med citationstegn"
SECRETS = (PERSON, DESCRIPTION, WITNESS)


def plain_database(tmp_path: Path) -> Path:
    db = tmp_path / "trivsel.sqlite3"
    store = Store.open(db, "tester", lambda: NOW)
    make_case(store)
    store.close()
    assert all(secret.encode() in file_bytes(db) for secret in SECRETS), "the plain file holds them"
    return db


def encrypted_database(tmp_path: Path) -> Path:
    db = plain_database(tmp_path)
    result = trivsel("encrypt", "--db", str(db), stdin=f"{PASSPHRASE}\n{PASSPHRASE}\n")
    assert result.returncode == 0, result.stderr
    assert "er nu krypteret" in result.stdout
    return db


def with_passphrase(*args: str, passphrase: str = PASSPHRASE) -> str:
    return f"{passphrase}\n"


def test_encrypt_leaves_no_plain_file_and_no_personal_data_in_the_raw_bytes(tmp_path: Path) -> None:
    db = encrypted_database(tmp_path)
    raw = file_bytes(db)
    assert not raw.startswith(b"SQLite format 3")
    assert not any(secret.encode() in raw for secret in SECRETS)
    assert sorted(p.name for p in tmp_path.iterdir() if p.name.startswith(".")) == [], "no partial copy is left"
    assert [p.name for p in tmp_path.iterdir() if p.name.startswith(db.name)] == [db.name]
    assert db.stat().st_mode & 0o777 == 0o600
    with pytest.raises(sqlite3.DatabaseError):
        sqlite3.connect(db).execute('SELECT * FROM "case"').fetchall()


def test_every_command_opens_the_encrypted_file_with_the_passphrase(tmp_path: Path) -> None:
    db = encrypted_database(tmp_path)
    info = trivsel("info", "--db", str(db))
    assert info.returncode == 0 and "krypteret (SQLCipher)" in info.stdout
    listed = trivsel("retention", "--json", "--db", str(db), stdin=with_passphrase())
    assert listed.returncode == 0, listed.stderr
    assert '"case": "2026-0001"' in listed.stdout
    checked = trivsel("check", "--db", str(db), stdin=with_passphrase())
    assert checked.returncode == 0, checked.stdout + checked.stderr
    assert "Alt i orden." in checked.stdout
    copy = tmp_path / "kopi.sqlite3"
    backed_up = trivsel("backup", "--db", str(db), "--to", str(copy), stdin=with_passphrase())
    assert backed_up.returncode == 0, backed_up.stderr
    assert cipher.looks_encrypted(copy) and not any(secret.encode() in copy.read_bytes() for secret in SECRETS)
    out = tmp_path / "indsigt"
    exported = trivsel("export-person", PERSON, "--db", str(db), "--out", str(out), stdin=with_passphrase())
    assert exported.returncode == 0, exported.stderr
    restored = trivsel("restore", str(copy), "--db", str(db), stdin=with_passphrase())
    assert restored.returncode == 0, restored.stderr
    assert "Gendannet fra" in restored.stdout
    assert not any(secret.encode() in file_bytes(db) for secret in SECRETS)


@pytest.mark.parametrize("command", [(), ("retention",), ("backup",), ("check",), ("export-person", "Vibeke")])
def test_a_wrong_passphrase_is_one_danish_line_and_the_file_is_unchanged(
    tmp_path: Path, command: tuple[str, ...]
) -> None:
    db = encrypted_database(tmp_path)
    before = db.read_bytes()
    result = trivsel(*command, "--db", str(db), stdin="forkert\n")
    assert result.returncode == 2
    assert result.stderr.strip().splitlines()[-1].startswith(f"trivsel: Adgangsfrasen åbner ikke {db}")
    assert "Traceback" not in result.stderr and "hmac" not in result.stderr.casefold()
    assert db.read_bytes() == before


def test_the_app_asks_until_the_passphrase_is_right_and_gives_up_after_three(tmp_path: Path) -> None:
    db = encrypted_database(tmp_path)
    wrong_twice = trivsel("retention", "--db", str(db), stdin=f"forkert\nogså forkert\n{PASSPHRASE}\n")
    assert wrong_twice.returncode == 0, wrong_twice.stderr
    assert wrong_twice.stderr.count("Forkert adgangsfrase; prøv igen") == 2
    wrong_thrice = trivsel("--db", str(db), stdin="a\nb\nc\nd\n")
    assert wrong_thrice.returncode == 2
    assert "efter 3 forsøg" in wrong_thrice.stderr and "Traceback" not in wrong_thrice.stderr
    nothing = trivsel("--db", str(db), stdin="")
    assert nothing.returncode == 2 and "der blev ikke givet nogen adgangsfrase" in nothing.stderr


async def test_an_encrypted_database_through_the_app(tmp_path: Path, settings: Settings, rules: Rules) -> None:
    db = encrypted_database(tmp_path)
    with pytest.raises(cipher.WrongPassphraseError):
        Store.open(db, "tester", lambda: NOW, key="forkert")
    store = Store.open(db, "tester", lambda: NOW, key=PASSPHRASE)
    app = TrivselApp(store=store, settings=settings, rules=rules, clock=lambda: NOW)
    try:
        async with app.run_test(size=(140, 40)) as pilot:
            await settle(app, pilot)
            await pilot.press("b")  # the retention screen lists the case from the encrypted file
            await settle(app, pilot)
            table = app.screen.query_one(DataTable)
            assert table.row_count == 1
            await pilot.press("t")
            await settle(app, pilot)
    finally:
        store.close()
    assert not any(secret.encode() in file_bytes(db) for secret in SECRETS)


def test_encrypt_is_refused_while_another_program_has_the_file_open(tmp_path: Path) -> None:
    db = plain_database(tmp_path)
    # Another process: SQLite's locks are per process, as they are between the app and `trivsel encrypt`.
    holder = subprocess.Popen(
        [sys.executable, "-c", HOLD_OPEN, str(db)], stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True
    )
    try:
        assert holder.stdout is not None and holder.stdout.readline().strip() == "open"
        refused = trivsel("encrypt", "--db", str(db), stdin=f"{PASSPHRASE}\n{PASSPHRASE}\n")
    finally:
        holder.communicate("")
    assert refused.returncode == 1 and "åben i et andet program" in refused.stderr
    assert db.read_bytes().startswith(b"SQLite format 3") and PERSON.encode() in file_bytes(db)
    assert not [p for p in tmp_path.iterdir() if p.name.endswith(".delvis")]


HOLD_OPEN = """
import sqlite3, sys
connection = sqlite3.connect(sys.argv[1])
connection.execute('SELECT count(*) FROM "case"').fetchall()
print("open", flush=True)
sys.stdin.read()
"""


def test_encrypt_asks_twice_and_refuses_a_short_or_mistyped_passphrase(tmp_path: Path) -> None:
    db = plain_database(tmp_path)
    short = trivsel("encrypt", "--db", str(db), stdin="kort\nkort\n")
    assert short.returncode == 2 and "mindst 10 tegn" in short.stderr
    mistyped = trivsel("encrypt", "--db", str(db), stdin=f"{PASSPHRASE}\n{PASSPHRASE}x\n")
    assert mistyped.returncode == 2 and "ikke ens" in mistyped.stderr
    assert db.read_bytes().startswith(b"SQLite format 3")
    encrypt_database(db, PASSPHRASE)
    again = trivsel("encrypt", "--db", str(db), stdin=f"{PASSPHRASE}\n{PASSPHRASE}\n")
    assert again.returncode == 2 and "allerede krypteret" in again.stderr


def test_the_pre_upgrade_backup_of_an_encrypted_file_is_encrypted(tmp_path: Path) -> None:
    db = tmp_path / "old.sqlite3"
    engine = make_engine(db)
    upgrade(engine, revision_before_sealing())
    engine.dispose()
    encrypt_database(db, PASSPHRASE)
    store = Store.open(db, "tester", lambda: NOW, key=PASSPHRASE)
    store.close()
    assert store.backup_made is not None and cipher.looks_encrypted(store.backup_made)
    cipher.verify(store.backup_made, PASSPHRASE)


def test_restore_refuses_a_plain_copy_into_an_encrypted_database(tmp_path: Path) -> None:
    plain = plain_database(tmp_path)
    encrypted = tmp_path / "krypteret.sqlite3"
    encrypted.write_bytes(plain.read_bytes())
    encrypt_database(encrypted, PASSPHRASE)
    with pytest.raises(BackupError, match="ikke krypteret på samme måde"):
        restore_database(encrypted, plain, NOW, set(revisions()), PASSPHRASE)
    cipher.verify(encrypted, PASSPHRASE)
