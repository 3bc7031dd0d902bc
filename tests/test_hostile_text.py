"""Hostile text in every user field is shown literally on every screen, dialog and the palette.

The rows are written straight into the SQLite file, past the store's cleaning hook, as an old row or
another program would have left them. Nothing may run (a markup action, a terminal escape), nothing may
crash, and the text must be there to read.
"""

from __future__ import annotations

import json
import sqlite3
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest
from rich.segment import Segment
from textual import events
from textual.command import CommandList
from textual.widgets import Input, Select

from tests.conftest import NOW, settle
from trivsel_tui.app import TrivselApp
from trivsel_tui.domain.meetings import Attendee, Body
from trivsel_tui.domain.rules import Rules
from trivsel_tui.meeting_minutes import minutes_for
from trivsel_tui.messages import OpenMeeting, RegisterEpisode
from trivsel_tui.settings import Settings
from trivsel_tui.store.cases import add_note, add_task, complete_task, set_case_status
from trivsel_tui.store.demo import generate_demo
from trivsel_tui.store.meeting_view import correct_minutes, meeting_detail
from trivsel_tui.store.meetings import DecisionInput, add_free_item, close_meeting, create_meeting, record_decision
from trivsel_tui.store.outcomes import OutcomeInput, save_outcome
from trivsel_tui.store.parties import PartyInput, save_party
from trivsel_tui.store.plans import ItemInput, add_cause, open_or_create_case_plan, save_item
from trivsel_tui.store.store import Store
from trivsel_tui.store.talks import TalkInput, add_talk
from trivsel_tui.store.text_keys import keys_for

OSC52 = "\x1b]52;c;SGFjaw==\x07"
HOSTILE = (
    f"Pia/Ole [AMR] [@click=app.quit]KLIKHER[/] Skolen [/ [link=https://x]L{OSC52}\x1b[2J\x9b2J 👩\u200d👩\u200d👧 שלום"
)
CONTROLS = ("\x1b", "\x07", "\x9b")
CLICK_ME = "Olesen [@click=app.quit]KLIKHER[/]"

# Every column a person types into (plus the actor names), as (table, column).
USER_TEXT = {
    "workplace": ("name", "unit", "med_level", "leader_name", "amr_name", "tr_name", "local_adaptation_decision"),
    '"case"': ("affected_person", "affected_job", "consultant", "close_reason"),
    "episode": ("place", "description", "witnesses", "reported_by", "override_reason"),
    "task": ("title", "note", "done_by"),
    "case_note": ("text", "author"),
    "action_plan": ("employees_involved",),
    "plan_cause": ("text",),
    "action_item": ("measure", "responsible", "drop_reason", "effect_note", "note"),
    "audit_entry": ("actor",),
    "case_party": ("name", "job", "note"),
    "individual_talk": ("employee", "topic", "agreed_action"),
    "episode_outcome": ("insubiz_ref", "police_journal"),
    "meeting": ("body_name",),
    "meeting_item": ("title", "decision", "follow_up_by"),
    "meeting_action": ("text", "owner"),
    "meeting_minutes": ("markdown", "reason"),
}
SIZE = (160, 50)


def poison(path: Path) -> None:
    """Put the hostile text at the front of every user-text column, bypassing the store."""
    with sqlite3.connect(path) as connection:
        connection.execute("DROP TRIGGER IF EXISTS audit_entry_no_update")
        for table, columns in USER_TEXT.items():
            for column in columns:
                # The id keeps unique names unique; a short front keeps the markup visible in narrow cells.
                connection.execute(f"UPDATE {table} SET {column} = id || ' ' || ? || ' ' || {column}", (HOSTILE,))
        # A meeting's attendees are a JSON list of names and roles.
        attendees = json.dumps([{"name": f"{CLICK_ME} {HOSTILE}", "role": "member"}])
        connection.execute("UPDATE meeting SET attendees = ?", (attendees,))


@pytest.fixture
def hostile(store: Store, rules: Rules) -> tuple[Store, int]:
    generate_demo(store, rules, 4, 3, NOW)
    with store.read() as session:
        case_id = int(session.connection().exec_driver_sql('SELECT min(id) FROM "case"').scalar_one())
    add_note(store, case_id, "en note")
    done = add_task(store, case_id, "opgave", NOW + timedelta(days=3))
    complete_task(store, done, "klaret")
    add_task(store, case_id, "åben opgave", NOW + timedelta(days=3))
    set_case_status(store, case_id, "open", "genåbnet")
    plan_id = open_or_create_case_plan(store, case_id)
    cause = add_cause(store, plan_id, "årsag", "other")
    save_item(store, plan_id, ItemInput("tiltag", "short", "solution", "leder", NOW.date(), (cause,)))
    poison(store.path)
    return store, case_id


