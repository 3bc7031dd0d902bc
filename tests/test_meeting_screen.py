"""Meeting mode in the app (Pilot): plan a meeting, step through its agenda, reveal a narrative (audited),
record a decision that creates a plan item, withhold a case a party would see, export the minutes."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlmodel import select
from textual.widgets import Input, SelectionList, Static, TextArea

from tests.conftest import NOW, settle
from tests.meeting_data import AFFECTED, AMR, LEADER, WITNESS, build, case_ref
from trivsel_tui.app import TrivselApp
from trivsel_tui.domain.rules import Rules
from trivsel_tui.settings import Settings
from trivsel_tui.store.models import ActionItem, ActionPlan, AuditEntry, Meeting
from trivsel_tui.store.store import Store

SIZE = (80, 24)


def make_app(store: Store, settings: Settings, rules: Rules) -> TrivselApp:
    return TrivselApp(store=store, settings=settings, rules=rules, clock=lambda: NOW)


def screen_text(app: TrivselApp, selector: str) -> str:
    return str(app.screen.query_one(selector, Static).render())


async def plan_meeting(app: TrivselApp, pilot, typed: str = "") -> None:  # type: ignore[no-untyped-def]
    await pilot.press("m")
    await settle(app, pilot)
    await pilot.press("plus")
    await settle(app, pilot)
    await pilot.press("space")  # the first (only) workplace
    await settle(app, pilot)
    people = app.screen.query_one("#people", SelectionList)
    amr = next(i for i in range(people.option_count) if AMR in str(people.get_option_at_index(i).prompt))
    people.select(people.get_option_at_index(amr).value)
    app.screen.query_one("#typed", Input).value = typed
    await pilot.press("ctrl+s")
    await settle(app, pilot)


async def step_to(app: TrivselApp, pilot, heading: str) -> None:  # type: ignore[no-untyped-def]
    for _ in range(20):
        if screen_text(app, "#meeting-heading") == heading:
            await settle(app, pilot)  # the item's facts come after its heading
            return
        await pilot.press("right")
        await settle(app, pilot)
    raise AssertionError(f"{heading} not on the agenda")


async def test_a_whole_meeting_from_the_keyboard(
    store: Store, settings: Settings, rules: Rules, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr("trivsel_tui.screens.meeting.documents_dir", lambda: tmp_path / "eksport")
    data = build(store, rules)
    heading = f"Sag {case_ref(store, data.citizen_case)}"
    app = make_app(store, settings, rules)
    async with app.run_test(size=SIZE) as pilot:
        await plan_meeting(app, pilot)
        assert screen_text(app, "#meeting-position").startswith("Punkt 1 af ")
        await step_to(app, pilot, heading)
        slide = screen_text(app, "#meeting-slide")
        assert "Medarbejder A, Borger, Vidne A" in slide and "OVERSKREDET" in slide
        assert AFFECTED not in slide and "Skjult af hensyn til de involverede" in slide
        await pilot.press("r")
        await settle(app, pilot)
        slide = screen_text(app, "#meeting-slide")
        assert "Medarbejder A blev slået af en borger i gangen" in slide and "010190" not in slide
        await pilot.press("d")
        await settle(app, pilot)
        app.screen.query_one("#decision", TextArea).text = "Tryghedsvandring i gangen"
        app.screen.query_one("#follow-up-by", Input).value = AMR
        app.screen.query_one("#measure", Input).value = "Alarm i gangen"
        app.screen.query_one("#owner", Input).value = LEADER
        app.screen.query_one("#due", Input).value = "15-12-2026"
        await pilot.press("ctrl+s")
        await settle(app, pilot)
        slide = screen_text(app, "#meeting-slide")
        assert "Nyt tiltag: Alarm i gangen – ansvarlig: Lene Ledersen, frist: 15-12-2026" in slide
        await pilot.press("l")
        await settle(app, pilot)
        await pilot.press("j")
        await settle(app, pilot)
        assert "LUKKET" in screen_text(app, "#meeting-position")
        await pilot.press("e")
        await settle(app, pilot)
    with store.read() as session:
        meeting = session.exec(select(Meeting)).one()
        reveal = session.exec(select(AuditEntry).where(AuditEntry.action == "reveal")).one()
        plan = session.exec(select(ActionPlan).where(ActionPlan.case_id == data.citizen_case)).one()
        item = session.exec(select(ActionItem).where(ActionItem.plan_id == plan.id)).one()
    assert meeting.status == "closed" and reveal.entity_id == meeting.id and reveal.actor == "tester"
    assert (item.measure, item.responsible, str(item.due_on)) == ("Alarm i gangen", LEADER, "2026-12-15")
    files = sorted((tmp_path / "eksport").iterdir())
    assert [f.name for f in files] == [
        "referat-arbejdsmiljøgruppen-børnehuset-solsikken-2026-11-26.md",
        "referat-arbejdsmiljøgruppen-børnehuset-solsikken-2026-11-26.pdf",
    ]
    markdown = files[0].read_text(encoding="utf-8")
    assert "Tryghedsvandring i gangen" in markdown and AFFECTED not in markdown and "Mette" not in markdown
    assert all(f.stat().st_mode & 0o777 == 0o600 for f in files)


async def test_a_witness_attending_hides_that_case(store: Store, settings: Settings, rules: Rules) -> None:
    data = build(store, rules)
    ref = case_ref(store, data.citizen_case)
    app = make_app(store, settings, rules)
    async with app.run_test(size=SIZE) as pilot:
        await plan_meeting(app, pilot, typed=WITNESS)
        assert screen_text(app, "#meeting-heading") == "1 sag holdes uden for mødet"
        assert "En deltager er part i sagen" in screen_text(app, "#meeting-slide")
        headings = []
        for _ in range(12):
            headings.append(screen_text(app, "#meeting-heading"))
            await pilot.press("right")
            await pilot.pause()
    assert f"Sag {ref}" not in headings
