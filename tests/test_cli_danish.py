"""The command line speaks Danish: help pages and usage errors, as a user runs `trivsel` (subprocess)."""

from __future__ import annotations

import os
import subprocess
import sys

import pytest
import typer

from trivsel_tui.cli import cli

ENGLISH = [
    "Usage",
    "Options",
    "Arguments",
    "Commands",
    "Show this",
    "Error",
    "Try ",
    "No such",
    "Missing",
    "Invalid",
    "Got unexpected",
    "Possible",
    "Did you mean",
    "required",
    "default",
    "[OPTIONS]",
    "COMMAND",
]


def trivsel(*args: str) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "PYTHONWARNINGS": "ignore"}
    return subprocess.run(
        [sys.executable, "-m", "trivsel_tui", *args], capture_output=True, text=True, env=env, timeout=120
    )


def command_paths() -> list[list[str]]:
    """Every command and group of the real app, found by walking it (new commands are covered too)."""
    paths: list[list[str]] = []

    def walk(command: object, path: list[str]) -> None:
        paths.append(path)
        for name, sub in sorted(getattr(command, "commands", {}).items()):
            walk(sub, [*path, name])

    walk(typer.main.get_command(cli), [])
    return paths


def test_the_walk_finds_every_command() -> None:
    assert {" ".join(p) for p in command_paths()} >= {"", "info", "demo", "classify", "due", "rules", "rules graph"}


@pytest.mark.parametrize("path", command_paths(), ids=lambda p: " ".join(p) or "trivsel")
def test_every_help_page_is_danish(path: list[str]) -> None:
    result = trivsel(*path, "--help")
    assert result.returncode == 0, result.stderr
    assert result.stdout.startswith("Brug: trivsel")
    assert "Tilvalg:" in result.stdout
    assert "--help  " in result.stdout and "Vis denne hjælp og afslut." in result.stdout
    leaked = [word for word in ENGLISH if word in result.stdout]
    assert leaked == [], result.stdout


@pytest.mark.parametrize(
    ("args", "danish"),
    [
        (["--unknown-flag"], "ukendt tilvalg --unknown-flag"),
        (["demo", "--cas", "3"], "ukendt tilvalg --cas – mente du --cases?"),
        (["classify"], "mangler FIL"),
        (["demo", "--cases", "abc"], "ugyldig værdi for --cases: skal være et helt tal fra 1 til 1.000.000"),
        (["demo", "--cases", "0"], "ugyldig værdi for --cases"),
        (["demo", "--seed", "1.5"], "ugyldig værdi for --seed: skal være et helt tal"),
        (["demo", "--cases"], "tilvalget --cases skal have en værdi"),
        (["due", "--json=3"], "tilvalget --json tager ingen værdi"),
        (["--rules", "."], "ugyldig værdi for --rules: skal være en fil, ikke en mappe"),
        (["report", "--year", "3"], "ugyldig værdi for --year: skal være et årstal fra 2000 til 2100"),
        (["rules"], "mangler en kommando (graph, table)"),
        (["frobnicate"], "ukendt kommando »frobnicate«"),
        (["classify", "a", "b"], "for mange argumenter: b"),
    ],
)
def test_usage_errors_are_one_danish_line_exit_2(args: list[str], danish: str) -> None:
    result = trivsel(*args)
    assert result.returncode == 2
    assert result.stdout == ""
    lines = result.stderr.splitlines()
    assert len(lines) == 1, result.stderr
    assert lines[0].startswith("trivsel: ")
    assert danish in lines[0]
    assert "--help')" in lines[0]
    assert [word for word in ENGLISH if word in lines[0]] == []


def test_control_characters_in_an_unknown_option_are_not_sent_to_the_terminal() -> None:
    result = trivsel("--x\x1b[2J\x07")
    assert result.returncode == 2
    assert "\x1b" not in result.stderr and "\x07" not in result.stderr
    assert "\\x1b[2J\\x07" in result.stderr
