"""The people involved in a case, driven by keyboard: the not-anonymous notice at intake, and parties
added, changed and removed on the case's records screen, audited and sealed with the case's key."""

from __future__ import annotations

from sqlmodel import select
from textual.widgets import DataTable, Input, Select, Static

from tests.conftest import NOW, settle
from trivsel_tui.app import TrivselApp
from trivsel_tui.domain.rules import Rules
from trivsel_tui.screens.case_records import CaseRecordsScreen
from trivsel_tui.screens.case_view import CaseViewScreen
from trivsel_tui.screens.episode_form import EpisodeFormScreen
from trivsel_tui.settings import Settings
from trivsel_tui.store import audit
from trivsel_tui.store.cases import EpisodeInput, register_episode
from trivsel_tui.store.models import AuditEntry, CaseParty
from trivsel_tui.store.queries import save_workplace
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
        assert "Skriv personens navn" in str(app.screen.query_one("#party-error", Static).content)
        app.screen.query_one("#party-name", Input).value = HOSTILE
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert "Vælg, om personen" in str(app.screen.query_one("#party-error", Static).content)
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
