"""The statistics screen by keyboard, on the database with known counts: it shows the same numbers as
`trivsel stats --json` and the exports, exact for own use and with "<5" when shared."""

from __future__ import annotations

import json
import stat
from pathlib import Path

import pytest
from sqlmodel import select
from textual.widgets import DataTable, Input, SelectionList, Static

from tests import statistics_data as known
from tests.conftest import NOW, settle
from tests.suppression_oracle import recoverable
from tests.test_statistics import read_csv, trivsel
from trivsel_tui.app import TrivselApp
from trivsel_tui.domain.rules import Rules
from trivsel_tui.screens.statistics import LABEL_MIN, StatisticsScreen, label_width, shorten
from trivsel_tui.settings import Settings
from trivsel_tui.store.models import AuditEntry
from trivsel_tui.store.store import Store

SIZE = (160, 45)


@pytest.fixture
def data(store: Store, rules: Rules) -> dict[str, int]:
    return known.build(store, rules)


def make_app(store: Store, settings: Settings, rules: Rules) -> TrivselApp:
    return TrivselApp(store=store, settings=settings, rules=rules, clock=lambda: NOW)


def table_cells(app: TrivselApp) -> list[list[str]]:
    table = app.screen.query_one(DataTable)
    return [[str(cell) for cell in table.get_row_at(i)] for i in range(table.row_count)]


def screen_text(app: TrivselApp, widget_id: str) -> str:
    return str(app.screen.query_one(widget_id, Static).render())


async def open_statistics(app: TrivselApp, pilot) -> StatisticsScreen:  # type: ignore[no-untyped-def]
    await pilot.press("v")
    await settle(app, pilot)
    assert isinstance(app.screen, StatisticsScreen)
    return app.screen


async def test_screen_workplace_view_matches_the_cli_and_the_known_counts(
    data: dict[str, int], store: Store, settings: Settings, rules: Rules, db_path: Path
) -> None:
    app = make_app(store, settings, rules)
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_statistics(app, pilot)
        assert "kun til eget brug" in screen_text(app, "#stats-mode")
        await pilot.press("7")  # Arbejdsplads
        await settle(app, pilot)
        rows = {r[0]: r[1] for r in table_cells(app)}
        assert rows == {**{k: str(v) for k, v in known.BY_WORKPLACE.items()}, "I alt": str(known.TOTAL)}
        assert screen.shown is not None
        chart = dict(screen.shown.chart)
        assert chart == known.BY_WORKPLACE, "the chart shows the table's numbers"

        await pilot.press("d")  # til deling
        await settle(app, pilot)
        assert "<5" in screen_text(app, "#stats-mode")
        shared = {r[0]: r[1] for r in table_cells(app)}
        assert shared == {known.JOBCENTER: "12", known.SKOLEN: "skjult", known.PLEJECENTER: "<5", "I alt": "22"}
        assert dict(screen.shown.chart) == {
            known.JOBCENTER: 12,
            f"{known.SKOLEN} (skjult)": None,
            f"{known.PLEJECENTER} (<5)": None,
        }, "a hidden bar is not drawn, and its label carries the table's mark"
    cli = json.loads(trivsel("stats", "--db", str(db_path), "--by", "workplace", "--json", "--shareable").stdout)
    assert {r["workplace"]: str(r["episodes"]) for r in cli["rows"]} == {
        k: v for k, v in shared.items() if k != "I alt"
    }


async def test_views_by_keyboard_and_period_grain(
    data: dict[str, int], store: Store, settings: Settings, rules: Rules
) -> None:
    app = make_app(store, settings, rules)
    async with app.run_test(size=SIZE) as pilot:
        await open_statistics(app, pilot)
        by_month = {r[0]: r[1] for r in table_cells(app)}
        assert {k: by_month[k] for k in known.BY_MONTH} == {k: str(v) for k, v in known.BY_MONTH.items()}
        assert by_month["2026-08"] == "0", "empty months are shown as 0 inside the period"
        assert [r[3] for r in table_cells(app) if r[0] == "2026-11"] == ["-10"]
        await pilot.press("p")  # kvartal
        await settle(app, pilot)
        assert {r[0]: r[1] for r in table_cells(app)}["2026-K4"] == "16"
        await pilot.press("right")  # Kategori
        await settle(app, pilot)
        by_category = {r[0]: r[1] for r in table_cells(app)}
        assert by_category["Vold og trusler"] == "12" and by_category["Uønsket seksuel opmærksomhed"] == "3"
        await pilot.press("left", "left")  # back past the first view to the last: Forebyggelse
        await settle(app, pilot)
        prevention = {r[0]: r for r in table_cells(app)}
        assert prevention[known.PLEJECENTER][2].startswith("▲ mangler")
        assert prevention[known.JOBCENTER][2] == "✓ vold og trusler"
        assert "1 af 2 arbejdspladser i risikogruppe" in screen_text(app, "#stats-note")


