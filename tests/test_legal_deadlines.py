"""Issue 12: legal deadlines cannot slip. Postponing is refused (a reminder may be set beside the deadline),
closing a case with open tasks asks, a closed case's open legal task stays on the dashboard until it is
done or given up, and a case left in the wizard is itself a deadline. Driven by keyboard; the database
and the audit log are checked after each step."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from sqlmodel import col, select
from textual.widgets import DataTable, Input, Static

from tests.conftest import NOW, settle
from tests.test_episode_flow import fill_form, walk_wizard_kick_with_injury
from trivsel_tui.app import TrivselApp
from trivsel_tui.dialogs.close_case import CloseCaseScreen
from trivsel_tui.dialogs.legal_deadline import LegalDeadlineScreen
from trivsel_tui.dialogs.postpone_form import PostponeFormScreen
from trivsel_tui.domain.classify import classify
from trivsel_tui.domain.facts import parse_facts
from trivsel_tui.domain.legal_deadlines import LegalDeadlineError
from trivsel_tui.domain.rules import Rules
from trivsel_tui.screens.case_view import CaseViewScreen
from trivsel_tui.screens.home import COLUMNS, HomeScreen
from trivsel_tui.screens.wizard import WizardScreen
from trivsel_tui.settings import Settings
from trivsel_tui.store import audit
from trivsel_tui.store.cases import EpisodeInput, register_episode, save_classification
from trivsel_tui.store.dashboard import postpone_task
from trivsel_tui.store.models import AuditEntry, Case, Task
from trivsel_tui.store.queries import save_workplace
from trivsel_tui.store.store import Store

SIZE = (160, 45)
# Wednesday 25 November 2026, 22:00 Copenhagen: eleven hours before NOW.
OCCURRED = datetime(2026, 11, 25, 21, 0, tzinfo=UTC)


def make_app(store: Store, settings: Settings, rules: Rules) -> TrivselApp:
    return TrivselApp(store=store, settings=settings, rules=rules, clock=lambda: NOW)


def violent_case(store: Store, rules: Rules, injury: str = "physical") -> int:
    """A citizen's blow with injury, classified: police (72 h), Insubiz (14 days) and support tasks."""
    workplace = save_workplace(store, {"name": "Lyngbo", "leader_name": "Hanne Holm", "amr_name": "Ali Amr"})
    assert workplace.id is not None
    case_id, episode_id = register_episode(store, EpisodeInput(workplace.id, OCCURRED, "Mette", "citizen"))
    facts = {
        "occurred_at": OCCURRED.isoformat(),
        "behaviours": ["blow"],
        "perpetrator": "citizen",
        "injury": injury,
        "intentional": True,
        "reflex_or_resistance": False,
    }
    save_classification(store, episode_id, facts, classify(parse_facts(facts, rules), rules))
    return case_id


def tasks_by_code(store: Store) -> dict[str, Task]:
    with store.read() as session:
        return {task.action_code: task for task in session.exec(select(Task))}


def task_updates(store: Store) -> list[AuditEntry]:
    with store.read() as session:
        return list(session.exec(select(AuditEntry).where(AuditEntry.entity == "task", AuditEntry.action == "update")))


def opened(store: Store, entries: list[AuditEntry]) -> list[dict[str, list[object]] | None]:
    with store.read() as session:
        return audit.opened_changes(session, entries)


def dashboard_rows(app: TrivselApp) -> dict[str, list[str]]:
    table = app.screen.query_one("#due", DataTable)
    rows = [[str(cell) for cell in table.get_row_at(i)] for i in range(table.row_count)]
    return {row[1]: row for row in rows}


def errors(app: TrivselApp) -> str:
    return " ".join(str(error.content) for error in app.screen.query(".field-error").results(Static))


def move_to(app: TrivselApp, table_id: str, title: str) -> None:
    table = app.screen.query_one(table_id, DataTable)
    column = 2 if table_id == "#tasks" else 1  # the case view shows the owner before the title
    titles = [str(table.get_row_at(i)[column]) for i in range(table.row_count)]
    table.move_cursor(row=titles.index(title))


@pytest.mark.both_databases
def test_the_classification_marks_legal_deadlines_and_owners(store: Store, rules: Rules) -> None:
    violent_case(store, rules)
    tasks = tasks_by_code(store)
    legal = {code for code, task in tasks.items() if task.legal_deadline}
    assert legal == {"police_report", "insurance_report", "victim_compensation"}
    assert (tasks["offer_support"].owner_role, tasks["offer_support"].owner) == ("leader", "Hanne Holm")
    assert (tasks["amg_follow_up"].owner_role, tasks["amg_follow_up"].owner) == ("work_environment_group", "Ali Amr")
    assert (tasks["police_report"].owner_role, tasks["police_report"].owner) == ("hr", store.actor)
    assert (tasks["victim_compensation"].owner_role, tasks["victim_compensation"].owner) == ("employee", "Mette")


