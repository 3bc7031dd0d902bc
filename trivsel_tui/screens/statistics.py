"""Statistics: one table and its chart at a time, for a selection of episodes, exact for the consultant
("kun til eget brug") or shareable with small numbers hidden. Every number comes from the same function
`trivsel stats` and the exports use (statistics_report.load_view), through the data seam.

Charts: textual-plotext (Textualize's own Plotext wrapper for Textual; works with Textual 8). Bars are
drawn with block characters, every other bar shaded, so they read without colour, and each bar is a row
of the table beside it.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from functools import partial
from pathlib import Path
from typing import Any, ClassVar

from rich.console import JustifyMethod
from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal
from textual.screen import Screen
from textual.widgets import DataTable, Footer, Header, Static
from textual_plotext import PlotextPlot

from trivsel_tui.dialogs.export_path import ExportPathDialog
from trivsel_tui.dialogs.statistics_filter import StatsFilterDialog
from trivsel_tui.domain.clock import local
from trivsel_tui.domain.statistics import PERIODS
from trivsel_tui.domain.suppress import COMPLEMENT, SMALL
from trivsel_tui.seam import StoreAccess
from trivsel_tui.statistics_cli import save_report, save_view
from trivsel_tui.statistics_report import VIEWS, StatsRequestError, StatsView, filters_line, label, load_view, mode_line
from trivsel_tui.store.statistics import StatFilters, workplace_choices
from trivsel_tui.store.store import Store
from trivsel_tui.texts import t

DEFAULT_MONTHS = 12  # the screen opens on the last twelve months, by month


def default_filters(today: date) -> StatFilters:
    """From the first day of the month eleven months back, until today."""
    year, month = divmod(today.year * 12 + today.month - DEFAULT_MONTHS, 12)
    return StatFilters(start=date(year, month + 1, 1), end=today)


def _saved(store: Store, save: Callable[..., None], *args: Any) -> str | None:
    """Run an export; a file that cannot be written comes back as its Danish message, not as a failure."""
    try:
        save(store, *args)
    except StatsRequestError as exc:
        return str(exc)
    return None


def whole_ticks(top: int, count: int = 5) -> list[int]:
    """Axis ticks at whole, round numbers from 0 past `top` (counts have no decimals)."""
    raw = max(1, top) / (count - 1)
    magnitude = 10 ** (len(str(int(raw))) - 1)
    step = next(m * magnitude for m in (1, 2, 5, 10) if m * magnitude >= raw)
    return list(range(0, top + step, step)) if top else [0, 1]


def shorten(label: str, width: int) -> str:
    """A chart label in at most `width` characters: the name is cut in the middle, so that endings like
    "Nord 2" stay, and a hidden bar's mark ("(<5)", "(skjult)") is kept whole."""
    name, space, mark = label.rpartition(" (")
    if not space or mark[:-1] not in (SMALL, COMPLEMENT):
        name, mark = label, ""
    mark = f" ({mark}" if mark else ""
    room = max(6, width - len(mark))
    if len(name) > room:
        tail = (room - 1) // 2
        name = f"{name[: room - 1 - tail]}…{name[len(name) - tail :]}"
    return name + mark


LABEL_MIN = 12  # a label column is never cut narrower than this
CELL_PADDING = 2  # DataTable's one cell of padding on either side of every column


def label_width(header: tuple[str, ...], rows: tuple[tuple[object, ...], ...], room: int) -> int | None:
    """The label column's width when long labels would push the numbers out of the table's `room` (at
    80 columns the owner view showed its roles and no numbers): the labels are cut with '…' instead, and
    the chart beside has them too. None when everything fits."""
    widths = [max([len(name), *(len(_text(row[i])) for row in rows)]) + CELL_PADDING for i, name in enumerate(header)]
    if sum(widths) <= room:
        return None
    return max(LABEL_MIN, room - sum(widths[1:]) - CELL_PADDING)


def _text(value: object) -> str:
    return "" if value is None else str(value)


BAR_WIDTH = 0.6  # of the room each bar has
# Neighbouring bars alternate full and shaded blocks: at 80x24 the bars touch, and in one colour (or none)
# a month's bar ran into the next one's.
BAR_MARKERS = ("sd", "▒")


def draw_bars(plt: Any, values: list[int], orientation: str) -> None:
    """Bars at 1, 2, …, every other one shaded; the axis' labels are set by the caller at the same places."""
    for parity, marker in enumerate(BAR_MARKERS):
        places = list(range(parity + 1, len(values) + 1, 2))
        if places:
            # Plotext widens a bar by its own call's spacing (2 here; none for a lone bar).
            width = BAR_WIDTH / 2 if len(places) > 1 else BAR_WIDTH
            plt.bar(places, values[parity::2], marker=marker, orientation=orientation, width=width)


