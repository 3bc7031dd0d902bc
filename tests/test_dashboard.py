"""The follow-up dashboard with a fixed "now": states, filters, actions, and `trivsel due` agreeing with it."""

from __future__ import annotations

import gc
import json
import subprocess
import sys
from datetime import date, datetime, timedelta
from pathlib import Path

import pytest
from rich.text import Text
from sqlalchemy import text
from sqlmodel import select
from textual.widgets import DataTable, Static

from tests.conftest import NOW, settle
from trivsel_tui.app import TrivselApp
from trivsel_tui.domain.rules import Rules
from trivsel_tui.screens.case_view import CaseViewScreen
from trivsel_tui.screens.home import COLUMNS, PAGE, HomeScreen
from trivsel_tui.settings import Settings
from trivsel_tui.store.cases import EpisodeInput, register_episode
from trivsel_tui.store.dashboard import DueFilters, DueQuery, _parts, due_rows
from trivsel_tui.store.models import ActionItem, ActionPlan, AuditEntry, Task
from trivsel_tui.store.queries import save_workplace
from trivsel_tui.store.store import Store
from trivsel_tui.widgets.task_cells import owner_text

SIZE = (160, 45)


def add_task(store: Store, case_id: int, code: str, title: str, due: datetime, categories: str) -> None:
    with store.write() as session:
        session.add(Task(case_id=case_id, action_code=code, title=title, due_at=due, categories=categories))


@pytest.fixture
def dataset(store: Store) -> Store:
    """One of each kind of row, at known distances from NOW (Thursday 26 November 2026, 10:00 local)."""
    risky = save_workplace(
        store,
        {
            "name": "Jobcenter",
            "risk_violence_citizens": True,
            "leader_name": "Leder L",
            "last_wellbeing_survey": date(2024, 6, 1),
        },
    )
    calm = save_workplace(
        store,
        {
            "name": "Skolen",
            "last_wellbeing_survey": date(2026, 1, 10),
            "local_adaptation_decided_on": date(2026, 2, 1),
            "local_adaptation_decision": "Ingen",
        },
    )
    assert risky.id is not None and calm.id is not None
    case_a, _ = register_episode(store, EpisodeInput(calm.id, NOW - timedelta(days=2), "Ida", "citizen"))
    case_b, _ = register_episode(store, EpisodeInput(calm.id, NOW - timedelta(days=1), "Bo", "colleague"))
    add_task(store, case_a, "police_report", "Politianmeld", NOW + timedelta(hours=5), ",violence_threats,")
    add_task(store, case_a, "insurance_report", "Anmeld i Insubiz", NOW - timedelta(days=1), ",violence_threats,")
    add_task(store, case_b, "resolve_locally", "Løs lokalt", NOW + timedelta(days=20), ",sexual_harassment,")
    with store.write() as session:
        plan = ActionPlan(
            kind="prevention_violence",
            workplace_id=calm.id,
            status="adopted",
            adopted_on=date(2026, 1, 1),
            next_review_on=date(2027, 1, 1),
        )
        session.add(plan)
        session.flush()
        session.add(ActionItem(plan_id=plan.id or 0, measure="Alarmer", responsible="Ole", due_on=date(2026, 11, 30)))
    return store


def make_app(store: Store, settings: Settings, rules: Rules, clock=lambda: NOW) -> TrivselApp:  # type: ignore[no-untyped-def]
    return TrivselApp(store=store, settings=settings, rules=rules, clock=clock)


def table_rows(app: TrivselApp) -> list[list[Text]]:
    table = app.screen.query_one("#due", DataTable)
    return [list(table.get_row_at(i)) for i in range(table.row_count)]  # type: ignore[misc]


def by_title(app: TrivselApp) -> dict[str, list[Text]]:
    """Rows by title, and by "title @ workplace" for titles that occur at several workplaces."""
    rows = table_rows(app)
    keyed = {f"{row[1]} @ {str(row[2]).split(' · ')[-1]}": row for row in rows}
    keyed.update({str(row[1]): row for row in rows})
    return keyed