@pytest.mark.both_databases
def test_a_violation_report_is_a_local_default_and_may_move(store: Store, rules: Rules) -> None:
    violent_case(store, rules, injury="none")
    report = tasks_by_code(store)["insurance_report"]
    assert "krænkelse" in report.title and not report.legal_deadline


@pytest.mark.both_databases
def test_the_store_refuses_to_move_a_legal_deadline(store: Store, rules: Rules) -> None:
    violent_case(store, rules)
    police = tasks_by_code(store)["police_report"]
    assert police.id is not None
    with pytest.raises(LegalDeadlineError):
        postpone_task(store, police.id, NOW + timedelta(days=12), "Travlt")
    assert tasks_by_code(store)["police_report"].due_at == police.due_at
    assert task_updates(store) == []


async def test_postponing_the_police_task_is_refused_and_a_reminder_sits_beside_it(
    store: Store, settings: Settings, rules: Rules
) -> None:
    violent_case(store, rules)
    police_due = tasks_by_code(store)["police_report"].due_at
    app = make_app(store, settings, rules)
    async with app.run_test(size=SIZE) as pilot:
        await settle(app, pilot)
        police_title = tasks_by_code(store)["police_report"].title
        move_to(app, "#due", police_title)
        await pilot.press("u")
        await settle(app, pilot)
        assert isinstance(app.screen, LegalDeadlineScreen), "no date field to move the deadline"
        explanation = str(app.screen.query_one("#legal-explanation", Static).content)
        assert "lovbestemt" in explanation and "72 timer" in explanation
        assert "notatet" in explanation and "registrér" in explanation, "what to do instead"
        await pilot.press("escape")
        await settle(app, pilot)
        assert task_updates(store) == [], "nothing changes"
        await pilot.press("u")
        await settle(app, pilot)
        await pilot.press(*"30-11-2026", "ctrl+s")
        await settle(app, pilot)
        assert "før fristen" in str(app.screen.query_one("#reminder-date-error", Static).content)
        app.screen.query_one("#reminder-date", Input).value = "27-11-2026"
        await pilot.press("ctrl+s")
        await settle(app, pilot)
        assert isinstance(app.screen, HomeScreen)
        due_cell = dashboard_rows(app)[police_title][0]
        assert "28-11-2026 22:00" in due_cell and "påmind. 27-11-2026" in due_cell, "beside, not instead"
        assert "§ lovfrist" in dashboard_rows(app)[police_title][COLUMNS.index("state")]
    police = tasks_by_code(store)["police_report"]
    assert police.due_at == police_due
    assert police.remind_at is not None and police.remind_at.date().isoformat() == "2026-11-26"  # 27th 00:00 local
    [entry] = task_updates(store)
    assert set(entry.changes) == {"remind_at"}


async def test_a_local_default_task_is_postponed_from_the_case_view(
    store: Store, settings: Settings, rules: Rules
) -> None:
    case_id = violent_case(store, rules)
    support = tasks_by_code(store)["offer_support"]
    app = make_app(store, settings, rules)
    async with app.run_test(size=SIZE) as pilot:
        app.open_case(case_id)
        await settle(app, pilot)
        tasks = app.screen.query_one("#tasks", DataTable)
        dues = [str(tasks.get_row_at(i)[0]) for i in range(tasks.row_count)]
        assert any("28-11-2026 22:00 (60 t 0 min) §" in due for due in dues), "the police task counts down hours"
        move_to(app, "#tasks", support.title)
        await pilot.press("u")
        await settle(app, pilot)
        assert isinstance(app.screen, PostponeFormScreen)
        await pilot.press(*"04-12-2026", "tab", *"Leder syg", "ctrl+s")
        await settle(app, pilot)
        assert isinstance(app.screen, CaseViewScreen)
    moved = tasks_by_code(store)["offer_support"]
    assert moved.due_at is not None and moved.due_at.date().isoformat() == "2026-12-04"
    assert "Udsat til 04-12-2026: Leder syg" in moved.note


