"""The retention screen: a hold with its kind chosen in the app, and early kassation with confirmation and a reason."""

from __future__ import annotations

from datetime import timedelta

from sqlmodel import select
from textual.widgets import DataTable, Select, Static, TextArea

from tests.conftest import NOW, settle
from tests.test_retention import make_case
from trivsel_tui.app import TrivselApp
from trivsel_tui.domain.rules import Rules
from trivsel_tui.settings import Settings
from trivsel_tui.store.cases import set_case_status
from trivsel_tui.store.models import AuditEntry, Case
from trivsel_tui.store.retention import set_hold
from trivsel_tui.store.store import Store


def row_text(table: DataTable[object], row: int) -> str:
    return " ".join(str(cell) for cell in table.get_row_at(row))


async def test_a_hold_is_put_with_the_kind_chosen_in_the_app(store: Store, settings: Settings, rules: Rules) -> None:
    case_id = make_case(store)
    app = TrivselApp(store=store, settings=settings, rules=rules, clock=lambda: NOW)
    async with app.run_test(size=(140, 40)) as pilot:
        await pilot.press("b")
        await settle(app, pilot)
        screen = app.screen
        await pilot.press("t")
        await settle(app, pilot)
        dialog = app.screen
        dialog.query_one(TextArea).text = "Medarbejderen har anmeldt en erhvervssygdom"
        await pilot.press("ctrl+s")
        await settle(app, pilot)
        assert app.screen is dialog, "without a kind the hold is not saved"
        assert "Vælg, hvorfor" in str(dialog.query_one("#hold-error", Static).render())
        dialog.query_one(Select).value = "occupational_disease_claim"
        await pilot.press("ctrl+s")
        await settle(app, pilot)
        assert app.screen is screen
        text = row_text(screen.query_one(DataTable), 0)
        assert "tilbageholdt (Sag om erhvervssygdom): Medarbejderen har anmeldt en erhvervssygdom" in text
    with store.read() as session:
        case = session.get(Case, case_id)
        assert case is not None and case.hold_kind == "occupational_disease_claim"


async def test_a_case_not_yet_due_is_discarded_early_after_confirmation_and_a_reason(
    store: Store, settings: Settings, rules: Rules
) -> None:
    early = make_case(store)
    held = make_case(store, "Holdt Tilbage", "Sag med retssag", "Ingen")
    for case_id in (early, held):
        set_case_status(store, case_id, "closed", "Afsluttet")
    set_hold(store, held, "litigation", "Retssag anlagt")
    app = TrivselApp(store=store, settings=settings, rules=rules, clock=lambda: NOW + timedelta(days=1))
    async with app.run_test(size=(140, 40)) as pilot:
        await pilot.press("b")
        await settle(app, pilot)
        screen = app.screen
        table = screen.query_one(DataTable)
        table.move_cursor(row=1)
        await pilot.press("k")
        await pilot.pause()
        assert app.screen is screen, "a case on hold is still refused before any dialog"
        table.move_cursor(row=0)
        await pilot.press("k")
        await pilot.pause()
        question = str(app.screen.query_one(Static).render())
        assert "Kassér den alligevel før tid" in question
        await pilot.press("j")
        await pilot.pause()
        app.screen.query_one(TextArea).text = "Oprettet ved en fejl"
        await pilot.press("ctrl+s")
        await settle(app, pilot)
        assert table.row_count == 1
    with store.read() as session:
        assert session.get(Case, early) is None and session.get(Case, held) is not None
        entry = session.exec(select(AuditEntry).where(AuditEntry.action == "discard")).one()
    assert entry.changes is not None and entry.changes["before_due"] == [None, True]
    assert entry.changes["reason"] == [None, "Oprettet ved en fejl"]


async def test_declining_the_early_kassation_keeps_the_case(store: Store, settings: Settings, rules: Rules) -> None:
    case_id = make_case(store)
    set_case_status(store, case_id, "closed", "Afsluttet")
    app = TrivselApp(store=store, settings=settings, rules=rules, clock=lambda: NOW)
    async with app.run_test(size=(140, 40)) as pilot:
        await pilot.press("b")
        await settle(app, pilot)
        await pilot.press("k")
        await pilot.pause()
        await pilot.press("n")
        await settle(app, pilot)
    with store.read() as session:
        assert session.get(Case, case_id) is not None
