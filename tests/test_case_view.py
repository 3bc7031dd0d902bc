"""The case view's own actions, and sorting the case list."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlmodel import select
from textual.widgets import DataTable, Input, Static

from tests.conftest import NOW, settle, showing
from trivsel_tui.app import TrivselApp
from trivsel_tui.dialogs.document import DocumentScreen
from trivsel_tui.domain.rules import Rules
from trivsel_tui.screens.case_view import CaseViewScreen
from trivsel_tui.settings import Settings
from trivsel_tui.store import audit
from trivsel_tui.store.demo import generate_demo
from trivsel_tui.store.models import AuditEntry, Case, CaseNote, Task
from trivsel_tui.store.store import Store

SIZE = (120, 40)


def make_app(store: Store, settings: Settings, rules: Rules) -> TrivselApp:
    return TrivselApp(store=store, settings=settings, rules=rules, clock=lambda: NOW)


async def open_first_case(app: TrivselApp, pilot) -> Case:  # type: ignore[no-untyped-def]
    with app.store.read() as session:
        case = session.exec(select(Case).where(Case.status == "open").order_by(Case.id)).first()
    assert case is not None and case.id is not None
    app.open_case(case.id)
    await pilot.pause()
    await app.workers.wait_for_complete()
    await pilot.pause()
    assert isinstance(app.screen, CaseViewScreen)
    return case


async def test_close_and_reopen_with_reason(store: Store, settings: Settings, rules: Rules) -> None:
    generate_demo(store, rules, 10, 1, NOW)
    app = make_app(store, settings, rules)
    async with app.run_test(size=SIZE) as pilot:
        case = await open_first_case(app, pilot)  # its victim-compensation task (2 years, legal) is open
        await pilot.press("l", "ctrl+s")  # reasons are required
        await pilot.pause()
        shown = " ".join(str(error.content) for error in app.screen.query(".field-error").results(Static))
        assert "begrundelse" in shown
        await pilot.press(*"Medarbejderen søger selv")  # the legal task's reason has the focus
        app.screen.query_one("#close-reason", Input).value = "Afsluttet"
        await pilot.press("ctrl+s")
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert "Lukket" in str(app.screen.query_one("#case-header", Static).content)
        await pilot.press("l", *"Ny episode", "ctrl+s")
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert "Åben" in str(app.screen.query_one("#case-header", Static).content)
    with store.read() as session:
        notes = [n.text for n in session.exec(select(CaseNote).where(CaseNote.case_id == case.id))]
        updates = session.exec(
            select(AuditEntry).where(
                AuditEntry.entity == "case", AuditEntry.entity_id == case.id, AuditEntry.action == "update"
            )
        ).all()
        values = audit.opened_changes(session, list(updates))  # case values are sealed with the case's key
    assert notes == ["Lukket: Afsluttet", "Genåbnet: Ny episode"]
    assert [v["status"] for v in values if v] == [["open", "closed"], ["closed", "open"]]


async def test_manual_task_and_note(store: Store, settings: Settings, rules: Rules) -> None:
    generate_demo(store, rules, 10, 1, NOW)
    app = make_app(store, settings, rules)
    async with app.run_test(size=SIZE) as pilot:
        case = await open_first_case(app, pilot)
        await pilot.press("t", *"Ring", "tab", *"01-12-2026", "ctrl+s")
        await app.workers.wait_for_complete()
        await pilot.pause()
        titles = [
            str(app.screen.query_one("#tasks", DataTable).get_row_at(i)[2])
            for i in range(app.screen.query_one("#tasks", DataTable).row_count)
        ]
        assert "Ring" in titles
        await pilot.press("m", *"Talt med leder", "ctrl+s")
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert "Talt med leder" in str(app.screen.query_one("#notes", Static).content)
    with store.read() as session:
        task = session.exec(select(Task).where(Task.case_id == case.id, Task.title == "Ring")).one()
    assert task.action_code == "manual"
    assert task.due_at is not None and task.due_at.isoformat() == "2026-12-01T22:59:00+00:00"


async def test_insubiz_summary_can_be_saved(
    store: Store, settings: Settings, rules: Rules, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr("trivsel_tui.screens.case_view.documents_dir", lambda: tmp_path / "docs")
    generate_demo(store, rules, 10, 1, NOW)
    app = make_app(store, settings, rules)
    async with app.run_test(size=SIZE) as pilot:
        case = await open_first_case(app, pilot)
        await pilot.press("i")
        await pilot.pause()
        assert isinstance(app.screen, DocumentScreen)
        await pilot.press("s", "enter")  # the folder offered is the default one
        await pilot.pause()
    saved = tmp_path / "docs" / f"{case.ref}-insubiz.md"
    assert saved.exists()
    assert f"Anmeldelse i Insubiz – sag {case.ref}" in saved.read_text(encoding="utf-8")
    assert saved.stat().st_mode & 0o077 == 0, "documents with personal data are private"


async def test_case_list_sorts_by_workplace(store: Store, settings: Settings, rules: Rules) -> None:
    generate_demo(store, rules, 40, 1, NOW)
    app = make_app(store, settings, rules)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("s")
        await app.workers.wait_for_complete()
        await pilot.pause()
        table = app.screen.query_one(DataTable)
        refs = [str(table.get_row_at(i)[0]) for i in range(table.row_count)]
        assert refs == sorted(refs, key=lambda r: (r[:4], int(r[5:])), reverse=True), "newest first"
        await pilot.press("ctrl+o")  # sort by the next column: workplace
        await app.workers.wait_for_complete()
        await pilot.pause()
        workplaces = [str(table.get_row_at(i)[1]) for i in range(table.row_count)]
        assert workplaces == sorted(workplaces)
        assert "sorteret efter Arbejdsplads ↑" in str(app.screen.query_one("#count", Static).content)
        await pilot.press("ctrl+r")
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert [str(table.get_row_at(i)[1]) for i in range(table.row_count)] == sorted(workplaces, reverse=True)


async def test_another_episode_in_the_same_case(store: Store, settings: Settings, rules: Rules) -> None:
    from textual.widgets import Input

    from trivsel_tui.screens.episode_form import EpisodeFormScreen
    from trivsel_tui.screens.wizard import WizardScreen
    from trivsel_tui.store.models import Episode

    generate_demo(store, rules, 5, 1, NOW)
    app = make_app(store, settings, rules)
    async with app.run_test(size=SIZE) as pilot:
        case = await open_first_case(app, pilot)
        await pilot.press("e")
        await pilot.pause()
        form = app.screen
        assert isinstance(form, EpisodeFormScreen)
        person = form.query_one("#person", Input)
        assert person.value == case.affected_person and person.disabled, "the case's person, not editable here"
        assert form.focused is form.query_one("#occurred", Input)
        await pilot.press(*"i dag 8", "tab", *"gangen", "tab")
        await pilot.press("enter", "down", "down", "enter", "tab", *"Igen")  # Kollega; person and job are skipped
        await pilot.press("ctrl+s")
        await showing(pilot, WizardScreen)  # opened once the save's worker is done: a pause is not enough under load
        await pilot.press("3", "enter", "1", "enter", "1", "1", "3")  # degrading: ridicule, regular, cannot defend
        await pilot.press("enter")  # no grounds
        await pilot.press("1")  # injury: none
        await pilot.press("1")  # outside working hours: no (issue 11)
        await pilot.press("enter")
        await settle(app, pilot)
        assert isinstance(app.screen, CaseViewScreen)
    with store.read() as session:
        episodes = session.exec(select(Episode).where(Episode.case_id == case.id).order_by(Episode.id)).all()
    assert len(episodes) == 2
    latest = episodes[-1]
    assert (latest.place, latest.perpetrator, latest.behaviours) == ("gangen", "colleague", ["ridicule"])
    assert latest.classification is not None and latest.classification["types"] == ["bullying"]


async def test_the_timeline_names_changed_fields_in_danish(store: Store, settings: Settings, rules: Rules) -> None:
    """Review §4.3: "ændrede en opgave (done_at, done_by, note)" showed column names; the engine's fields
    (the classification, the override reason, the facts) and a task's are named in Danish."""
    from trivsel_tui.store.models import Episode

    generate_demo(store, rules, 10, 1, NOW)
    app = make_app(store, settings, rules)
    async with app.run_test(size=SIZE) as pilot:
        case = await open_first_case(app, pilot)
        with store.write() as session:
            episode = session.exec(select(Episode).where(Episode.case_id == case.id)).one()
            episode.override_reason = "Lægeerklæring"
            episode.injury = "fatal"
            episode.classification = {**(episode.classification or {}), "rules_version": "Regelsæt 0"}
        await pilot.press("d", *"Ringet", "ctrl+s")  # done, with a note, on the first open task
        await settle(app, pilot)
        timeline = str(app.screen.query_one("#timeline", Static).content)
    # Issue 12: which item changed, and each field's old → new value in Danish.
    assert "ændrede en episode: personskade: Psykisk skade → Dødsfald; begrundelse for manuel ændring: – →" in timeline
    assert "udført: – → 26-11-2026 10:00; udført af: – → tester; notat: – → Ringet" in timeline
    assert "override_reason" not in timeline and "done_at" not in timeline
