"""The `trivsel` command as a user runs it: exit codes, stdout, stderr."""

from __future__ import annotations

import json
import os
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

from trivsel_tui.store.migrate import head_revision

GOOD = {
    "occurred_at": "2026-03-02T10:00:00+01:00",
    "behaviours": ["kick"],
    "perpetrator": "citizen",
    "injury": "physical",
    "intentional": True,
}


def trivsel(
    *args: str, stdin: str | None = None, env: dict[str, str] | None = None
) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "trivsel_tui", *args],
        input=stdin,
        capture_output=True,
        text=True,
        env={**os.environ, **(env or {})},
        timeout=120,
    )


def test_classify_file_prints_json(tmp_path: Path) -> None:
    facts = tmp_path / "facts.json"
    facts.write_text(json.dumps(GOOD), encoding="utf-8")
    result = trivsel("classify", str(facts))
    assert result.returncode == 0, result.stderr
    output = json.loads(result.stdout)
    assert output["police_report"] == {
        "relevant": True,
        "deadline": "2026-03-05T10:00:00+01:00",
        "dispensation_possible": GOOD["perpetrator"] == "citizen",
    }
    assert output["rules_version"].startswith("Regelsæt ")
    assert {a["owner_role"] for a in output["actions"]} <= {"hr", "leader", "employee", "work_environment_group"}
    assert output["types"] == ["physical_violence"]


def test_classify_reads_stdin() -> None:
    result = trivsel("classify", "-", stdin=json.dumps(GOOD | {"behaviours": ["ridicule"]}))
    assert result.returncode == 0
    assert json.loads(result.stdout)["types"] == ["degrading_treatment"]


@pytest.mark.parametrize(
    ("stdin", "named"),
    [
        ("not json", "ikke gyldig JSON"),
        ("[1, 2]", "JSON-objekt"),
        (json.dumps({k: v for k, v in GOOD.items() if k != "injury"}), "injury"),
        (json.dumps(GOOD | {"mood": "bad"}), "mood"),
        (json.dumps(GOOD | {"intentional": "ja"}), "intentional"),
        (json.dumps(GOOD | {"behaviours": ["kik"]}), "behaviours"),
        (json.dumps(GOOD | {"occurred_at": "2026-02-30T10:00"}), "occurred_at"),
        (json.dumps(GOOD | {"absence_days": -2}), "absence_days"),
    ],
)
def test_classify_bad_input_exits_2_with_one_line(stdin: str, named: str) -> None:
    result = trivsel("classify", "-", stdin=stdin)
    assert result.returncode == 2
    assert result.stdout == ""
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, result.stderr
    assert named in lines[0]
    assert "Traceback" not in result.stderr


@pytest.mark.parametrize(
    ("stdin", "said"),
    [
        ("{occurred_at: 1}", "linje 1, kolonne 2: et feltnavn skal stå i dobbelte anførselstegn"),
        ('{"behaviours": ["kick" "blow"]}', "(efter feltet behaviours): der mangler et komma"),
        ('{"perpetrator": }', "(efter feltet perpetrator): der mangler en værdi"),
        ('{"a": 1}}', "der står mere efter JSON-objektets afslutning"),
        ('{"place": "a\\q"}', "en ugyldig \\-kode"),
        ('{"absence_days": ' + "1" * 5000 + "}", "for mange cifre"),
    ],
)
def test_classify_json_errors_are_danish_one_liners(stdin: str, said: str) -> None:
    """Review §4.3: the parser's English ("Expecting property name enclosed in double quotes") never leaks."""
    result = trivsel("classify", "-", stdin=stdin)
    assert result.returncode == 2
    assert result.stderr.count("\n") == 1 and said in result.stderr, result.stderr
    assert "Expecting" not in result.stderr and "Extra data" not in result.stderr


@pytest.mark.parametrize(
    ("changes", "said"),
    [
        ({"intentional": "True"}, 'intentional: skal være true, false eller null, ikke "True"'),
        ({"perpetrator": True}, "perpetrator: ukendt værdi true;"),
        ({"behaviours": ["kick", None]}, "behaviours: ukendt værdi null;"),
        ({"absence_days": False}, "absence_days: skal være et helt tal på 0 eller mere, ikke false"),
        ({"\x9b[2J": 1}, '"\ufffd[2J": ukendt felt'),
    ],
)
def test_classify_shows_bad_values_as_json_writes_them(changes: dict[str, object], said: str) -> None:
    """Review §4.3: JSON's true/null, not Python's True/None; a hostile field name is shown harmlessly."""
    result = trivsel("classify", "-", stdin=json.dumps(GOOD | changes))
    assert result.returncode == 2 and said in result.stderr, result.stderr
    assert "\x9b" not in result.stderr


def test_classify_missing_file_exits_2(tmp_path: Path) -> None:
    result = trivsel("classify", str(tmp_path / "nope.json"))
    assert result.returncode == 2
    assert result.stdout == ""
    assert "kan ikke læse" in result.stderr


def test_classify_with_bad_local_adaptation_names_the_key(tmp_path: Path) -> None:
    rules = tmp_path / "lokal.toml"
    rules.write_text("[deadlines.amg_follow_up]\namout = 3\n", encoding="utf-8")
    result = trivsel("classify", "-", "--rules", str(rules), stdin=json.dumps(GOOD))
    assert result.returncode == 2
    assert "deadlines.amg_follow_up.amout" in result.stderr