async def test_every_kind_of_row_with_state_colour_and_marker(dataset: Store, settings: Settings, rules: Rules) -> None:
    app = make_app(dataset, settings, rules)
    async with app.run_test(size=SIZE) as pilot:
        await settle(app, pilot)
        rows = by_title(app)
        expected = {
            # title: (marker, colour, status word)
            "Anmeld i Insubiz": ("▲", "red", "Over frist"),
            # Missing handleplan: overdue from the day the risk flag was set (today).
            "Udarbejd og vedtag handleplan for forebyggelse af vold og trusler fra borgere": ("▲", "red", "Over frist"),
            "Trivselsmåling (hvert andet år): følg op på resultatet @ Jobcenter": ("▲", "red", "Over frist"),
            # Under 24 hours: its own marker and word, so it reads as more urgent than "soon" without colour.
            "Politianmeld": ("◆", "yellow", "Under 24 t"),
            "Alarmer": ("●", "yellow", "Snart"),
            "Løs lokalt": (" ", None, ""),
            "Trivselsmåling (hvert andet år): følg op på resultatet @ Skolen": (" ", None, ""),
            "Revidér handleplanen": (" ", None, ""),
            "MED-udvalget: drøft, om der er behov for lokale tilpasninger af retningslinjerne": (" ", None, ""),
        }
        for title, (marker, colour, word) in expected.items():
            due, state = rows[title][0], rows[title][COLUMNS.index("state")]
            assert str(due).startswith(marker), title
            assert word in str(state), title
            assert (colour in str(due.style)) if colour else due.style == "", title
        assert "om 5 t 0 min" in str(rows["Politianmeld"][0]), "under 24 hours counts down hours and minutes"
        screen = app.screen
        assert isinstance(screen, HomeScreen)
        dues = [row.due for row in screen.rows]
        assert dues == sorted(dues), "the nearest deadline first"
        summary = str(app.screen.query_one("#summary", Static).content)
        assert "▲ 3 over frist" in summary and "1 arbejdsplads mangler handleplan" in summary, "singular for one"


async def test_the_summary_counts_and_names_the_configured_soon_interval(dataset: Store, rules: Rules) -> None:
    """The ● interval is a setting (due_soon_days): the summary line says which and counts the same rows."""
    app = make_app(dataset, Settings(actor="tester", due_soon_days=21), rules)
    async with app.run_test(size=SIZE) as pilot:
        await settle(app, pilot)
        summary = str(app.screen.query_one("#summary", Static).content)
        marked = [row for row in table_rows(app) if str(row[0]).startswith(("●", "◆"))]  # ◆: under 24 hours
        # Politianmeld (5 h), Alarmer (4 days) and Løs lokalt (20 days) are among them: within 21 days, not 7.
        assert {"Politianmeld", "Alarmer", "Løs lokalt"} <= {str(row[1]) for row in marked}
        assert f"● {len(marked)} inden for 21 dage" in summary and "uge" not in summary


async def test_countdown_moves_while_the_screen_is_open(dataset: Store, settings: Settings, rules: Rules) -> None:
    clock = [NOW]
    app = make_app(dataset, settings, rules, clock=lambda: clock[0])
    async with app.run_test(size=SIZE) as pilot:
        await settle(app, pilot)
        screen = app.screen
        assert isinstance(screen, HomeScreen)
        clock[0] = NOW + timedelta(hours=4, minutes=30)
        screen.tick()
        await pilot.pause()
        assert "om 0 t 30 min" in str(by_title(app)["Politianmeld"][0])
        clock[0] = NOW + timedelta(hours=6)
        screen.tick()
        await pilot.pause()
        assert str(by_title(app)["Politianmeld"][0]).startswith("▲")


async def test_what_start_up_made_is_left_out_of_later_garbage_collections(
    store: Store, settings: Settings, rules: Rules
) -> None:
    """Python's full collections walked every object start-up made: ~200 ms in the middle of a keystroke at
    100k cases (benchmarks/dashboard.py). Once the dashboard is up, start-up's objects are frozen."""
    gc.unfreeze()
    app = make_app(store, settings, rules)
    async with app.run_test(size=SIZE) as pilot:
        await settle(app, pilot)
        assert gc.get_freeze_count() > 0