async def test_filters_by_keyboard_narrow_every_number(
    data: dict[str, int], store: Store, settings: Settings, rules: Rules
) -> None:
    app = make_app(store, settings, rules)
    async with app.run_test(size=SIZE) as pilot:
        await open_statistics(app, pilot)
        await pilot.press("7", "f")
        await settle(app, pilot)
        app.screen.query_one("#stats-start", Input).value = "01-10-2026"
        app.screen.query_one("#stats-end", Input).value = "31-10-2026"
        perpetrators = app.screen.query_one("#stats-perpetrators", SelectionList)
        perpetrators.focus()
        await pilot.press("space")  # the first role: Borger
        await pilot.press("ctrl+s")
        await settle(app, pilot)
        assert {r[0]: r[1] for r in table_cells(app)} == {known.JOBCENTER: "6", "I alt": "6"}
        assert "01-10-2026 – 31-10-2026" in screen_text(app, "#stats-selection")
        assert "Udøver (rolle): Borger" in screen_text(app, "#stats-selection")


async def test_a_bad_date_in_the_filter_keeps_the_dialog_with_a_danish_message(
    data: dict[str, int], store: Store, settings: Settings, rules: Rules
) -> None:
    app = make_app(store, settings, rules)
    async with app.run_test(size=(80, 24)) as pilot:
        await open_statistics(app, pilot)
        await pilot.press("f")
        await settle(app, pilot)
        # At 80 columns the 100-column dialog lost its right edge (found in tmux); now it fits the screen.
        assert app.screen.query_one("#stats-filter").region.right <= 80
        app.screen.query_one("#stats-start", Input).value = "31-02-2026"
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert "Fra dato" in screen_text(app, "#stats-filter-error")
        assert app.screen.query_one("#stats-start", Input).value == "31-02-2026"


async def test_export_from_the_screen_is_the_table_private_and_audited(
    data: dict[str, int], store: Store, settings: Settings, rules: Rules, tmp_path: Path
) -> None:
    target = tmp_path / "kategori.csv"
    app = make_app(store, settings, rules)
    async with app.run_test(size=SIZE) as pilot:
        await open_statistics(app, pilot)
        await pilot.press("2", "d")
        await settle(app, pilot)
        shown = table_cells(app)
        await pilot.press("e")
        await settle(app, pilot)
        app.screen.query_one("#export-path", Input).value = str(target)
        await pilot.press("enter")
        await settle(app, pilot)
    rows = read_csv(target.read_bytes())
    assert rows[0] == ["Kategori", "Episoder", "Fraværsdage"]
    assert [r[:2] for r in rows[1:]] == [r[:2] for r in shown]
    assert ["Uønsket seksuel opmærksomhed", "<5"] in [r[:2] for r in rows]
    assert stat.S_IMODE(target.stat().st_mode) == 0o600
    with store.read() as session:
        entry = session.exec(select(AuditEntry).where(AuditEntry.entity == "export")).one()
    assert entry.changes["what"][1] == "stats.category.csv" and entry.changes["shareable"][1] is True


async def test_export_to_a_missing_folder_is_refused_in_the_dialog(
    data: dict[str, int], store: Store, settings: Settings, rules: Rules, tmp_path: Path
) -> None:
    app = make_app(store, settings, rules)
    async with app.run_test(size=SIZE) as pilot:
        await open_statistics(app, pilot)
        await pilot.press("e")
        await settle(app, pilot)
        app.screen.query_one("#export-path", Input).value = str(tmp_path / "nope" / "x.csv")
        await pilot.press("enter")
        await pilot.pause()
        assert "findes ikke" in screen_text(app, "#export-error")
        app.screen.query_one("#export-path", Input).value = str(tmp_path / "x.txt")
        await pilot.press("enter")
        await pilot.pause()
        assert "skal ende på .csv, .xlsx" in screen_text(app, "#export-error")


async def test_statistics_key_is_in_the_help(
    data: dict[str, int], store: Store, settings: Settings, rules: Rules
) -> None:
    app = make_app(store, settings, rules)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("question_mark")
        await pilot.pause()
        assert "Statistik" in app.export_screenshot()