def strips(app: TrivselApp) -> list[list[Segment]]:
    return [list(strip) for strip in app.screen._compositor.render_strips()]


def screen_text(app: TrivselApp) -> str:
    return "\n".join("".join(segment.text for segment in strip) for strip in strips(app))


def assert_literal(app: TrivselApp, *expected: str) -> None:
    """Nothing raw reaches the terminal, no user text carries an action, and `expected` can be read."""
    assert app.is_running and app.return_code is None
    text = screen_text(app)
    for control in CONTROLS:
        assert control not in text
    for strip in strips(app):
        for segment in strip:
            meta = segment.style.meta if segment.style else {}
            assert "KLIKHER" not in segment.text or "@click" not in meta, "user text became clickable"
    for piece in expected:
        assert piece in text, f"{piece!r} not on {type(app.screen).__name__}"


def position_of(app: TrivselApp, piece: str) -> tuple[int, int]:
    for y, line in enumerate(screen_text(app).splitlines()):
        if piece in line:
            return line.index(piece), y
    raise AssertionError(f"{piece!r} is not on the screen")


async def visit(app: TrivselApp, pilot: Any, *keys: str, expect: tuple[str, ...] = ("[AMR]",)) -> None:
    await pilot.press(*keys)
    await settle(app, pilot)
    assert_literal(app, *expect)


def make_app(store: Store, settings: Settings, rules: Rules) -> TrivselApp:
    return TrivselApp(store=store, settings=settings, rules=rules, clock=lambda: NOW)


async def test_dashboard_filters_search_and_row_dialogs(
    hostile: tuple[Store, int], settings: Settings, rules: Rules
) -> None:
    store, _ = hostile
    app = make_app(store, settings, rules)
    async with app.run_test(size=SIZE) as pilot:
        await settle(app, pilot)
        assert_literal(app, "KLIKHER[/]", "Pia/Ole [AMR]")
        await visit(app, pilot, "f", expect=())
        workplaces = app.screen.query_one("#filter-workplace", Select)
        workplaces.value = next(value for _prompt, value in app.screen.choices["workplace"])  # type: ignore[attr-defined]
        workplaces.expanded = True
        await settle(app, pilot)
        assert_literal(app, "Skolen [/")
        workplaces.expanded = False
        await visit(app, pilot, "ctrl+s", expect=("Skolen [/",))  # the dashboard's filter line
        await visit(app, pilot, "x", "slash", expect=())
        app.post_message(events.Paste(HOSTILE))  # pasted into the search field, escapes and all
        await settle(app, pilot)
        assert_literal(app, "/Pia/Ole [AMR]")
        assert "KLIKHER" in app.screen.query_one("#search", Input).value
        await visit(app, pilot, "escape", "x", expect=())
        for key in ("d", "u"):  # done and postpone on the first row
            await visit(app, pilot, key, expect=())
            await visit(app, pilot, "escape", "escape", expect=())


async def test_palette_shows_people_literally_and_a_click_runs_nothing(
    hostile: tuple[Store, int], settings: Settings, rules: Rules, tmp_path: Path
) -> None:
    store, case_id = hostile
    # Raw SQL skips the ORM, so the Danish search/sort keys (store.text_keys) are written here too.
    keys = keys_for("case", {"affected_person": CLICK_ME})
    with sqlite3.connect(store.path) as connection:
        connection.execute(
            'UPDATE "case" SET affected_person = ?, affected_person_search = ?, affected_person_sort = ? WHERE id = ?',
            (CLICK_ME, keys["affected_person_search"], keys["affected_person_sort"], case_id),
        )
    app = make_app(store, settings, rules)
    async with app.run_test(size=SIZE) as pilot:
        await settle(app, pilot)
        await pilot.press("ctrl+p", *"Olesen")
        await settle(app, pilot)
        hits = app.screen.query_one(CommandList)
        assert [str(option.prompt).splitlines()[0] for option in hits.options] == [
            f"{_ref(store, case_id)}  {CLICK_ME}"
        ]
        assert "Skolen [/" in str(hits.options[0].prompt)  # the workplace, in the hit's help line
        x, y = position_of(app, "KLIKHER")
        assert hits.region.contains(x, y)
        await pilot.click(offset=(x, y))
        await settle(app, pilot)
        assert app.is_running and app.return_code is None
    assert not list(tmp_path.rglob("*.svg"))


def _ref(store: Store, case_id: int) -> str:
    with store.read() as session:
        return str(session.connection().exec_driver_sql(f'SELECT ref FROM "case" WHERE id = {case_id}').scalar_one())