async def test_search_filters_and_clearing(dataset: Store, settings: Settings, rules: Rules) -> None:
    app = make_app(dataset, settings, rules)
    async with app.run_test(size=SIZE) as pilot:
        await settle(app, pilot)
        await pilot.press("slash", *"Ida")  # the affected person of one case
        await settle(app, pilot)
        # Her episode is not classified yet: that is a deadline too.
        assert [str(r[1]) for r in table_rows(app)] == ["Anmeld i Insubiz", "Politianmeld", "Klassificér episoden"]
        assert "/Ida" in str(app.screen.query_one("#active-filters", Static).content)
        # Escape leaves the search field as Enter does (it did nothing: `v` then typed "Idav"), the search kept.
        await pilot.press("escape", "v")
        await settle(app, pilot)
        assert type(app.screen).__name__ == "StatisticsScreen"
        await pilot.press("o")
        await settle(app, pilot)
        assert "/Ida" in str(app.screen.query_one("#active-filters", Static).content)
        await pilot.press("x")
        await settle(app, pilot)
        assert len(table_rows(app)) == 11
        # The filter form: category = sexual attention.
        await pilot.press("f", "tab", "enter", "down", "down", "down", "enter", "ctrl+s")
        await settle(app, pilot)
        assert [str(r[1]) for r in table_rows(app)] == ["Løs lokalt"]
        assert "Kategori: Uønsket seksuel opmærksomhed" in str(app.screen.query_one("#active-filters", Static).content)
        await pilot.press("x")
        await settle(app, pilot)
        screen = app.screen
        assert isinstance(screen, HomeScreen)
        screen.filters = DueFilters(kinds=("police_report",))
        screen.load()
        await settle(app, pilot)
        assert [str(r[1]) for r in table_rows(app)] == ["Politianmeld"]
        screen.filters = DueFilters(responsible="Ole")
        screen.load()
        await settle(app, pilot)
        assert [str(r[1]) for r in table_rows(app)] == ["Alarmer"]


async def test_enter_opens_the_rows_case(dataset: Store, settings: Settings, rules: Rules) -> None:
    app = make_app(dataset, settings, rules)
    async with app.run_test(size=SIZE) as pilot:
        await settle(app, pilot)
        titles = [str(r[1]) for r in table_rows(app)]
        app.screen.query_one("#due", DataTable).move_cursor(row=titles.index("Løs lokalt"))
        await pilot.press("enter")
        await settle(app, pilot)
        assert isinstance(app.screen, CaseViewScreen)
        assert "Bo" in str(app.screen.query_one("#case-header", Static).content)


async def test_mark_done_removes_the_row(dataset: Store, settings: Settings, rules: Rules) -> None:
    app = make_app(dataset, settings, rules)
    async with app.run_test(size=SIZE) as pilot:
        await settle(app, pilot)
        titles = [str(r[1]) for r in table_rows(app)]
        app.screen.query_one("#due", DataTable).move_cursor(row=titles.index("Anmeld i Insubiz"))
        await pilot.press("d", *"Sendt", "ctrl+s")
        await settle(app, pilot)
        assert "Anmeld i Insubiz" not in by_title(app)
    with dataset.read() as session:
        task = session.exec(select(Task).where(Task.title == "Anmeld i Insubiz")).one()
    assert (task.done_at, task.note, task.done_by) == (NOW, "Sendt", "tester")


async def test_postpone_moves_the_row_and_logs_the_reason(dataset: Store, settings: Settings, rules: Rules) -> None:
    app = make_app(dataset, settings, rules)
    async with app.run_test(size=SIZE) as pilot:
        await settle(app, pilot)
        titles = [str(r[1]) for r in table_rows(app)]
        app.screen.query_one("#due", DataTable).move_cursor(row=titles.index("Anmeld i Insubiz"))
        await pilot.press("u", *"25-11-2026", "tab", *"Syg", "ctrl+s")
        await pilot.pause()
        assert "efter i dag" in str(app.screen.query_one("#postpone-date-error", Static).content)
        await pilot.press("ctrl+a", "ctrl+k", *"10-12-2026", "ctrl+s")  # the date field has the focus
        await settle(app, pilot)
        row = by_title(app)["Anmeld i Insubiz"]
        assert "10-12-2026 23:59" in str(row[0]) and not str(row[0]).startswith("▲")
    with dataset.read() as session:
        task = session.exec(select(Task).where(Task.title == "Anmeld i Insubiz")).one()
        entry = session.exec(select(AuditEntry).where(AuditEntry.entity == "task", AuditEntry.action == "update")).one()
    assert "Udsat til 10-12-2026: Syg" in task.note
    assert set(entry.changes) == {"due_at", "note"}


