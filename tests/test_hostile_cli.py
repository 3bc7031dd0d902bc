"""Hostile or careless input to the command line and the settings file: exit 2, one Danish line, no traceback."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest

from tests.test_cli import GOOD, trivsel


def assert_one_danish_line(result: object, *words: str) -> None:
    stderr: str = result.stderr  # type: ignore[attr-defined]
    assert result.returncode == 2, stderr  # type: ignore[attr-defined]
    assert "Traceback" not in stderr
    assert len(stderr.strip().splitlines()) == 1, stderr
    assert stderr.startswith("trivsel: ")
    for word in words:
        assert word in stderr, stderr


@pytest.fixture
def config(tmp_path: Path) -> dict[str, str]:
    (tmp_path / "config" / "trivsel-tui").mkdir(parents=True)
    return {"XDG_CONFIG_HOME": str(tmp_path / "config")}


def settings_file(env: dict[str, str]) -> Path:
    return Path(env["XDG_CONFIG_HOME"]) / "trivsel-tui" / "settings.toml"


def facts(**changes: object) -> str:
    return json.dumps({**GOOD, **changes})


@pytest.mark.parametrize(
    ("stdin", "words"),
    [
        (facts(occurred_at="9999-12-31T23:00:00+01:00"), ["occurred_at", "9999"]),
        (facts(occurred_at="0001-01-01T10:00:00+01:00"), ["occurred_at", "årstallet 1 "]),
        (facts(first_absence_day="9999-01-01"), ["first_absence_day", "9999"]),
        ("[" * 100_000 + "]" * 100_000, ["for dybt"]),
        ("x" * 1_000_001, ["større end 1 MB"]),
    ],
    ids=["year-9999", "year-1", "absence-9999", "nested-100k", "too-large"],
)
def test_classify_refuses(stdin: str, words: list[str]) -> None:
    assert_one_danish_line(trivsel("classify", "-", stdin=stdin), *words)


def test_classify_does_not_read_dev_zero_to_the_end() -> None:
    assert_one_danish_line(trivsel("classify", "/dev/zero"), "/dev/zero", "større end")


@pytest.mark.parametrize("as_of", ["0001-01-01T00:00", "9999-12-31T23:59", "", "i går"])
def test_due_refuses_an_unusable_as_of(tmp_path: Path, as_of: str) -> None:
    db = tmp_path / "x.sqlite3"
    assert trivsel("demo", "--db", str(db), "--cases", "2").returncode == 0
    assert_one_danish_line(trivsel("due", "--db", str(db), "--as-of", as_of), "--as-of")


@pytest.mark.parametrize(
    ("content", "words"),
    [
        (b'actor = "Lene \xe6\xf8"\n', ["ikke UTF-8"]),
        (b"due_soon_days = 100000000000\n", ["due_soon_days"]),
        (b"due_soon_days = true\n", ["due_soon_days"]),
        (b"actor = {a=1}\n", ["actor"]),
        (b'actor = ""\n', ["actor"]),
        (b'adaptation = "lokal-tilpasning.toml"\n', ["adaptation", "fuld sti"]),
        (b'adaptation = "/nowhere/lokal-tilpasing.toml"\n', ["/nowhere/lokal-tilpasing.toml", "findes ikke"]),
        (b"adaptation = 3\n", ["adaptation"]),
    ],
    ids=["not-utf8", "due-soon-huge", "due-soon-bool", "actor-table", "actor-empty", "relative", "missing", "number"],
)
def test_bad_settings_are_refused(config: dict[str, str], content: bytes, words: list[str]) -> None:
    settings_file(config).write_bytes(content)
    assert_one_danish_line(trivsel("classify", "-", stdin=facts(), env=config), "indstillinger:", *words)


def test_settings_that_are_a_folder_are_refused(config: dict[str, str], tmp_path: Path) -> None:
    settings_file(config).mkdir()
    result = trivsel("due", "--db", str(tmp_path / "x.sqlite3"), env=config)
    assert_one_danish_line(result, "indstillinger:", "mappe")


def test_a_configured_adaptation_is_used_and_shown_by_info(config: dict[str, str], tmp_path: Path) -> None:
    local = tmp_path / "vores-tilpasning.toml"
    local.write_text("[deadlines.police_report]\namount = 48\n", encoding="utf-8")
    settings_file(config).write_text(f"adaptation = {json.dumps(str(local))}\n", encoding="utf-8")

    result = trivsel("classify", "-", stdin=facts(), env=config)
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout)["police_report"]["deadline"] == "2026-03-04T10:00:00+01:00"

    info = trivsel("info", env=config)
    assert f"Lokal tilpasning:  {local} (valgt i indstillingerne)" in info.stdout

    os.rename(local, tmp_path / "omdøbt.toml")  # the 48-hour deadline must not quietly become 72 again
    assert_one_danish_line(trivsel("classify", "-", stdin=facts(), env=config), str(local), "findes ikke")
    assert "findes ikke" in trivsel("info", env=config).stdout
