"""The case's history in Danish, by keyboard: a task's real done day, documents saved to a chosen
folder (0600, named by the case reference, remembered, audited) and copied (audited), dispensation
notat versions, and reclassifying from the previous answers."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlmodel import col, select
from textual.widgets import Checkbox, DataTable, Input, Static, TextArea

from tests.conftest import NOW, settle
from tests.test_case_records import make_app, violence_case
from tests.test_episode_flow import register_and_classify
from trivsel_tui.app import TrivselApp
from trivsel_tui.dialogs.document import DocumentScreen
from trivsel_tui.dialogs.notat_form import NotatFormScreen
from trivsel_tui.dialogs.task_done import TaskDoneScreen
from trivsel_tui.domain.rules import Rules
from trivsel_tui.screens.case_view import CaseViewScreen
from trivsel_tui.screens.wizard import WizardScreen
from trivsel_tui.settings import Settings, SettingsError, load_settings, remember_setting
from trivsel_tui.store import audit
from trivsel_tui.store.models import CaseNote, Episode, Task
from trivsel_tui.store.queries import save_workplace
from trivsel_tui.store.store import Store

SIZE = (120, 40)
CONCRETE = (
    "Beboeren har svær demens og forstår ikke situationen; en politianmeldelse vil efter lægens vurdering "
    "øge hendes uro markant og bryde den nye plejeplan, som netop skal nedbringe de udadreagerende episoder."
)


async def open_case(app: TrivselApp, pilot, case_id: int) -> CaseViewScreen:  # type: ignore[no-untyped-def]
    app.open_case(case_id)
    await settle(app, pilot)
    assert isinstance(app.screen, CaseViewScreen)
    return app.screen


def timeline(screen: CaseViewScreen) -> str:
    return str(screen.query_one("#timeline", Static).content)


async def choose_task(screen: CaseViewScreen, pilot, title_start: str) -> str:  # type: ignore[no-untyped-def]
    table = screen.query_one("#tasks", DataTable)
    titles = [str(table.get_row(row_key)[table.get_column_index("task")]) for row_key in table.rows]
    row = next(i for i, title in enumerate(titles) if title.startswith(title_start))
    table.move_cursor(row=row)
    await pilot.pause()
    return titles[row]


async def test_a_task_done_on_an_earlier_day_and_the_timeline_says_so_in_danish(
    store: Store, settings: Settings, rules: Rules
) -> None:
    case_id, _episode = violence_case(store, rules)
    app = make_app(store, settings, rules)
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_case(app, pilot, case_id)
        title = await choose_task(screen, pilot, "Leder: tilbyd")
        await pilot.press("d")
        await pilot.pause()
        dialog = app.screen
        assert isinstance(dialog, TaskDoneScreen)
        assert title in str(dialog.query_one(".dialog-subject", Static).content), "the dialog names its task"
        await pilot.press(*"Coaching", "tab", *"i morgen", "ctrl+s")
        await pilot.pause()
        assert app.screen is dialog, "a day in the future is refused"
        assert "fremtiden" in str(dialog.query_one("#done-on-error", Static).content)
        dialog.query_one("#done-on", Input).value = "24-11-2026"
        await pilot.press("ctrl+s")
        await settle(app, pilot)
        assert app.screen is screen
        await pilot.press("m", *"Talt med leder", "ctrl+s")
        await settle(app, pilot)
        history = timeline(screen)
    with store.read() as session:
        task = session.exec(select(Task).where(Task.title == title)).one()
    assert task.done_at is not None and task.done_at.isoformat() == "2026-11-24T11:00:00+00:00", "12:00 in Denmark"
    assert task.note == "Coaching"
    line = next(line for line in history.splitlines() if f"»{title[:40]}" in line and "udført" in line)
    assert "ændrede en opgave" in line and "udført: – → 24-11-2026 12:00" in line and "udført af: – → tester" in line
    assert "notat: – → Coaching" in line
    assert "oprettede et notat »Talt med leder«" in history
    for column in ("done_at", "done_by", "case_id", "action_code"):
        assert column not in history, f"no column names in the timeline ({column})"


async def test_a_document_is_saved_in_the_chosen_folder_remembered_private_and_audited_and_a_copy_too(
    store: Store, settings: Settings, rules: Rules, tmp_path: Path
) -> None:
    case_id, _episode = violence_case(store, rules)
    app = make_app(store, settings, rules)
    folder = tmp_path / "valgt mappe"
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_case(app, pilot, case_id)
        assert screen.detail is not None
        ref = screen.detail.case.ref
        await pilot.press("i", "s")
        await pilot.pause()
        document = app.screen
        assert isinstance(document, DocumentScreen)
        document.query_one("#save-folder", Input).value = "relativ/mappe"
        await pilot.press("enter")
        await pilot.pause()
        assert "hele stien" in str(document.query_one("#save-error", Static).content)
        document.query_one("#save-folder", Input).value = str(folder)
        await pilot.press("enter")
        await settle(app, pilot)
        await pilot.press("c")
        await settle(app, pilot)
        await pilot.press("escape")
        await settle(app, pilot)
        assert app.settings.export_folder == folder
        await pilot.press("i", "s")
        await pilot.pause()
        assert app.screen.query_one("#save-folder", Input).value == str(folder), "the folder is remembered"
        await pilot.press("escape", "escape")
        await settle(app, pilot)
        history = timeline(screen)
    saved = folder / f"{ref}-insubiz.md"
    assert saved.is_file() and saved.stat().st_mode & 0o777 == 0o600
    assert f"sag {ref}" in saved.read_text(encoding="utf-8")
    assert load_settings().export_folder == folder, "and remembered in settings.toml"
    with store.read() as session:
        entries = [e for e in audit.case_entries(session, case_id) if e.action in ("export", "copy")]
        opened = audit.opened_changes(session, entries)
    assert [e.action for e in entries] == ["export", "copy"] and all(e.sealed for e in entries)
    assert opened[0] is not None and opened[0]["path"] == [None, str(saved)]
    assert opened[1] is not None and opened[1]["what"][1] == opened[0]["what"][1]
    assert f"gemte et dokument: dokument: {opened[0]['what'][1]}; fil: {saved}" in history
    assert "kopierede et dokument" in history


async def test_a_dispensation_notat_names_leader_involvement_and_signer_and_every_version_is_kept(
    store: Store, rules: Rules
) -> None:
    save_workplace(store, {"name": "Lyngbo", "leader_name": "Kim Leder"})
    settings = Settings(actor="tester", signature="Lene Holm")
    app = make_app(store, settings, rules)
    async with app.run_test(size=SIZE) as pilot:
        await register_and_classify(app, pilot)
        await pilot.press("p")
        await pilot.pause()
        form = app.screen
        assert isinstance(form, NotatFormScreen)
        assert form.query_one("#notat-leader", Input).value == "Kim Leder", "the workplace's leader"
        assert form.query_one("#notat-signed-by", Input).value == "Lene Holm", "a person, not the OS user"
        form.query_one("#notat-reason", TextArea).text = CONCRETE
        form.query_one("#notat-involved", Checkbox).value = True
        await pilot.press("ctrl+s")
        await settle(app, pilot)
        assert isinstance(app.screen, DocumentScreen)
        first = str(app.screen.query_one("Markdown").source)  # type: ignore[attr-defined]
        await pilot.press("escape")
        await settle(app, pilot)
        # A correction starts from the current version.
        await pilot.press("p")
        await pilot.pause()
        form = app.screen
        assert isinstance(form, NotatFormScreen)
        assert form.query_one("#notat-reason", TextArea).text == CONCRETE
        assert form.query_one("#notat-involved", Checkbox).value is True
        await pilot.press(*" Lægen er enig.", "ctrl+s")
        await settle(app, pilot)
        second = str(app.screen.query_one("Markdown").source)  # type: ignore[attr-defined]
        await pilot.press("escape")
        await settle(app, pilot)
        notes = str(app.screen.query_one("#notes", Static).content)
    assert "*Ansvarlig leder:* Kim Leder" in first and "*Medarbejderen er inddraget:* ja" in first
    assert "Underskrevet af Lene Holm" in first and "tester" not in first
    assert "Lægen er enig." in second and "Version 2" in second
    assert "version 1, erstattet af en nyere version" in notes and "version 2]" in notes
    with store.read() as session:
        versions = session.exec(select(CaseNote).where(CaseNote.kind == "dispensation").order_by(col(CaseNote.id)))
        v1, v2 = versions.all()
        creates = [
            e for e in audit.case_entries(session, v1.case_id) if e.entity == "case_note" and e.action == "create"
        ]
    assert v1.text == first.strip() and v2.replaces_id == v1.id, "the first version is kept as it was"
    assert {e.entity_id for e in creates} >= {v1.id, v2.id}


async def test_reclassifying_starts_from_the_previous_answers_and_keeps_done_tasks(
    store: Store, settings: Settings, rules: Rules
) -> None:
    save_workplace(store, {"name": "Lyngbo"})
    app = make_app(store, settings, rules)
    async with app.run_test(size=SIZE) as pilot:
        await register_and_classify(app, pilot)
        with store.read() as session:
            before = session.exec(select(Episode)).one()
            tasks_before = session.exec(select(Task)).all()
        screen = app.screen
        assert isinstance(screen, CaseViewScreen)
        title = await choose_task(screen, pilot, "Anmeld")
        await pilot.press("d", "ctrl+s")
        await settle(app, pilot)
        await pilot.press("k")
        await settle(app, pilot)
        assert isinstance(app.screen, WizardScreen)
        for _question in range(12):  # Enter only: every question starts from the earlier answer
            if app.screen.result is not None:
                break
            await pilot.press("enter")
            await pilot.pause()
        assert app.screen.result is not None
        await pilot.press("enter")
        await settle(app, pilot)
    with store.read() as session:
        after = session.exec(select(Episode)).one()
        tasks_after = session.exec(select(Task)).all()
    facts = ("behaviours", "injury", "intentional", "reflex_or_resistance", "outside_working_hours")
    assert [getattr(after, name) for name in facts] == [getattr(before, name) for name in facts]
    assert len(tasks_after) == len(tasks_before), "nothing duplicated"
    done = next(task for task in tasks_after if task.title == title)
    assert done.done_at == NOW, "the re-sync keeps the done task"


def test_settings_remember_the_export_folder_and_know_the_signature(tmp_path: Path) -> None:
    path = tmp_path / "settings.toml"
    path.write_text("# mine\ndue_soon_days = 5\n", encoding="utf-8")
    remember_setting("signature", "Lene Holm", path)
    remember_setting("export_folder", "/srv/ud", path)
    remember_setting("export_folder", "/srv/andet æøå", path)
    settings = load_settings(path)
    assert (settings.signature, settings.export_folder, settings.due_soon_days) == (
        "Lene Holm",
        Path("/srv/andet æøå"),
        5,
    )
    text = path.read_text(encoding="utf-8")
    assert text.count("export_folder") == 1 and text.startswith("# mine"), "other lines are kept"
    path.write_text('export_folder = "relativ/mappe"\n', encoding="utf-8")
    with pytest.raises(SettingsError, match="export_folder"):
        load_settings(path)


def test_every_audited_column_is_named_in_danish_or_hidden_in_the_timeline() -> None:
    """A new column must get a Danish label (timeline_fields) or be hidden; never "et andet felt"."""
    from trivsel_tui.domain.timeline import FIELD_LABELS, HIDDEN
    from trivsel_tui.store.audit import AUDITED, NOT_LOGGED

    unnamed = [
        f"{model.__tablename__}.{column.name}"
        for model in AUDITED
        for column in model.__table__.columns
        if column.name not in NOT_LOGGED | HIDDEN | FIELD_LABELS
    ]
    assert unnamed == []