async def test_changes_elsewhere_reload_the_dashboard(dataset: Store, settings: Settings, rules: Rules) -> None:
    app = make_app(dataset, settings, rules)
    async with app.run_test(size=SIZE) as pilot:
        await settle(app, pilot)
        with dataset.read() as session:
            case_id = session.exec(select(Task.case_id)).first()
        assert case_id is not None
        add_task(dataset, case_id, "manual", "Ring tilbage", NOW + timedelta(days=3), "")  # as another copy would
        screen = app.screen
        assert isinstance(screen, HomeScreen)
        screen.watch_changes()
        await settle(app, pilot)
        await settle(app, pilot)
        assert "Ring tilbage" in by_title(app)


async def test_more_rows_load_as_the_cursor_nears_the_end(store: Store, settings: Settings, rules: Rules) -> None:
    workplace = save_workplace(
        store, {"name": "A", "last_wellbeing_survey": date(2026, 6, 1), "local_adaptation_decided_on": date(2026, 6, 1)}
    )
    assert workplace.id is not None
    case_id, _ = register_episode(store, EpisodeInput(workplace.id, NOW, "P", "citizen"))
    with store.write() as session:
        for i in range(PAGE + 30):
            session.add(Task(case_id=case_id, title=f"Opgave {i:03d}", due_at=NOW + timedelta(hours=i)))
    app = make_app(store, settings, rules)
    async with app.run_test(size=SIZE) as pilot:
        await settle(app, pilot)
        table = app.screen.query_one("#due", DataTable)
        assert table.row_count == PAGE, "one page at a time, not every row"
        await pilot.press("ctrl+end")  # the cursor to the last loaded row
        await settle(app, pilot)
        assert table.row_count == PAGE + 32, "the tasks and the unclassified episode"