async def test_a_workplace_name_with_markup_is_listed_literally_in_the_filter(
    data: dict[str, int], store: Store, settings: Settings, rules: Rules
) -> None:
    """Issue 9: user text is never parsed as markup. "Skolen [/" crashed the filter dialog's list."""
    from trivsel_tui.store.models import Workplace

    with store.write() as session:
        session.add(Workplace(name="Skolen [/"))
        session.add(Workplace(name="Pia/Ole [AMR] [@click=app.quit]x[/]"))
    app = make_app(store, settings, rules)
    async with app.run_test(size=SIZE) as pilot:
        await open_statistics(app, pilot)
        await pilot.press("f")
        await settle(app, pilot)
        workplaces = app.screen.query_one("#stats-workplaces", SelectionList)
        prompts = [str(workplaces.get_option_at_index(i).prompt) for i in range(workplaces.option_count)]
        assert "Skolen [/" in prompts
        assert "Pia/Ole [AMR] [@click=app.quit]x[/]" in prompts
        assert app.is_running


async def test_a_typed_export_folder_with_markup_is_quoted_literally(
    data: dict[str, int], store: Store, settings: Settings, rules: Rules, tmp_path: Path
) -> None:
    """Issue 9: the error that quotes a typed folder must not parse it as markup (it crashed on "[/")."""
    app = make_app(store, settings, rules)
    async with app.run_test(size=SIZE) as pilot:
        await open_statistics(app, pilot)
        await pilot.press("e")
        await settle(app, pilot)
        app.screen.query_one("#export-path", Input).value = str(tmp_path / "Skolen [/" / "[b]x[/b]" / "x.csv")
        await pilot.press("enter")
        await pilot.pause()
        assert "Skolen [/" in screen_text(app, "#export-error")
        assert "[b]x[/b]" in screen_text(app, "#export-error")
        assert app.is_running


async def test_shared_views_cannot_be_subtracted_from_each_other(
    data: dict[str, int], store: Store, settings: Settings, rules: Rules
) -> None:
    """Flipping through the shared screen (as in a meeting) shows months, quarters, years, workplaces and
    units of one selection. Protected per table, the month view hid November (3) with September (6) as its
    complement, and the quarter view's K3 = 6 (September alone) gave both back."""
    app = make_app(store, settings, rules)
    published: dict[tuple[str, ...], dict[tuple[str, ...], str]] = {}
    async with app.run_test(size=SIZE) as pilot:
        await open_statistics(app, pilot)
        await pilot.press("d")  # til deling
        for keys, dims in (("", "month"), ("p", "quarter"), ("p", "year"), ("7", "workplace"), ("8", "unit")):
            await pilot.press(*keys)
            await settle(app, pilot)
            rows = {r[0]: r[1] for r in table_cells(app)}
            total = rows.pop("I alt")
            published[(dims,)] = {(name,): shown for name, shown in rows.items() if shown in ("<5", "skjult")}
            assert total == str(known.TOTAL)
    assert published[("month",)][("2026-11",)] == "<5"
    published[()] = {}
    assert recoverable(known.BY_WORKPLACE_AND_MONTH, known.UNITS, published) == []


def test_long_chart_labels_keep_their_ending_and_their_mark() -> None:
    """At 80 columns a workplace's full name left no room for its bar; the table beside keeps more of it."""
    assert shorten("Borgerservice Borup 2", 12) == "Borger…rup 2"
    assert shorten("Plejecenter Åbrinken (<5)", 12) == "Ple…ken (<5)"
    assert shorten("Skolen (skjult)", 12) == "Skolen (skjult)"
    assert shorten("Jobcenter", 12) == "Jobcenter"


def test_long_row_labels_are_cut_so_that_the_numbers_stay_in_the_table() -> None:
    """At 80 columns the owner view's longest role pushed both number columns out of the table (found in
    tmux: roles, no numbers); the label column now gives way, down to LABEL_MIN."""
    header = ("Rolle", "Åbne opgaver", "Heraf over fristen")
    rows = (("Medarbejderen (evt. sammen med AMR eller TR)", 349, 0), ("Leder", 200, None))
    assert label_width(header, rows, 100) is None, "everything fits: nothing is cut"
    assert label_width(header, rows, 60) == 60 - (12 + 2) - (18 + 2) - 2
    assert label_width(header, rows, 44) == LABEL_MIN