class StatsChart(PlotextPlot):
    """The chart. Its ticks and labels are worked out for its size, so when that changes (the terminal is
    resized) it is drawn again for the new size."""

    def __init__(self, redraw: Callable[[], None], id: str) -> None:
        super().__init__(id=id)
        self._redraw = redraw

    def on_resize(self) -> None:
        self._redraw()


class StatisticsScreen(StoreAccess, Screen[None]):
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("right", "view(1)", t("stats_keys.next"), key_display="→", priority=True, id="stats_next"),
        # ← is in the help, not the footer: at 80 columns the footer holds → and the rest, not both arrows.
        Binding(
            "left",
            "view(-1)",
            t("stats_keys.previous"),
            key_display="←",
            show=False,
            priority=True,
            id="stats_previous",
        ),
        Binding("f", "filters", t("stats_keys.filters"), id="stats_filters"),
        Binding("p", "grain", t("stats_keys.grain"), id="stats_grain"),
        Binding("d", "shareable", t("stats_keys.shareable"), id="stats_shareable"),
        Binding("e", "export", t("stats_keys.export"), id="stats_export"),
        Binding("r", "report", t("stats_keys.report"), id="stats_report"),
        *(Binding(str(n), f"jump({n - 1})", show=False) for n in range(1, 10)),
        Binding("0", "jump(9)", show=False),
    ]

    def __init__(self) -> None:
        super().__init__()
        self.view_index = 0
        self.grain = "month"
        self.shareable = False
        self.filters: StatFilters | None = None
        self.workplace_names: dict[int, str] = {}
        self.shown: StatsView | None = None

    def compose(self) -> ComposeResult:
        yield Header()
        yield Static("", id="stats-mode")
        yield Static("", id="stats-views")
        yield Static("", id="stats-selection")
        with Horizontal(id="stats-body"):
            table: DataTable[Text] = DataTable(id="stats-table", cursor_type="row", zebra_stripes=True)
            yield table
            yield StatsChart(self._redraw_chart, id="stats-chart")
        yield Static("", id="stats-note")
        yield Footer()

    def on_mount(self) -> None:
        self.filters = default_filters(self._today())
        self.query_one(DataTable).focus()
        self._load()
        self.read("choices", self._got_choices, workplace_choices)

    def _today(self) -> date:
        return local(self.trivsel.clock()).date()

    def _got_choices(self, choices: tuple[tuple[int, str], ...]) -> None:
        self.workplace_names = dict(choices)
        self._show_heading()

    # --- loading ---------------------------------------------------------------------------------

    def _load(self) -> None:
        self._show_heading()
        assert self.filters is not None
        self.read(
            "view",
            self._show,
            load_view,
            self.trivsel.rules,
            VIEWS[self.view_index],
            self.filters,
            self.shareable,
            self.grain,
            self.trivsel.clock(),
        )

    def _show_heading(self) -> None:
        assert self.filters is not None
        mode = self.query_one("#stats-mode", Static)
        mode.update(Text(mode_line(self.shareable)))
        mode.set_class(not self.shareable, "own-use")
        views = Text()  # one space apart, so all eleven fit on one line at 120 columns
        for i, key in enumerate(VIEWS):
            number = f"{(i + 1) % 10} " if i < 10 else ""
            views.append(" " if i else "")
            views.append(f"{number}{t(f'stats.view.{key}')}", style="reverse bold" if i == self.view_index else "")
        self.query_one("#stats-views", Static).update(views)
        grain = t(f"stats.dimension.{self.grain}").lower()
        selection = filters_line(self.filters, self.trivsel.rules, self.workplace_names)
        self.query_one("#stats-selection", Static).update(Text(f"{selection} · {t('stats.by_grain', grain=grain)}"))

    def _show(self, view: StatsView) -> None:
        self.shown = view
        table = self.query_one(DataTable)
        table.clear(columns=True)
        first = label_width(view.header, view.rows, table.scrollable_content_region.width)
        for i, name in enumerate(view.header):
            header = Text(name, justify="right" if self._numeric(view, i) else "left", overflow="ellipsis")
            table.add_column(header, key=str(i), width=first if i == 0 else None)
        for row in view.rows:
            table.add_row(*(self._cell(view, i, value) for i, value in enumerate(row)))
        self._draw_chart(view)
        self.query_one("#stats-note", Static).update(Text(view.note))

    @staticmethod
    def _numeric(view: StatsView, column: int) -> bool:
        return column > 0 and any(isinstance(row[column], int) for row in view.rows)

    def _cell(self, view: StatsView, column: int, value: object) -> Text:
        justify: JustifyMethod = "right" if self._numeric(view, column) else "left"
        return Text(_text(value), justify=justify, overflow="ellipsis", no_wrap=True)

    def _redraw_chart(self) -> None:
        if self.shown is not None:
            self._draw_chart(self.shown)

    def _draw_chart(self, view: StatsView) -> None:
        plot = self.query_one(StatsChart)
        plt = plot.plt
        plt.clear_data()
        plt.clear_figure()
        labels = [name for name, _value in view.chart]
        values = [value or 0 for _name, value in view.chart]
        plt.title(view.chart_title)
        if labels:
            vertical = view.key == "period"
            if not vertical:  # Plotext stacks horizontal bars from the bottom; the table reads from the top
                labels, values = labels[::-1], values[::-1]
                # Long names would leave no room for the bars; the table beside has them in full.
                labels = [shorten(name, max(8, plot.size.width // 3)) for name in labels]
            draw_bars(plt, values, "vertical" if vertical else "horizontal")
            top = 100 if view.key == "deadlines" else max(values)
            ticks = whole_ticks(top)
            # Every tick and label set here, not left to Plotext, so the same numbers always draw the same.
            (plt.yticks if vertical else plt.xticks)([float(v) for v in ticks], [str(v) for v in ticks])
            (plt.ylim if vertical else plt.xlim)(0, max(ticks[-1], 1))
            room = (plot.size.width - 10) // 9 if vertical else (plot.size.height - 4) // 2
            step = max(1, -(-len(labels) // max(1, room)))
            shown = list(range(0, len(labels), step))
            (plt.xticks if vertical else plt.yticks)([float(i + 1) for i in shown], [labels[i] for i in shown])
        plot.refresh()

    # --- keys --------------------------------------------------------------------------------------

    def action_view(self, step: int) -> None:
        self.view_index = (self.view_index + step) % len(VIEWS)
        self._load()

    def action_jump(self, index: int) -> None:
        self.view_index = index
        self._load()

    def action_grain(self) -> None:
        self.grain = PERIODS[(PERIODS.index(self.grain) + 1) % len(PERIODS)]
        self.view_index = 0
        self._load()

    def action_shareable(self) -> None:
        self.shareable = not self.shareable
        self._load()

    def action_filters(self) -> None:
        rules = self.trivsel.rules
        assert self.filters is not None
        dialog = StatsFilterDialog(
            self.filters,
            self._today(),
            [(name, wid) for wid, name in sorted(self.workplace_names.items(), key=lambda item: item[1])],
            [(label("category", code, rules), code) for code in rules.categories],
            [(label("perpetrator", code, rules), code) for code in rules.perpetrators],
        )
        self.app.push_screen(dialog, self._filtered)

    def _filtered(self, filters: StatFilters | None) -> None:
        if filters is not None:
            self.filters = filters
            self._load()

    def action_export(self) -> None:
        if self.shown is None:
            return
        name = f"trivsel-statistik-{self.shown.key}-{self._today().isoformat()}.xlsx"
        self.app.push_screen(
            ExportPathDialog(t("stats_export.view_title"), Path.home() / name, (".csv", ".xlsx")), self._export_to
        )

    def _export_to(self, path: Path | None) -> None:
        if path is None or self.shown is None or self.filters is None:
            return
        selection = filters_line(self.filters, self.trivsel.rules, self.workplace_names)
        self.write(partial(self._exported, path), _saved, save_view, path, self.shown, self.shareable, selection)

    def action_report(self) -> None:
        year = self._today().year - 1
        path = Path.home() / f"trivsel-aarsrapport-{year}.pdf"
        dialog = ExportPathDialog(t("stats_export.report_title", year=year), path, (".pdf", ".md"))
        self.app.push_screen(dialog, self._report_to)

    def _report_to(self, path: Path | None) -> None:
        if path is None or self.filters is None:
            return
        year = self._today().year - 1
        self.write(
            partial(self._exported, path),
            _saved,
            save_report,
            self.trivsel.rules,
            path,
            year,
            self.filters,
            self.workplace_names,
        )

    def _exported(self, path: Path, problem: str | None) -> None:
        if problem:
            self.notify(problem, severity="error", markup=False)
        else:
            self.notify(t("cli.exported", path=path), markup=False)