def test_trivsel_due_matches_the_dashboard(dataset: Store, db_path: Path, rules: Rules) -> None:
    dashboard = due_rows(dataset, DueQuery.from_rules(rules), limit=PAGE)
    result = subprocess.run(
        [sys.executable, "-m", "trivsel_tui", "due", "--db", str(db_path), "--json", "--as-of", NOW.isoformat()],
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 0, result.stderr
    printed = json.loads(result.stdout)
    assert [(p["title"], p["workplace"], datetime.fromisoformat(p["due"])) for p in printed] == [
        (row.title, row.workplace, row.due) for row in dashboard
    ], "same rows, same order"
    states = {p["title"]: p["state"] for p in printed}
    assert states["Anmeld i Insubiz"] == "overdue"
    assert states["Politianmeld"] == "urgent"
    assert states["Løs lokalt"] == "later"
    assert {p["kind"] for p in printed} == {
        "classify_episode",
        "police_report",
        "insurance_report",
        "resolve_locally",
        "plan_item",
        "plan_review",
        "survey_due",
        "handleplan_missing",
        "adaptation_missing",
    }
    offsets = {datetime.fromisoformat(p["due"]).utcoffset() for p in printed}
    assert offsets == {timedelta(hours=1), timedelta(hours=2)}, "Copenhagen time, winter and summer"
    plain = subprocess.run(
        [sys.executable, "-m", "trivsel_tui", "due", "--db", str(db_path), "--as-of", NOW.isoformat()],
        capture_output=True,
        text=True,
        timeout=60,
    )
    lines = plain.stdout.splitlines()
    assert [line.split("  [")[0].split(" ", 1)[0] for line in lines][:1] == ["▲"]
    assert len(lines) == len(printed)


def test_the_task_arm_uses_the_open_due_index(dataset: Store) -> None:
    with dataset.read() as session:
        plan = (
            session.connection()
            .execute(
                text(f"EXPLAIN QUERY PLAN SELECT * FROM ({_parts(session.connection())[0]}) ORDER BY due LIMIT 100")
            )
            .all()
        )
    details = " ".join(str(row[-1]) for row in plan)
    assert "ix_task_open_due" in details
    assert "TEMP B-TREE" not in details


def test_postponing_a_plan_item_moves_its_day_and_keeps_the_reason(dataset: Store) -> None:
    from trivsel_tui.domain.clock import local_day_bound
    from trivsel_tui.store.dashboard import postpone_item

    with dataset.read() as session:
        item = session.exec(select(ActionItem)).one()
    assert item.id is not None
    postpone_item(dataset, item.id, local_day_bound(date(2026, 12, 14), end=True), "Leverandør forsinket")
    with dataset.read() as session:
        moved = session.exec(select(ActionItem)).one()
        entry = session.exec(
            select(AuditEntry).where(AuditEntry.entity == "action_item", AuditEntry.action == "update")
        ).one()
    assert moved.due_on == date(2026, 12, 14)
    assert moved.note == "Udsat til 14-12-2026: Leverandør forsinket"
    assert set(entry.changes) == {"due_on", "note"}


def screen_line(app: TrivselApp, y: int) -> str:
    return "".join(segment.text for segment in app.screen._compositor.render_strips()[y])


async def test_a_narrow_terminal_still_shows_when_what_and_where(
    dataset: Store, settings: Settings, rules: Rules
) -> None:
    """At 80 columns the due column took 40 and pushed "where" off the screen; resizing refits it."""
    app = make_app(dataset, settings, rules)
    async with app.run_test(size=(120, 30)) as pilot:
        await settle(app, pilot)
        await pilot.resize_terminal(80, 24)
        await settle(app, pilot)
        table = app.screen.query_one("#due", DataTable)
        rows = app.screen.rows  # type: ignore[attr-defined]
        for index, row in enumerate(rows[:3]):
            line = screen_line(app, table.region.y + 1 + index)
            where = f"{row.ref} · {row.workplace}" if row.ref else row.workplace
            assert row.title[:12] in line and where[:10] in line, line


def test_without_colour_an_overdue_row_is_bold_not_grey(monkeypatch: pytest.MonkeyPatch) -> None:
    """NO_COLOR=1 turned bold red into dark grey: the overdue rows were the hardest to read."""
    from rich.style import Style

    from trivsel_tui.widgets.cells import due_cell

    monkeypatch.setenv("NO_COLOR", "1")
    style = Style.parse(str(due_cell(NOW - timedelta(days=2), NOW, 7).style))
    assert style.bold and style.color is None
    monkeypatch.delenv("NO_COLOR")
    assert Style.parse(str(due_cell(NOW - timedelta(days=2), NOW, 7).style)).color is not None


async def test_at_120_columns_who_is_responsible_is_on_screen(dataset: Store, settings: Settings, rules: Rules) -> None:
    """At 120x40 the due column took the width of its longest text and pushed Ansvarlig off the screen."""
    app = make_app(dataset, settings, rules)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(app, pilot)
        table = app.screen.query_one("#due", DataTable)
        assert "Ansvarlig" in screen_line(app, table.region.y)
        rows = app.screen.rows  # type: ignore[attr-defined]
        owned = [(index, row) for index, row in enumerate(rows[:20]) if row.responsible]
        assert owned
        for index, row in owned:
            line = screen_line(app, table.region.y + 1 + index)
            owner = owner_text(row.responsible, row.owner_role, rules)
            assert owner[:10] in line and row.title[:12] in line, line


async def test_the_row_count_line_groups_thousands_like_the_summary(
    store: Store, settings: Settings, rules: Rules
) -> None:
    """Tried at 100k cases: the summary said '69.769 frister', the line under the table 'Viser 100 af 69769'."""
    workplace = save_workplace(
        store, {"name": "A", "last_wellbeing_survey": date(2026, 6, 1), "local_adaptation_decided_on": date(2026, 6, 1)}
    )
    assert workplace.id is not None
    case_id, _ = register_episode(store, EpisodeInput(workplace.id, NOW, "P", "citizen"))
    with store.write() as session:
        session.add_all(
            Task(case_id=case_id, title=f"Opgave {i}", due_at=NOW + timedelta(hours=i)) for i in range(1200)
        )
    app = make_app(store, settings, rules)
    async with app.run_test(size=SIZE) as pilot:
        await settle(app, pilot)
        assert "Viser 100 af 1.202 " in str(app.screen.query_one("#showing", Static).render())


@pytest.mark.parametrize("terminal_width", [120, 200])
def test_the_status_column_holds_the_longest_status_with_its_legal_mark(terminal_width: int) -> None:
    """A 14-wide status column cut '◆ Under 24 t § lovfrist' to '◆ Under 24 t §'."""
    from types import SimpleNamespace

    from trivsel_tui.screens.home import column_widths, state_text

    legal_row = SimpleNamespace(legal=True)
    width = column_widths(terminal_width)["state"]
    for state in ("overdue", "due_soon", "urgent", "later"):
        text = state_text(legal_row, state)  # type: ignore[arg-type]
        assert width is None or text.cell_len <= width, text.plain