async def test_closing_with_open_legal_tasks_asks_and_keeps_them_on_the_dashboard(
    store: Store, settings: Settings, rules: Rules
) -> None:
    case_id = violent_case(store, rules)
    app = make_app(store, settings, rules)
    async with app.run_test(size=SIZE) as pilot:
        app.open_case(case_id)
        await settle(app, pilot)
        await pilot.press("l")
        await settle(app, pilot)
        dialog = app.screen
        assert isinstance(dialog, CloseCaseScreen)
        listed = str(dialog.query_one("#close-case-tasks", Static).content)
        assert "Anmeld arbejdsulykke i Insubiz" in listed and "Overvej politianmeldelse" in listed
        await pilot.press("escape")
        await settle(app, pilot)
        with store.read() as session:
            assert session.get(Case, case_id).status == "open"  # type: ignore[union-attr]
        await pilot.press("l")
        await settle(app, pilot)
        await pilot.press(*"Anmeldt", "ctrl+s")  # only the first legal task has a reason
        await settle(app, pilot)
        assert "hver opgave" in errors(app)
        for field in app.screen.query(".legal-reason Input").results(Input):
            field.value = field.value or "Afventer svar"
        app.screen.query_one("#close-reason", Input).value = "Forløbet er afsluttet"
        await pilot.press("ctrl+s")
        await settle(app, pilot)
        assert isinstance(app.screen, CaseViewScreen)
        await pilot.press("o")
        await settle(app, pilot)
        rows = dashboard_rows(app)
        insubiz = next(title for title in rows if "Insubiz" in title)
        assert rows[insubiz][2].startswith("2026-0001 (lukket) · "), "marked next to the case number"
        assert "Arbejdsmiljøgruppen: følg op" not in " ".join(rows), "local-default tasks leave with the case"
        move_to(app, "#due", insubiz)
        await pilot.press("enter")
        await settle(app, pilot)
        move_to(app, "#tasks", insubiz)
        await pilot.press("g")
        await settle(app, pilot)
        await pilot.press(*"Anmeldt på papir", "ctrl+s")
        await settle(app, pilot)
        await pilot.press("o")
        await settle(app, pilot)
        assert insubiz not in dashboard_rows(app)
    tasks = tasks_by_code(store)
    assert "Sagen lukket med opgaven åben: Anmeldt" in tasks["police_report"].note
    assert tasks["insurance_report"].abandon_reason == "Anmeldt på papir"
    assert tasks["insurance_report"].done_at == NOW
    assert tasks["amg_follow_up"].done_at is None, "closing does not tick tasks off"
    changed = [set(values) for values in opened(store, task_updates(store)) if values]
    assert {"note"} in changed and {"done_at", "done_by", "abandon_reason", "note"} in changed


async def test_a_case_left_in_the_wizard_is_a_deadline_on_the_dashboard(
    store: Store, settings: Settings, rules: Rules
) -> None:
    save_workplace(store, {"name": "Lyngbo"})
    app = make_app(store, settings, rules)
    async with app.run_test(size=SIZE) as pilot:
        await fill_form(pilot)
        await pilot.press("ctrl+s")
        await settle(app, pilot)
        assert isinstance(app.screen, WizardScreen)
        await pilot.press("escape")  # the phone rings
        await pilot.press("o")
        await settle(app, pilot)
        row = dashboard_rows(app)["Klassificér episoden"]
        assert row[0].startswith("◆ om 24 t 0 min"), "due at once: under 24 hours from the start"
        # "i går 22" = 25 November 22:00; 72 real hours later.
        assert row[0].endswith("politifrist om 60 t 0 min")
        move_to(app, "#due", "Klassificér episoden")
        await pilot.press("enter")
        await settle(app, pilot)
        assert isinstance(app.screen, WizardScreen)
        await walk_wizard_kick_with_injury(pilot)
        await pilot.press("enter")
        await settle(app, pilot)
        assert isinstance(app.screen, CaseViewScreen)
        await pilot.press("o")
        await settle(app, pilot)
        assert "Klassificér episoden" not in dashboard_rows(app)
    with store.read() as session:
        assert session.exec(select(Task).where(col(Task.legal_deadline))).all()


@pytest.mark.both_databases
def test_an_unclassified_episode_is_overdue_after_24_hours(store: Store, rules: Rules) -> None:
    from trivsel_tui.store.dashboard import DueQuery, due_rows

    workplace = save_workplace(store, {"name": "Lyngbo"})
    assert workplace.id is not None
    register_episode(store, EpisodeInput(workplace.id, OCCURRED, "Mette", "citizen"))
    [row] = [r for r in due_rows(store, DueQuery.from_rules(rules)) if r.kind == "classify_episode"]
    assert row.due == NOW + timedelta(hours=24)
    rule = rules.deadline_in_force("classify_episode", NOW.date())
    assert rule is not None and rule.source == "local_default" and not rule.legal