def test_classify_does_not_import_textual_or_sqlmodel() -> None:
    probe = (
        "import sys, io\n"
        "sys.stdin = io.StringIO(sys.argv[1])\n"
        "sys.argv = ['trivsel', 'classify', '-']\n"
        "from trivsel_tui.cli import main\n"
        "try:\n    main()\nexcept SystemExit:\n    pass\n"
        "heavy = sorted(m for m in ('textual', 'sqlmodel', 'sqlalchemy', 'alembic') if m in sys.modules)\n"
        "sys.stderr.write('HEAVY=' + ','.join(heavy))\n"
    )
    result = subprocess.run([sys.executable, "-c", probe, json.dumps(GOOD)], capture_output=True, text=True)
    assert "HEAVY=" in result.stderr
    assert result.stderr.split("HEAVY=")[1] == ""


def test_version() -> None:
    result = trivsel("--version")
    assert result.returncode == 0
    assert result.stdout.startswith("trivsel-tui ")


def test_info_names_database_and_revision(tmp_path: Path) -> None:
    db = tmp_path / "x.sqlite3"
    result = trivsel("info", "--db", str(db))
    assert result.returncode == 0
    assert str(db) in result.stdout
    assert "findes ikke endnu" in result.stdout
    assert not db.exists(), "info must not create the database"
    assert trivsel("demo", "--db", str(db), "--cases", "5").returncode == 0
    result = trivsel("info", env={"TRIVSEL_DB": str(db)})
    assert f"Skemaversion:      {head_revision()}" in result.stdout


def test_demo_fills_a_database(tmp_path: Path) -> None:
    db = tmp_path / "demo.sqlite3"
    result = trivsel("demo", "--db", str(db), "--cases", "25", "--seed", "3")
    assert result.returncode == 0, result.stderr
    assert "25 sager" in result.stdout
    assert sqlite3.connect(db).execute('SELECT count(*) FROM "case"').fetchone() == (25,)


@pytest.mark.parametrize(
    "args",
    [
        ["demo", "--cases", "abc"],
        ["demo", "--cases", "0"],
        ["--unknown-flag"],
        ["frobnicate"],
        ["classify"],
    ],
)
def test_bad_arguments_exit_non_zero_without_traceback(args: list[str], tmp_path: Path) -> None:
    result = trivsel(*args, env={"TRIVSEL_DB": str(tmp_path / "x.sqlite3")})
    assert result.returncode == 2
    assert "Traceback" not in result.stderr
    assert result.stderr.strip()


def test_db_that_is_not_a_database_gives_a_danish_message(tmp_path: Path) -> None:
    bogus = tmp_path / "notes.txt"
    bogus.write_text("this is not sqlite " * 100, encoding="utf-8")
    result = trivsel("demo", "--db", str(bogus), "--cases", "1")
    assert result.returncode == 2
    assert "er ikke en trivsel-database" in result.stderr
    assert "Traceback" not in result.stderr


def test_db_pointing_at_a_folder_is_refused(tmp_path: Path) -> None:
    result = trivsel("demo", "--db", str(tmp_path), "--cases", "1")
    assert result.returncode != 0
    assert "Traceback" not in result.stderr


def test_demo_and_db_together_are_refused(tmp_path: Path) -> None:
    result = trivsel("--demo", "--db", str(tmp_path / "x.sqlite3"))
    assert result.returncode == 2
    assert "--demo" in result.stderr


def test_bad_settings_file_is_named_as_such(tmp_path: Path) -> None:
    config = tmp_path / "config" / "trivsel-tui"
    config.mkdir(parents=True)
    (config / "settings.toml").write_text("colour = 1\n", encoding="utf-8")
    result = trivsel(
        "demo", "--db", str(tmp_path / "x.sqlite3"), "--cases", "1", env={"XDG_CONFIG_HOME": str(tmp_path / "config")}
    )
    assert result.returncode == 2
    assert result.stderr.startswith("trivsel: indstillinger:")
    assert "colour" in result.stderr


def test_rules_table_shows_owners_and_outcomes_in_danish(tmp_path: Path) -> None:
    """Issue 11: a MED committee reads which actions follow from which facts, and who owns them."""
    result = trivsel("rules", "table")
    assert result.returncode == 0, result.stderr
    out = result.stdout
    assert "Hoved MED-udvalget" in out
    assert "Lovbestemte handlinger" in out and "Søg offererstatning hos Erstatningsnævnet" in out
    assert "Når: uønsket seksuel opmærksomhed, skadevolderen er leder" in out
    assert "Ansvarlig: Arbejdsmiljøgruppen" in out
    assert "violence_threats" not in out and "owner" not in out  # Danish labels, not codes
    local = tmp_path / "lokal.toml"
    local.write_text('name = "Ældreområdet"\nremove = ["conflict_handling"]\n', encoding="utf-8")
    adapted = trivsel("rules", "table", "--rules", str(local))
    assert "lokal tilpasning: Ældreområdet" in adapted.stdout
    assert "(fjernet ved lokal tilpasning)" in adapted.stdout


def test_rules_graph_names_conditions_in_danish() -> None:
    result = trivsel("rules", "graph")
    assert result.returncode == 0
    assert "kun hvis episoden omfatter vold eller trusler" in result.stdout
    assert "violence_or_threat" not in result.stdout.replace('"', "")
