"""The people involved in a case, driven by keyboard: the not-anonymous notice at intake, and parties
added, changed and removed on the case's records screen, audited and sealed with the case's key."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from sqlmodel import select
from textual.widgets import Checkbox, DataTable, Input, Select, Static

from tests.conftest import NOW, settle
from trivsel_tui.app import TrivselApp
from trivsel_tui.domain.clock import local
from trivsel_tui.domain.rules import Rules
from trivsel_tui.screens.case_records import CaseRecordsScreen
from trivsel_tui.screens.case_view import CaseViewScreen
from trivsel_tui.screens.episode_form import EpisodeFormScreen
from trivsel_tui.settings import Settings
from trivsel_tui.store import audit
from trivsel_tui.store.cases import EpisodeInput, register_episode
from trivsel_tui.store.models import AuditEntry, CaseParty, EpisodeOutcome, IndividualTalk, Task
from trivsel_tui.store.outcomes import OutcomeInput, save_outcome
from trivsel_tui.store.queries import save_workplace
from trivsel_tui.store.statistics import StatFilters, task_performance
from trivsel_tui.store.store import Store

SIZE = (120, 40)
HOSTILE = "Kaj [bold]Bo[/] [@click=app.quit]"


def make_app(store: Store, settings: Settings, rules: Rules) -> TrivselApp:
    return TrivselApp(store=store, settings=settings, rules=rules, clock=lambda: NOW)


def colleague_case(store: Store, perpetrator: str = "colleague") -> int:
    workplace = save_workplace(store, {"name": "Lyngbo"})
    data = EpisodeInput(workplace.id, NOW, "Mette Holm", perpetrator, description="Råb på gangen")
    case_id, _episode = register_episode(store, data)
    return case_id


async def open_records(app: TrivselApp, pilot, case_id: int) -> CaseRecordsScreen:  # type: ignore[no-untyped-def]
    app.open_case(case_id)
    await settle(app, pilot)
    assert isinstance(app.screen, CaseViewScreen)
    await pilot.press("c")
    await settle(app, pilot)
    assert isinstance(app.screen, CaseRecordsScreen)
    return app.screen


def party_audit(store: Store, case_id: int) -> list[tuple[str, dict[str, list[object]] | None]]:
    with store.read() as session:
        entries = [e for e in audit.case_entries(session, case_id) if e.entity == "case_party"]
        opened = audit.opened_changes(session, entries)
        assert all(e.sealed for e in entries), "a party's values are sealed with the case's key"
    return [(e.action, values) for e, values in zip(entries, opened, strict=True)]


async def test_the_not_anonymous_notice_comes_before_any_name_is_typed(
    store: Store, settings: Settings, rules: Rules
) -> None:
    save_workplace(store, {"name": "Lyngbo"})
    app = make_app(store, settings, rules)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("n")
        await pilot.pause()
        form = app.screen
        assert isinstance(form, EpisodeFormScreen)
        notice = form.query_one("#hearing-notice", Static)
        await pilot.press(*"Lyngbo", "tab", *"i går 22", "tab", *"stuen", "tab")
        assert form.focused is form.query_one("#perpetrator", Select), "who it is about comes before names"
        assert not notice.display
        await pilot.press("enter", "down", "down", "enter")  # Kollega
        await pilot.pause()
        assert notice.display and "ikke foregå anonymt" in str(notice.content)
        assert "høring af alle relevante parter" in str(notice.content)
        assert form.query_one("#person", Input).value == "", "shown before the names"
        await pilot.press("enter", "up", "enter")  # Borger: the notice goes
        await pilot.pause()
        assert not notice.display


async def test_parties_are_added_changed_and_removed_by_keyboard_and_audited(
    store: Store, settings: Settings, rules: Rules
) -> None:
    case_id = colleague_case(store)
    app = make_app(store, settings, rules)
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_records(app, pilot, case_id)
        assert "ikke foregå anonymt" in str(screen.query_one("#hearing-notice", Static).content)
        # The person the case is about: a colleague.
        await pilot.press("p")
        await pilot.pause()
        await pilot.press("shift+tab", "enter", "up", "enter")  # role: from Vidne up to the subject
        await pilot.pause()
        assert app.screen.query_one("#party-role", Select).value == "subject"
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert "Skriv personens navn" in str(app.screen.query_one("#party-name-error", Static).content)
        app.screen.query_one("#party-name", Input).value = HOSTILE
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert "Vælg, om personen" in str(app.screen.query_one("#party-relation-error", Static).content)
        app.screen.query_one("#party-relation", Select).focus()
        await pilot.press("enter", "down", "down", "enter")  # Kollega
        await pilot.press("ctrl+s")
        await settle(app, pilot)
        # A witness.
        await pilot.press("p", *"Ole Vidne", "ctrl+s")
        await settle(app, pilot)
        table = screen.query_one("#parties", DataTable)
        rows = [[str(cell) for cell in table.get_row_at(i)] for i in range(table.row_count)]
        assert rows[0][:2] == ["Den, sagen handler om (Kollega)", HOSTILE], "the name is shown literally"
        assert rows[1][:2] == ["Vidne", "Ole Vidne"]
        # Change the witness's job, then remove the witness.
        await pilot.press("down", "e")
        await pilot.pause()
        app.screen.query_one("#party-job", Input).value = "SSA"
        await pilot.press("ctrl+s")
        await settle(app, pilot)
        await pilot.press("x")
        await pilot.pause()
        await pilot.press("j")
        await settle(app, pilot)
        assert table.row_count == 1
    with store.read() as session:
        parties = session.exec(select(CaseParty).where(CaseParty.case_id == case_id)).all()
    assert [(p.role, p.relation, p.name) for p in parties] == [("subject", "colleague", HOSTILE)]
    history = party_audit(store, case_id)
    assert [action for action, _values in history] == ["create", "create", "update", "delete"]
    assert history[0][1] is not None and history[0][1]["name"] == [None, HOSTILE]
    assert history[2][1] == {"job": ["", "SSA"]}
    assert history[3][1] is not None and history[3][1]["name"] == ["Ole Vidne", None]
    with store.read() as session:
        raw = [e.changes for e in session.exec(select(AuditEntry).where(AuditEntry.entity == "case_party"))]
    assert "Ole" not in str(raw), "names are not in the clear in the audit log"


def violence_case(store: Store, rules: Rules) -> tuple[int, int]:
    """A classified violence case with injury: it has Insubiz, police and support tasks."""
    from trivsel_tui.domain.classify import classify
    from trivsel_tui.domain.facts import parse_facts
    from trivsel_tui.store.cases import episode_facts, get_episode, save_classification

    workplace = save_workplace(store, {"name": "Bofællesskabet"})
    occurred = NOW - timedelta(days=3)
    data = EpisodeInput(workplace.id, occurred, "Mette Holm", "citizen", place="stuen", first_absence_day=None)
    case_id, episode_id = register_episode(store, data)
    episode = get_episode(store, episode_id)
    assert episode is not None
    facts = {
        **episode_facts(episode),
        "behaviours": ["blow"],
        "injury": "physical",
        "intentional": True,
        "reflex_or_resistance": False,
        "outside_working_hours": False,
    }
    save_classification(store, episode_id, facts, classify(parse_facts(facts, rules), rules))
    return case_id, episode_id


async def test_an_individual_talk_is_logged_and_its_follow_up_is_a_deadline_on_the_dashboard(
    store: Store, settings: Settings, rules: Rules
) -> None:
    case_id = colleague_case(store)
    app = make_app(store, settings, rules)
    async with app.run_test(size=SIZE) as pilot:
        await open_records(app, pilot, case_id)
        await pilot.press("i")
        await pilot.pause()
        form = app.screen
        guidance = str(form.query_one(Static).content)
        # Not classified yet: every category's sentence, each with its section of the guideline.
        assert "efter konkret behov" in guidance and "Hvor det er relevant" in guidance
        assert "»Hvordan forebygger vi mobning og nedværdigende behandling?«" in guidance
        await pilot.press(*"i morgen", "tab", *"Mette", "tab", *"Tryghed", "ctrl+s")
        await pilot.pause()
        assert "fremtiden" in str(form.query_one("#talk-held-error", Static).content)
        form.query_one("#talk-held", Input).value = "i går"
        form.query_one("#talk-action", Input).value = "Opkvalificering: kursus i konflikthåndtering"
        form.query_one("#talk-follow-up", Input).focus()
        await pilot.press(*"10-12-2026", "ctrl+s")
        await settle(app, pilot)
        assert isinstance(app.screen, CaseRecordsScreen)
        talks = app.screen.query_one("#talks", DataTable)
        assert [str(cell) for cell in talks.get_row_at(0)][:3] == ["25-11-2026", "Mette", "Tryghed"]
        await pilot.press("escape")
        await settle(app, pilot)
        await pilot.press("escape")  # back to the dashboard
        await settle(app, pilot)
        dashboard = app.screen.query_one("#due", DataTable)
        titles = [str(dashboard.get_row_at(i)[1]) for i in range(dashboard.row_count)]
        assert any("Følg op på samtale med Mette: Tryghed" in title for title in titles)
    with store.read() as session:
        talk = session.exec(select(IndividualTalk)).one()
        task = session.get(Task, talk.task_id)
        entries = [e for e in audit.case_entries(session, case_id) if e.entity == "individual_talk"]
        opened = audit.opened_changes(session, entries)
    assert (talk.held_on, talk.employee, talk.agreed_action) == (
        date(2026, 11, 25),
        "Mette",
        "Opkvalificering: kursus i konflikthåndtering",
    )
    assert task is not None and task.due_at is not None and task.done_at is None
    assert task.owner_role == "leader", "the leader follows up on the talk"
    assert task.due_at.isoformat() == "2026-12-10T22:59:00+00:00", "23:59 Copenhagen time on the follow-up day"
    assert len(entries) == 1 and entries[0].sealed and opened[0] is not None
    assert opened[0]["topic"] == [None, "Tryghed"]


async def test_insubiz_and_police_reports_support_and_the_copy_are_recorded_as_data(
    store: Store, settings: Settings, rules: Rules
) -> None:
    case_id, episode_id = violence_case(store, rules)
    app = make_app(store, settings, rules)
    async with app.run_test(size=SIZE) as pilot:
        await open_records(app, pilot, case_id)
        await pilot.press("u")
        await pilot.pause()
        form = app.screen
        await pilot.press(*"i går", "tab", *"EASY-2026-4711", "ctrl+s")
        await settle(app, pilot)
        assert isinstance(app.screen, CaseRecordsScreen)
        lines = str(app.screen.query_one("#outcomes", Static).content)
        assert "Insubiz: anmeldt 25-11-2026, reference EASY-2026-4711" in lines
        await pilot.press("u")
        await pilot.pause()
        form = app.screen
        assert form.query_one("#insubiz_ref", Input).value == "EASY-2026-4711", "starts from what is recorded"
        form.query_one("#police_journal", Input).value = "0900-12345-00012-26"
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert "kræver datoen" in str(form.query_one("#outcome-error", Static).content)
        form.query_one("#police_reported_on", Input).value = "i morgen"
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert "fremtiden" in str(form.query_one("#police_reported_on-error", Static).content)
        form.query_one("#police_reported_on", Input).value = "i dag"
        form.query_one("#support", Select).focus()
        await pilot.press("enter", "down", "down", "enter")  # tilbudt og taget imod
        form.query_one("#amr_access_on-tick", Checkbox).focus()
        await pilot.press("space")  # ticked: today
        await pilot.pause()
        assert form.query_one("#amr_access_on", Input).value == "26-11-2026"
        await pilot.press("ctrl+s")
        await settle(app, pilot)
        lines = str(app.screen.query_one("#outcomes", Static).content)
        assert "Politi: anmeldt 26-11-2026, journalnummer 0900-12345-00012-26" in lines
        assert "Støtte: tilbudt og taget imod 26-11-2026" in lines
        assert "AMR har fået adgang til anmeldelsen 26-11-2026" in lines and "kopi" not in lines
    with store.read() as session:
        outcome = session.exec(select(EpisodeOutcome)).one()
        tasks = {task.action_code: task for task in session.exec(select(Task).where(Task.episode_id == episode_id))}
        entries = [e for e in audit.case_entries(session, case_id) if e.entity == "episode_outcome"]
        opened = audit.opened_changes(session, entries)
    assert (outcome.insubiz_reported_on, outcome.insubiz_ref) == (date(2026, 11, 25), "EASY-2026-4711")
    assert (outcome.police_reported_on, outcome.support, outcome.amr_access_on) == (NOW.date(), "accepted", NOW.date())
    assert outcome.employee_copy_on is None
    insurance = tasks["insurance_report"]
    assert insurance.done_at is not None and insurance.done_at.isoformat() == "2026-11-25T11:00:00+00:00"
    assert insurance.note == "Anmeldt i Insubiz 25-11-2026, reference EASY-2026-4711"
    assert tasks["police_report"].done_at == NOW and tasks["offer_support"].done_at == NOW
    assert [e.action for e in entries] == ["create", "update"]
    assert opened[1] is not None and opened[1]["police_journal"] == ["", "0900-12345-00012-26"]


@pytest.mark.both_databases
def test_insubiz_on_time_counts_from_the_report_date_not_from_when_the_task_was_ticked(
    store: Store, rules: Rules
) -> None:
    case_id, episode_id = violence_case(store, rules)
    with store.read() as session:
        task = session.exec(select(Task).where(Task.action_code == "insurance_report")).one()
    assert task.due_at is not None
    # Ticked off long after the deadline, but reported in time: on time.
    with store.write() as session:
        stored = session.get(Task, task.id)
        assert stored is not None
        stored.done_at = task.due_at + timedelta(days=30)
    save_outcome(store, episode_id, OutcomeInput(insubiz_reported_on=NOW.date() - timedelta(days=1)))
    performance = {row.kind: row for row in task_performance(store, StatFilters(), NOW, "notat").kinds}
    assert (performance["insurance_report"].on_time, performance["insurance_report"].late) == (1, 0)
    # Reported the day after the deadline's day: late, however the task was ticked.
    late_day = local(task.due_at).date() + timedelta(days=1)
    with store.write() as session:
        outcome = session.exec(select(EpisodeOutcome)).one()
        outcome.insubiz_reported_on = late_day
    performance = {row.kind: row for row in task_performance(store, StatFilters(), NOW, "notat").kinds}
    assert (performance["insurance_report"].on_time, performance["insurance_report"].late) == (0, 1)
    del case_id