async def test_screenshot_action_writes_nothing(
    hostile: tuple[Store, int], settings: Settings, rules: Rules, tmp_path: Path
) -> None:
    store, _ = hostile
    app = make_app(store, settings, rules)
    async with app.run_test(size=SIZE) as pilot:
        await settle(app, pilot)
        app.action_screenshot("leak.svg", str(tmp_path))
        await pilot.pause()
        commands = [command.title for command in app.get_system_commands(app.screen)]
        assert app.is_running
    assert not (tmp_path / "leak.svg").exists()
    assert commands and not any("creenshot" in title or "Skærmbillede" in title for title in commands)


async def test_case_view_and_its_dialogs(hostile: tuple[Store, int], settings: Settings, rules: Rules) -> None:
    store, case_id = hostile
    app = make_app(store, settings, rules)
    async with app.run_test(size=SIZE) as pilot:
        await settle(app, pilot)
        app.open_case(case_id)
        await settle(app, pilot)
        assert_literal(app, "KLIKHER[/]", "Pia/Ole [AMR]", "Skolen [/", "[link=https://x]L")
        for key in ("m", "t", "l", "d"):
            await visit(app, pilot, key, expect=())
            await visit(app, pilot, "escape", expect=("[AMR]",))
        await visit(app, pilot, "i")  # the Insubiz summary document
        await visit(app, pilot, "escape")
        await visit(app, pilot, "question_mark", expect=())
        await visit(app, pilot, "escape")
        await visit(app, pilot, "e")  # another episode: workplace and person filled in from the case
        await visit(app, pilot, "escape")


async def test_plan_editor_and_its_dialogs(hostile: tuple[Store, int], settings: Settings, rules: Rules) -> None:
    store, case_id = hostile
    app = make_app(store, settings, rules)
    async with app.run_test(size=SIZE) as pilot:
        await settle(app, pilot)
        app.open_case(case_id)
        await settle(app, pilot)
        await visit(app, pilot, "f", expect=("KLIKHER[/]", "Skolen [/"))
        for keys in (("H",), ("e",), ("delete",), ("c",), ("plus",), ("g",), ("x",)):
            await visit(app, pilot, *keys, expect=())
            await visit(app, pilot, "escape", "escape", expect=())
            assert_literal(app, "KLIKHER[/]")
        # The double Escape of a key that opened nothing left the plan editor: open it again.
        app.open_case(case_id)
        await settle(app, pilot)
        await visit(app, pilot, "f", expect=("KLIKHER[/]",))
        await visit(app, pilot, "m", expect=("KLIKHER[/]",))  # the Markdown export
        assert type(app.screen).__name__ == "DocumentScreen"  # the export is shown, not the Møder screen


async def test_lists_forms_and_new_episode(hostile: tuple[Store, int], settings: Settings, rules: Rules) -> None:
    store, _ = hostile
    app = make_app(store, settings, rules)
    async with app.run_test(size=SIZE) as pilot:
        await settle(app, pilot)
        await visit(app, pilot, "a", expect=("KLIKHER[/]",))
        await visit(app, pilot, "e")  # the workplace form, filled in
        await visit(app, pilot, "escape", "escape", expect=())
        await visit(app, pilot, "H", expect=("KLIKHER[/]",))  # new plan: the workplace list
        await visit(app, pilot, "escape", "h", expect=("KLIKHER[/]",))
        await visit(app, pilot, "s", expect=("KLIKHER[/]",))
        app.screen.query_one("#filter", Input).value = "Skolen [/ [@click=app.quit]x"
        await settle(app, pilot)
        assert_literal(app, "Skolen [/ [@click=app.quit]x")
        app.post_message(RegisterEpisode())  # `n` in the filter field is a letter
        await settle(app, pilot)
        app.screen.query_one("#workplace", Input).value = "Skolen [/ [@click=app.quit]x"  # quoted in the error
        await settle(app, pilot)
        assert_literal(app, "Skolen [/ [@click=app.quit]x")


async def test_retention_screen_and_its_dialogs(hostile: tuple[Store, int], settings: Settings, rules: Rules) -> None:
    store, _case_id = hostile
    with sqlite3.connect(store.path) as connection:  # holds as another program (or an old row) left them
        connection.execute('UPDATE "case" SET hold_kind = ?, hold_reason = ?', (CLICK_ME, HOSTILE))
    app = make_app(store, settings, rules)
    async with app.run_test(size=SIZE) as pilot:
        await settle(app, pilot)
        await visit(app, pilot, "b", expect=("KLIKHER[/]", "Skolen [/", "[link=https://x]L"))
        for keys in (("f",), ("k",), ("down", "f")):  # release, refused kassation, release the next
            await visit(app, pilot, *keys, expect=())
            await visit(app, pilot, "escape", expect=())
            assert_literal(app, "KLIKHER[/]")
            await visit(app, pilot, "up", expect=())


