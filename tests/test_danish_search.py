"""Danish names and titles: search ignores case for æ ø å too, and lists sort … Z, Æ, Ø, Å ("Aa" as Å).

Every list a user searches or sorts is driven here by keys in a real app, and `trivsel due` as a process.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from datetime import timedelta
from pathlib import Path

import pytest
from sqlalchemy import text
from textual.command import CommandList
from textual.widgets import DataTable, Input, Static

from tests.conftest import NOW, settle
from trivsel_tui.app import TrivselApp
from trivsel_tui.domain.danish_text import closeness, search_key, sort_key
from trivsel_tui.domain.rules import Rules
from trivsel_tui.screens.home import TYPING_PAUSE_SECONDS
from trivsel_tui.settings import Settings
from trivsel_tui.store.cases import EpisodeInput, add_task, register_episode
from trivsel_tui.store.migrate import upgrade
from trivsel_tui.store.queries import find_cases, list_workplaces, save_workplace, search_cases
from trivsel_tui.store.store import Store

SIZE = (150, 40)
# In Danish order, which is also the order the assertions expect.
WORKPLACES = [
    "Bakkehuset",
    "Zinnia Hjemmepleje",
    "Ærø Børnehus",
    "Ølsemagle Skole",
    "Åby Plejecenter",
    "Aabybro Bosted",
]
PEOPLE = ["Ole Hansen", "Olesen Bo", "Søren Zink", "Ærbø Ditte", "Aage Jensen", "Åse Ørum"]
TITLES = ["Zoom-møde med AMR", "Ærgerlig fejl rettes", "Øvelse i konflikthåndtering", "Aaben dialog", "Åben samtale"]


@pytest.fixture
def danish(store: Store) -> Store:
    """Six workplaces and six cases with Danish names, each case with a manual task with a Danish title."""
    workplaces = [save_workplace(store, {"name": name}) for name in reversed(WORKPLACES)]
    for i, person in enumerate(reversed(PEOPLE)):
        workplace = workplaces[i]
        assert workplace.id is not None
        case_id, _ = register_episode(store, EpisodeInput(workplace.id, NOW - timedelta(days=i), person, "citizen"))
        if i < len(TITLES):
            add_task(store, case_id, TITLES[-1 - i], NOW + timedelta(days=3))
    return store


def test_keys_fold_case_and_sort_danish() -> None:
    assert search_key("SØREN") == search_key("Søren") == "søren"
    assert search_key("ÆRØ Å") == "ærø å"
    shuffled = ["Åse", "Aage", "Ærø", "Øster", "Zink", "Åby", "abe", "Ole Hansen", "Olesen", "René", "Rasmus"]
    ordered = ["abe", "Ole Hansen", "Olesen", "Rasmus", "René", "Zink", "Ærø", "Øster", "Åby", "Aage", "Åse"]
    assert sorted(shuffled, key=sort_key) == ordered
    assert sort_key("Müller") < sort_key("Mynster") < sort_key("Mørk")  # ü as y, before ø
    assert closeness("jensn", "Mette Jensen") > 0.8 > closeness("jensn", "Svendsen")


@pytest.mark.both_databases
def test_store_search_finds_danish_letters_in_any_case(danish: Store) -> None:
    def people(text: str) -> set[str]:
        return {row.person for row in search_cases(danish, text)}

    assert people("ølsemagle") == {"Ærbø Ditte"}  # her workplace is "Ølsemagle Skole"
    assert people("ørum") == {"Åse Ørum"}
    assert people("SØREN") == {"Søren Zink"}
    assert people("ÆRBØ") == {"Ærbø Ditte"}
    assert people("100%") == set()  # a LIKE wildcard typed by the user is a literal character
    assert people("_") == set()


@pytest.mark.both_databases
def test_store_lists_sort_danish(danish: Store) -> None:
    assert [w.name for w in list_workplaces(danish)] == WORKPLACES
    assert [r.person for r in search_cases(danish, "", sort="person", descending=False)] == PEOPLE
    assert [r.workplace for r in search_cases(danish, "", sort="workplace", descending=False)] == WORKPLACES
    assert [r.person for r in find_cases(danish, "jensn", 20)] == ["Aage Jensen"]


def make_app(store: Store, settings: Settings, rules: Rules) -> TrivselApp:
    return TrivselApp(store=store, settings=settings, rules=rules, clock=lambda: NOW)


def column(table: DataTable[object], key: str) -> list[str]:
    return [str(value) for value in table.get_column(key)]


async def test_case_list_searches_and_sorts_danish(danish: Store, settings: Settings, rules: Rules) -> None:
    app = make_app(danish, settings, rules)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("s")
        await settle(app, pilot)
        table = app.screen.query_one("#cases", DataTable)
        search = app.screen.query_one("#filter", Input)
        for typed, person in (("ølse", "Ærbø Ditte"), ("SØREN", "Søren Zink"), ("ørum", "Åse Ørum")):
            search.value = typed
            await settle(app, pilot)
            assert column(table, "person") == [person], typed
        search.value = ""
        await settle(app, pilot)
        await pilot.press("down", "ctrl+o")  # sort by workplace, A–Å
        await settle(app, pilot)
        assert column(table, "workplace") == WORKPLACES
        await pilot.press("ctrl+o")  # by person
        await settle(app, pilot)
        assert column(table, "person") == PEOPLE
        await pilot.press("ctrl+r")
        await settle(app, pilot)
        assert column(table, "person") == PEOPLE[::-1]


async def test_dashboard_searches_and_sorts_danish(danish: Store, settings: Settings, rules: Rules) -> None:
    app = make_app(danish, settings, rules)
    async with app.run_test(size=SIZE) as pilot:
        await settle(app, pilot)
        table = app.screen.query_one("#due", DataTable)
        await pilot.press("ctrl+o")  # by title
        await settle(app, pilot)
        titles = [title for title in column(table, "what") if title in TITLES]
        assert titles == TITLES
        await pilot.press("slash")
        app.screen.query_one("#search", Input).value = "ØLSE"
        await settle(app, pilot)
        wheres = column(table, "where")
        assert wheres and all("Ølsemagle Skole" in where for where in wheres)
        app.screen.query_one("#search", Input).value = "åben"
        await settle(app, pilot)
        assert column(table, "what") == ["Åben samtale"]
        showing = app.screen.query_one("#showing", Static)
        assert "Viser 1 af … " in str(showing.render()), "no count while typing: it would slow the next key"
        await pilot.pause(TYPING_PAUSE_SECONDS)
        await settle(app, pilot)
        assert "Viser 1 af 1 " in str(showing.render()), "counted once the typing pauses"


async def test_workplaces_screen_lists_danish_order(danish: Store, settings: Settings, rules: Rules) -> None:
    app = make_app(danish, settings, rules)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("a")
        await settle(app, pilot)
        assert column(app.screen.query_one("#workplaces", DataTable), "name") == WORKPLACES


async def palette_hits(app: TrivselApp, pilot: object, typed: str, expected: str) -> list[str]:
    """Type into the open palette and wait until a hit naming `expected` is listed (or give up)."""
    palette = app.screen.query_one("#--input Input", Input)
    palette.value = typed
    command_list = app.screen.query_one(CommandList)
    hits: list[str] = []
    for _ in range(150):
        await pilot.pause(0.02)  # type: ignore[attr-defined]
        hits = [str(command_list.get_option_at_index(i).prompt) for i in range(command_list.option_count)]
        if any(expected in hit for hit in hits):
            break
    return hits


async def test_palette_finds_danish_names_and_tolerates_a_typo(danish: Store, settings: Settings, rules: Rules) -> None:
    app = make_app(danish, settings, rules)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("ctrl+p")
        await pilot.pause()
        assert any("Ærbø Ditte" in hit for hit in await palette_hits(app, pilot, "ølse", "Ærbø Ditte"))
        assert any("Åse Ørum" in hit for hit in await palette_hits(app, pilot, "ØRUM", "Åse Ørum"))
        hits = await palette_hits(app, pilot, "jensn", "Aage Jensen")
        assert any("Aage Jensen" in hit for hit in hits)
        assert not any("Ole Hansen" in hit for hit in hits)


def test_trivsel_due_searches_and_sorts_danish(danish: Store) -> None:
    def due(*args: str) -> list[dict[str, object]]:
        result = subprocess.run(
            [sys.executable, "-m", "trivsel_tui", "due", "--db", str(danish.path), "--json", *args],
            capture_output=True,
            text=True,
            env=os.environ,
            timeout=120,
        )
        assert result.returncode == 0, result.stderr
        return json.loads(result.stdout)

    titles = [row["title"] for row in due("--sort", "title") if row["title"] in TITLES]
    assert titles == TITLES
    assert [row["title"] for row in due("--search", "ÅBEN")] == ["Åben samtale"]
    wheres = [row["workplace"] for row in due("--sort", "where") if row["case"] is None]
    assert wheres == sorted(wheres, key=sort_key) and wheres[0] == "Bakkehuset" and wheres[-1] == "Aabybro Bosted"
    bad = subprocess.run(
        [sys.executable, "-m", "trivsel_tui", "due", "--db", str(danish.path), "--sort", "hvad"],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert bad.returncode == 2 and bad.stderr.count("\n") == 1 and "--sort" in bad.stderr


def test_upgrade_fills_keys_for_existing_rows(tmp_path: Path) -> None:
    path = tmp_path / "old.sqlite3"
    old = Store(path, "tester")
    upgrade(old.engine, "0006")
    stamp = "'2026-01-01 10:00:00'"
    with old.engine.begin() as connection:
        connection.execute(
            text(
                "INSERT INTO workplace (id, name, unit, med_level, risk_violence_citizens, risk_sexual_citizens,"
                " leader_name, amr_name, tr_name, local_adaptation_decision, created_at, updated_at)"
                f" VALUES (1, 'Ølsemagle Skole', '', '', 0, 0, 'Åse Ørum', '', '', '', {stamp}, {stamp})"
            )
        )
        connection.execute(
            text(
                'INSERT INTO "case" (id, ref, workplace_id, affected_person, consultant, status, close_reason,'
                f" created_at, updated_at) VALUES (1, '2026-0001', 1, 'SØREN AAGAARD', 'Lene', 'open', '',"
                f" {stamp}, {stamp})"
            )
        )
        connection.execute(
            text(
                "INSERT INTO task (id, case_id, action_code, title, basis, categories, done_by, note,"
                f" created_at, updated_at) VALUES (1, 1, 'manual', 'Ændr vagtplanen', '', '', '', '', {stamp}, {stamp})"
            )
        )
    old.close()

    upgraded = Store.open(path, "tester", lambda: NOW)
    with upgraded.engine.connect() as connection:
        keys = connection.execute(
            text(
                "SELECT w.name_search, w.leader_name_sort, c.affected_person_search, c.affected_person_sort,"
                " t.title_sort"
                ' FROM workplace w JOIN "case" c ON c.workplace_id = w.id JOIN task t ON t.case_id = c.id'
            )
        ).one()
    assert tuple(keys) == (
        "ølsemagle skole",
        sort_key("Åse Ørum"),
        "søren aagaard",
        sort_key("Søren Ågaard"),
        sort_key("ændr vagtplanen"),
    )
    assert [row.person for row in search_cases(upgraded, "ølse")] == ["SØREN AAGAARD"]
    upgraded.close()
