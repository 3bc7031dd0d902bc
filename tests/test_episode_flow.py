"""Register -> wizard -> case, by keyboard only, in a real App.run_test()."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import threading
from datetime import UTC, datetime, timedelta
from pathlib import Path

from sqlmodel import select
from textual.widgets import Input, Static, TextArea

from tests.conftest import NOW, showing
from trivsel_tui.app import TrivselApp
from trivsel_tui.dialogs.draft_prompt import DraftPromptScreen
from trivsel_tui.dialogs.notat_form import NotatFormScreen
from trivsel_tui.dialogs.task_done import TaskDoneScreen
from trivsel_tui.domain.rules import Rules
from trivsel_tui.screens.case_view import CaseViewScreen
from trivsel_tui.screens.episode_form import EpisodeFormScreen
from trivsel_tui.screens.wizard import WizardScreen
from trivsel_tui.settings import Settings
from trivsel_tui.store import audit
from trivsel_tui.store.models import AuditEntry, Case, CaseNote, Episode, Task
from trivsel_tui.store.queries import save_workplace
from trivsel_tui.store.store import Store

SIZE = (120, 40)
# "i går 22" seen from NOW (Thursday 26 November 2026, 10:00 Copenhagen) is 25 November 22:00 = 21:00 UTC.
OCCURRED = datetime(2026, 11, 25, 21, 0, tzinfo=UTC)


def make_app(store: Store, settings: Settings, rules: Rules) -> TrivselApp:
    return TrivselApp(store=store, settings=settings, rules=rules, clock=lambda: NOW)


def error_text(screen: object, field: str) -> str:
    return str(screen.query_one(f"#{field}-error", Static).content)  # type: ignore[attr-defined]


async def fill_form(pilot, workplace: str = "Lyngbo") -> None:  # type: ignore[no-untyped-def]
    """Type a short episode by keyboard (Pilot waits for idle after every key: keep texts short)."""
    await pilot.press("n")
    await showing(pilot, EpisodeFormScreen)
    await pilot.press(*workplace, "tab", *"i går 22", "tab", *"stuen", "tab")
    await pilot.press("enter", "down", "enter", "tab")  # perpetrator (before any name): the first role, Borger
    await pilot.press(*"Slag.", "tab", *"Mette", "tab", *"SSA", "tab")
    await pilot.pause()


async def walk_wizard_kick_with_injury(pilot) -> None:  # type: ignore[no-untyped-def]
    await showing(pilot, WizardScreen)  # the save before it runs in a worker: under load the form is still up
    await pilot.press("1", "enter")  # category: physical violence
    await pilot.press("5", "enter")  # slag
    await pilot.press("2")  # injury: physical (a number picks and goes on)
    await pilot.press("2")  # a pattern over time: no, a single episode (issue 11: asked for any category)
    await pilot.press("1")  # intentional: yes
    await pilot.press("1")  # reflex or resistance: no
    await pilot.press("1")  # outside working hours: no (issue 11)
    await pilot.pause()


async def register_and_classify(app: TrivselApp, pilot) -> None:  # type: ignore[no-untyped-def]
    """The whole daily path by keyboard: form, wizard, confirm; ends on the case view."""
    await fill_form(pilot)
    await pilot.press("ctrl+s")
    await pilot.pause()
    await walk_wizard_kick_with_injury(pilot)
    await pilot.press("enter")
    await app.workers.wait_for_complete()
    await showing(pilot, CaseViewScreen)


async def test_register_classify_and_land_on_the_case(store: Store, settings: Settings, rules: Rules) -> None:
    save_workplace(store, {"name": "Lyngbo"})
    app = make_app(store, settings, rules)
    async with app.run_test(size=SIZE) as pilot:
        await fill_form(pilot)
        form = app.screen
        assert isinstance(form, EpisodeFormScreen)
        assert "onsdag 25. november 2026 kl. 22:00" in str(form.query_one("#occurred-parsed", Static).content)
        suggester = form.query_one("#workplace", Input).suggester
        assert suggester is not None and await suggester.get_suggestion("lyn") == "Lyngbo"
        await pilot.press("ctrl+s")
        await showing(pilot, WizardScreen)  # it opens after the save's worker: one pause is not enough under load
        await walk_wizard_kick_with_injury(pilot)
        result = app.screen.query_one("#wizard-result", Static)
        assert "RELEVANT" in str(result.content)
        assert "t " in str(result.content) and "tilbage" in str(result.content)  # live countdown
        await pilot.press("enter")
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert isinstance(app.screen, CaseViewScreen)
    with store.read() as session:
        case = session.exec(select(Case)).one()
        episode = session.exec(select(Episode)).one()
        tasks = {t.action_code: t for t in session.exec(select(Task))}
    assert (case.ref, case.affected_person, case.affected_job) == ("2026-0001", "Mette", "SSA")
    assert (episode.occurred_at, episode.place, episode.perpetrator) == (OCCURRED, "stuen", "citizen")
    assert episode.description == "Slag."
    assert (episode.behaviours, episode.injury, episode.intentional) == (["blow"], "physical", True)
    # Issue 11: a relevant police report brings the 2-year offererstatning application.
    assert set(tasks) == {"insurance_report", "police_report", "victim_compensation", "offer_support", "amg_follow_up"}
    assert tasks["police_report"].due_at == OCCURRED + timedelta(hours=72)
    # Work accident, no absence: 14 days after the episode's day, 23:59 local (= 22:59 UTC in winter).
    assert tasks["insurance_report"].due_at == datetime(2026, 12, 9, 22, 59, tzinfo=UTC)
    assert all(t.episode_id == episode.id and t.case_id == case.id for t in tasks.values())


async def test_bad_date_and_missing_fields_are_explained(store: Store, settings: Settings, rules: Rules) -> None:
    app = make_app(store, settings, rules)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("n")
        await pilot.pause()
        form = app.screen
        await pilot.press("tab", *"i morgen 9")
        await pilot.pause()
        assert "fremtiden" in error_text(form, "occurred")
        form.query_one("#occurred", Input).value = "31-02-2026 10:00"
        await pilot.pause()
        assert "findes ikke i kalenderen" in error_text(form, "occurred")
        form.query_one("#occurred", Input).value = "24-10-2010 10:00"
        await pilot.pause()
        assert "10 år" in error_text(form, "occurred")
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert app.screen is form, "nothing is saved while a field is wrong"
        assert "Vælg arbejdspladsen" in error_text(form, "workplace")
        assert "navn eller et pseudonym" in error_text(form, "person")
        assert "udøverens rolle" in error_text(form, "perpetrator")
        assert form.focused is form.query_one("#workplace", Input), "focus goes to the first wrong field"
        await pilot.press(*"Ukendt sted")
        await pilot.pause()
        assert "Ctrl+N" in error_text(form, "workplace")
    with store.read() as session:
        assert session.exec(select(Case)).all() == []


async def test_unknown_workplace_can_be_created_inline(store: Store, settings: Settings, rules: Rules) -> None:
    app = make_app(store, settings, rules)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("n")
        await pilot.pause()
        await pilot.press(*"Engen", "ctrl+n")
        await pilot.pause()
        await pilot.press("ctrl+s")  # the workplace form opens with the typed name; save it
        await pilot.pause()
        form = app.screen
        assert isinstance(form, EpisodeFormScreen)
        assert form.query_one("#workplace", Input).value == "Engen"
        assert error_text(form, "workplace") == ""
        assert form.focused is form.query_one("#occurred", Input)


async def test_cpr_number_is_flagged_and_removed_with_one_key(store: Store, settings: Settings, rules: Rules) -> None:
    app = make_app(store, settings, rules)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("n")
        await pilot.pause()
        form = app.screen
        form.query_one("#description", TextArea).focus()
        await pilot.press(*"x 0101901234")
        await pilot.pause()
        warning = form.query_one("#cpr-warning", Static)
        assert warning.display and "0101901234" in str(warning.content)
        await pilot.press("ctrl+r")
        await pilot.pause()
        assert form.query_one("#description", TextArea).text == "x [CPR fjernet]"
        assert not warning.display


async def test_override_needs_a_reason_and_is_audited(store: Store, settings: Settings, rules: Rules) -> None:
    save_workplace(store, {"name": "Lyngbo"})
    app = make_app(store, settings, rules)
    async with app.run_test(size=SIZE) as pilot:
        await fill_form(pilot)
        await pilot.press("ctrl+s")
        await pilot.pause()
        await walk_wizard_kick_with_injury(pilot)
        await pilot.press("o")
        await pilot.pause()
        await pilot.press("tab", "enter", "down", "down", "enter")  # police: not relevant
        await pilot.press("tab", "ctrl+s")
        await pilot.pause()
        assert "begrundelse" in str(app.screen.query_one("#override-error", Static).content)
        await pilot.press(*"Barn på 3 år")
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert isinstance(app.screen, WizardScreen)
        assert "Tilsidesat manuelt" in str(app.screen.query_one("#wizard-result", Static).content)
        await pilot.press("enter")
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert isinstance(app.screen, CaseViewScreen)
        assert "tilsidesat" in str(app.screen.query_one("#case-header", Static).content)
    with store.read() as session:
        episode = session.exec(select(Episode)).one()
        codes = {t.action_code for t in session.exec(select(Task))}
        updates = session.exec(
            select(AuditEntry).where(AuditEntry.entity == "episode", AuditEntry.action == "update")
        ).all()
        values = [v or {} for v in audit.opened_changes(session, list(updates))]
    assert episode.override_reason == "Barn på 3 år"
    assert episode.classification is not None and episode.classification["police_report"]["relevant"] is False
    assert "police_report" not in codes
    assert any(v.get("override_reason", [None, None])[1] == episode.override_reason for v in values)


async def test_rerunning_the_wizard_never_duplicates_or_undoes_tasks(
    store: Store, settings: Settings, rules: Rules
) -> None:
    save_workplace(store, {"name": "Lyngbo"})
    app = make_app(store, settings, rules)
    async with app.run_test(size=SIZE) as pilot:
        await register_and_classify(app, pilot)
        # Mark the first task (the nearest deadline) done with a note.
        await pilot.press("d")
        await pilot.pause()
        assert isinstance(app.screen, TaskDoneScreen)
        await pilot.press(*"Tilbudt", "ctrl+s")
        await app.workers.wait_for_complete()
        await pilot.pause()
        # Run the wizard again: it starts from the same answers, so Enter through it.
        await pilot.press("k")
        await pilot.pause()
        for _question in range(6):
            await pilot.press("enter")
        await pilot.press("enter")
        await app.workers.wait_for_complete()
        await pilot.pause()
    with store.read() as session:
        tasks = session.exec(select(Task)).all()
    assert len(tasks) == 5  # issue 11: + victim_compensation
    done = [t for t in tasks if t.done_at is not None]
    assert [(t.action_code, t.note) for t in done] == [("offer_support", "Tilbudt")]


async def test_dispensation_notat_refuses_a_generic_reason(store: Store, settings: Settings, rules: Rules) -> None:
    save_workplace(store, {"name": "Lyngbo"})
    app = make_app(store, settings, rules)
    concrete = (
        "Beboeren har svær demens og forstår ikke situationen; en politianmeldelse vil efter lægens vurdering "
        "øge hendes uro markant og bryde den nye plejeplan, som netop skal nedbringe de udadreagerende episoder."
    )
    async with app.run_test(size=SIZE) as pilot:
        await register_and_classify(app, pilot)
        await pilot.press("p")
        await showing(pilot, NotatFormScreen)
        prompt = app.screen
        prompt.query_one("#notat-leader", Input).value = "Kim Leder"
        prompt.query_one("#notat-signed-by", Input).value = "Lene Holm"
        prompt.query_one(TextArea).text = "Af pædagogiske hensyn"
        await pilot.press("end", *".", "ctrl+s")
        await pilot.pause()
        assert app.screen is prompt
        assert "generelle vendinger" in str(prompt.query_one("#notat-reason-error", Static).content)
        prompt.query_one(TextArea).text = concrete
        await pilot.press("ctrl+s")
        await app.workers.wait_for_complete()
        await pilot.pause()
        notat = str(app.screen.query_one("Markdown").source)  # type: ignore[attr-defined]
        # Issue 11: Erstatningsnævnet decides, and the notat names the rules version that decided.
        assert "Notat: hvorfor episoden ikke politianmeldes" in notat
        assert "Erstatningsnævnet – ikke kommunen – der afgør" in notat and "Hoved MED-udvalget" in notat
    with store.read() as session:
        note = session.exec(select(CaseNote).where(CaseNote.kind == "dispensation")).one()
        police = session.exec(select(Task).where(Task.action_code == "police_report")).one()
    assert concrete in note.text and note.author == "tester"
    assert police.done_at == NOW and "Dispensation" in police.note


async def test_escape_keeps_a_draft_and_the_form_offers_it_back(store: Store, settings: Settings, rules: Rules) -> None:
    app = make_app(store, settings, rules)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("n")
        await pilot.pause()
        await pilot.press("tab", *"i dag 8:00", "tab", *"kantinen")
        form = app.screen
        await pilot.press("escape")
        await pilot.pause()
        assert app.screen is not form
        await pilot.press("n")
        await pilot.pause()
        assert isinstance(app.screen, DraftPromptScreen)
        await pilot.press("enter")
        await pilot.pause()
        assert app.screen.query_one("#place", Input).value == "kantinen"
        assert app.screen.query_one("#occurred", Input).value == "i dag 8:00"


async def test_draft_survives_a_killed_app(db_path: Path, settings: Settings, rules: Rules) -> None:
    setup = Store.open(db_path, "setup")
    save_workplace(setup, {"name": "Jobcenter"})
    setup.close()
    child = subprocess.Popen(
        [sys.executable, str(Path(__file__).with_name("draft_child.py")), str(db_path)],
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
        text=True,
        cwd=Path(__file__).parent.parent,
        env={**os.environ, "PYTHONPATH": str(Path(__file__).parent.parent)},
    )
    watchdog = threading.Timer(90, child.kill)  # a child that never gets READY must fail the test, not hang it
    watchdog.start()
    try:
        assert child.stdout is not None
        assert child.stdout.readline().strip() == "READY"
    finally:
        watchdog.cancel()
        os.kill(child.pid, signal.SIGKILL)
        child.wait(timeout=30)
    assert child.returncode == -signal.SIGKILL

    store = Store.open(db_path, "tester", lambda: NOW)
    app = make_app(store, settings, rules)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("n")
        await pilot.pause()
        assert isinstance(app.screen, DraftPromptScreen)
        await pilot.press("enter")
        await pilot.pause()
        form = app.screen
        assert form.query_one("#workplace", Input).value == "Jobcenter"
        assert form.query_one("#occurred", Input).value == "i går 14"
        assert form.query_one("#place", Input).value == "venterum"
        assert form.query_one("#description", TextArea).text == "Trussel"
        assert form.query_one("#person", Input).value == "Ida Dahl"
    store.close()


async def test_no_dispensation_notat_when_a_colleague_is_the_perpetrator(
    store: Store, settings: Settings, rules: Rules
) -> None:
    """Fodnote 2: the dispensation concerns «den pågældende skadevoldende elev, patient, borger mv.» only."""
    save_workplace(store, {"name": "Lyngbo"})
    app = make_app(store, settings, rules)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("n")
        await pilot.pause()
        await pilot.press(*"Lyngbo", "tab", *"i går 22", "tab", *"stuen", "tab")
        await pilot.press("enter", "down", "down", "enter", "tab")  # perpetrator: Kollega
        await pilot.press(*"Kvæl.", "tab", *"Mette", "tab", *"SSA", "tab")
        await pilot.pause()
        await pilot.press("ctrl+s")
        await pilot.pause()
        await pilot.press("1", "enter", "2", "enter")  # physical violence: kvælningsforsøg
        await pilot.press("2", "2", "1", "1", "1")  # physical injury, single episode, intentional, not reflex, in hours
        await pilot.pause()
        result = str(app.screen.query_one("#wizard-result", Static).content)
        assert "KAN VÆRE RELEVANT" in result and "Personaleafdelingen" in result
        assert "Afgjort efter: Regelsæt" in result
        await pilot.press("enter")
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert isinstance(app.screen, CaseViewScreen)
        assert "Afgjort efter: Regelsæt" in str(app.screen.query_one("#classification", Static).content)
        await pilot.press("p")
        await pilot.pause()
        assert isinstance(app.screen, CaseViewScreen), "no notat prompt for a colleague"
        assert any("ikke borger eller pårørende" in str(n.message) for n in app._notifications)
    with store.read() as session:
        assert session.exec(select(CaseNote).where(CaseNote.kind == "dispensation")).first() is None
        assert session.exec(select(Task).where(Task.action_code == "peer_escalation")).one()