@pytest.fixture
def hostile_meetings(store: Store, rules: Rules) -> tuple[Store, int, int, int]:
    """The demo with parties, a talk and an outcome on one case, an open meeting with a decision, an
    action item and a free item, and a closed meeting whose minutes were corrected; then poisoned."""
    generate_demo(store, rules, 4, 3, NOW)
    with store.read() as session:
        connection = session.connection()
        case_id, workplace_id = connection.exec_driver_sql('SELECT id, workplace_id FROM "case" ORDER BY id').first()
        episode_id = connection.exec_driver_sql(f"SELECT min(id) FROM episode WHERE case_id = {case_id}").scalar_one()
    save_party(store, case_id, PartyInput("subject", "Kaj Kolding", "colleague", job="pædagog", note="note"))
    save_party(store, case_id, PartyInput("witness", "Vera Vidne", job="medhjælper", note="så det"))
    add_talk(store, case_id, TalkInput(NOW.date(), "medarbejderen", "tryghed", "aftale", NOW.date()))
    save_outcome(store, episode_id, OutcomeInput(insubiz_reported_on=NOW.date(), insubiz_ref="INS-1"))
    body = Body("arbejdsmiljoegruppe", "Gruppen", (workplace_id,))
    attendees = [Attendee("Deltager", "member")]
    closed = create_meeting(store, rules, body, NOW.date(), attendees, NOW)
    markdown, _detail = minutes_for(store, rules, closed, NOW)  # type: ignore[misc]
    close_meeting(store, closed, markdown)
    correct_minutes(store, closed, markdown + "\nRettelse\n", "stavefejl")
    meeting = create_meeting(store, rules, body, NOW.date(), attendees, NOW)
    items = meeting_detail(store, rules, meeting, NOW).slides  # type: ignore[union-attr]
    case_item = next(s for s in items if s.kind == "case")
    decision = DecisionInput("beslutning", "opfølger", False, "tiltag", "ejer", NOW.date())
    record_decision(store, case_item.item_id, decision)
    record_decision(store, add_free_item(store, meeting, "punkt", after_position=-1), DecisionInput("fri"))
    poison(store.path)
    return store, case_id, meeting, closed


async def test_meetings_presentation_minutes_and_case_records(
    hostile_meetings: tuple[Store, int, int, int], settings: Settings, rules: Rules
) -> None:
    store, case_id, meeting, closed = hostile_meetings
    app = make_app(store, settings, rules)
    async with app.run_test(size=SIZE) as pilot:
        await settle(app, pilot)
        await visit(app, pilot, "m", expect=("KLIKHER[/]", "Skolen [/"))  # the meetings list: body names
        await visit(app, pilot, "plus", expect=("KLIKHER[/]",))  # a new meeting: bodies and known people
        await visit(app, pilot, "escape", "escape", expect=())
        app.post_message(OpenMeeting(meeting))
        await settle(app, pilot)
        assert_literal(app, "KLIKHER[/]")  # the free item, first on the agenda
        for key in ("d", "x", "f"):  # decision, remove (names the item), a new item
            await visit(app, pilot, key, expect=())
            await visit(app, pilot, "escape", "escape", expect=())
        for _ in range(len(meeting_detail(store, rules, meeting, NOW).slides)):  # type: ignore[union-attr]
            await visit(app, pilot, "r", expect=())  # a case's narrative, revealed
            await visit(app, pilot, "d", expect=())
            await visit(app, pilot, "escape", "escape", expect=())
            await visit(app, pilot, "right", expect=())
        await visit(app, pilot, "escape", expect=())
        app.post_message(OpenMeeting(closed))
        await settle(app, pilot)
        await visit(app, pilot, "v", expect=("[AMR]", "KLIKHER[/]"))  # versions: reasons and the text
        await visit(app, pilot, "escape", expect=())
        await visit(app, pilot, "k", expect=("[AMR]",))  # the correction starts from the newest text
        await visit(app, pilot, "escape", expect=())
        await visit(app, pilot, "escape", expect=())
        app.open_case(case_id)
        await settle(app, pilot)
        await visit(app, pilot, "c", expect=("KLIKHER[/]", "Pia/Ole [AMR]"))  # parties, talks, outcomes
        for key in ("e", "x", "i", "u", "p"):  # edit and remove a party (both name it), talk, outcome, new party
            await visit(app, pilot, key, expect=())
            assert type(app.screen).__name__ != "CaseRecordsScreen", key
            await visit(app, pilot, "escape", expect=())
            if type(app.screen).__name__ != "CaseRecordsScreen":  # a form warns once before it discards
                await visit(app, pilot, "escape", expect=())
            assert type(app.screen).__name__ == "CaseRecordsScreen", key
