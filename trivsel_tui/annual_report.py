"""The annual report for the MED committee (the årlige arbejdsmiljødrøftelse), as Markdown and as PDF.

Always shareable: small numbers are hidden. Both formats render the same sections, built once.

PDF: ReportLab, because it is a long-maintained, pure-Python PDF toolkit that ships its own Unicode
TrueType font (Bitstream Vera, embedded as a subset, so æ ø å – « » print on any machine) and draws
vector bar charts itself (reportlab.graphics) — no plotting library, no system fonts needed.
"""

from __future__ import annotations

import io
import re
from collections.abc import Sequence
from dataclasses import dataclass, replace
from datetime import date, datetime

from trivsel_tui.domain.clock import danish_day, local
from trivsel_tui.domain.rules import Rules
from trivsel_tui.domain.statistics import Table
from trivsel_tui.domain.suppress import SMALL_LIMIT
from trivsel_tui.statistics_report import (
    TIMELINESS_PARTS,
    episode_table,
    filters_line,
    header,
    label,
    load_performance,
    prevention_lines,
    prevention_summary,
    shared_release,
    timeliness_lines,
)
from trivsel_tui.store.statistics import StatFilters
from trivsel_tui.store.store import Store
from trivsel_tui.texts import t

Cell = int | str


@dataclass(frozen=True)
class Section:
    title: str
    intro: str
    header: list[str]
    rows: list[list[Cell]]
    chart: list[tuple[str, int | None]] | None = None  # (label, value); None = hidden, drawn as no bar


@dataclass(frozen=True)
class AnnualReport:
    title: str
    lines: list[str]  # under the title: selection, date, how small numbers are shown
    sections: list[Section]


def _table_section(table: Table, rules: Rules, title: str, chart: bool = False) -> Section:
    dimension = table.dimensions[0]
    has_change = dimension in ("month", "quarter", "year")
    head = [header(dimension), t("stats.column.episodes"), t("stats.column.absence_days")]
    if has_change:
        head.append(t("stats.column.change"))
    rows: list[list[Cell]] = []
    points: list[tuple[str, int | None]] = []
    for row in table.rows:
        name = label(dimension, row.keys[0], rules)
        cells: list[Cell] = [name, table.cell(row), table.absence(row)]
        if has_change:
            change = table.change(row)
            cells.append("" if change is None else change)
        rows.append(cells)
        points.append((f"{name} ({row.hidden})", None) if table.shareable and row.hidden else (name, row.episodes))
    rows.append([t("stats.total"), table.total_cell(), table.total_absence_cell(), *([""] if has_change else [])])
    return Section(title, "", head, rows, points if chart else None)


def build_annual_report(
    store: Store, rules: Rules, year: int, filters: StatFilters, names: dict[int, str], now: datetime
) -> AnnualReport:
    release = shared_release(store, rules, filters)  # every table of the report hides the same cells

    def table(by: str) -> Table:
        return episode_table(store, rules, (by,), filters, shareable=True, release=release)

    this_year = table("quarter")
    last_year = episode_table(
        store,
        rules,
        ("year",),
        replace(filters, start=date(year - 1, 1, 1), end=date(year - 1, 12, 31)),
        shareable=True,
    )
    sections = [
        _with_intro(
            _table_section(this_year, rules, t("report.by_quarter"), chart=True),
            _year_change(this_year.total, last_year.total, year),
        ),
        _table_section(table("category"), rules, t("report.by_category"), chart=True),
        _table_section(table("type"), rules, t("report.by_type")),
        _table_section(table("perpetrator"), rules, t("report.by_perpetrator")),
        _table_section(table("injury"), rules, t("report.by_injury")),
        _table_section(table("insurance"), rules, t("report.by_insurance")),
        _table_section(table("workplace"), rules, t("report.by_workplace")),
        _timeliness_section(store, filters, now),
        *_prevention_sections(store, rules, local(now).date(), filters.workplace_ids),
    ]
    lines = [
        filters_line(filters, rules, names),
        t("report.made", day=danish_day(local(now))),
        t("stats.shareable_note"),
    ]
    return AnnualReport(t("report.title", year=year), lines, sections)


def _with_intro(section: Section, intro: str) -> Section:
    return replace(section, intro=intro)


def _year_change(total: int, before: int, year: int) -> str:
    if 0 < total < SMALL_LIMIT or 0 < before < SMALL_LIMIT:
        return t("report.year_change_hidden", year=year)
    return t("report.year_change", year=year, total=total, before=before, change=f"{total - before:+d}")


def _timeliness_section(store: Store, filters: StatFilters, now: datetime) -> Section:
    performance = load_performance(store, filters, now)
    head = [
        t("stats.column.kind"),
        *(t(f"stats.column.{p}") for p in TIMELINESS_PARTS),
        t("stats.column.share_on_time"),
    ]
    rows: list[list[Cell]] = [
        [line.label, *(line.cells[p] for p in TIMELINESS_PARTS), line.share_on_time]
        for line in timeliness_lines(performance, shareable=True)
    ]
    notat = performance.police_by_notat
    intro = (
        t("report.timeliness_intro") + " " + t("report.police_notat", count="<5" if 0 < notat < SMALL_LIMIT else notat)
    )
    return Section(t("report.timeliness"), intro, head, rows)


def _prevention_sections(store: Store, rules: Rules, today: date, workplace_ids: tuple[int, ...]) -> list[Section]:
    lines = prevention_lines(store, rules, today, workplace_ids)
    summary = prevention_summary(lines)
    intro = t(
        "report.prevention_intro",
        at_risk=summary.at_risk,
        covered=summary.at_risk_covered,
        overdue=summary.survey_overdue,
        decided=summary.adaptation_decided,
        workplaces=summary.workplaces,
    )
    head = [t(f"stats.column.{c}") for c in ("workplace", "unit", "handleplan", "survey", "adaptation")]
    rows: list[list[Cell]] = [
        [line.workplace.name, line.workplace.unit, line.handleplan, line.survey, line.adaptation] for line in lines
    ]
    return [Section(t("report.prevention"), intro, head, rows)]


# --- Markdown -------------------------------------------------------------------------------------


def _md_cell(value: Cell) -> str:
    """User text (workplace names) as literal Markdown: it cannot break the table, format, link or add HTML."""
    text = " ".join(str(value).split())
    text = re.sub(r"([\\|*_`\[\]#])", r"\\\1", text)
    return re.sub(r"<(?=[A-Za-z/!?])", r"\\<", text)


def _bar_lines(points: Sequence[tuple[str, int | None]]) -> list[str]:
    """A text bar chart with the numbers beside the bars, readable without colour."""
    width = max((len(name) for name, _ in points), default=0)
    top = max((v for _, v in points if v), default=0)
    lines = []
    for name, value in points:
        if value is None:
            lines.append(f"{name.ljust(width)}  –")
        else:
            bar = "█" * (round(40 * value / top) if top else 0)
            lines.append(f"{name.ljust(width)}  {bar} {value}")
    return lines


def report_markdown(report: AnnualReport) -> str:
    out = [f"# {_md_cell(report.title)}", ""]
    out += [f"{_md_cell(line)}  " for line in report.lines] + [""]
    for section in report.sections:
        out += [f"## {_md_cell(section.title)}", ""]
        if section.intro:
            out += [_md_cell(section.intro), ""]
        out.append("| " + " | ".join(_md_cell(h) for h in section.header) + " |")
        out.append("|" + "|".join("---" for _ in section.header) + "|")
        out += ["| " + " | ".join(_md_cell(c) for c in row) + " |" for row in section.rows]
        out.append("")
        if section.chart:
            out += ["```", *_bar_lines(section.chart), "```", ""]
    return "\n".join(out)


# --- PDF --------------------------------------------------------------------------------------------

FONT, FONT_BOLD = "Vera", "VeraBd"


def register_fonts() -> None:
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.ttfonts import TTFont

    if FONT not in pdfmetrics.getRegisteredFontNames():
        # Shipped inside the reportlab package (reportlab/fonts): the same glyphs everywhere.
        pdfmetrics.registerFont(TTFont(FONT, "Vera.ttf"))
        pdfmetrics.registerFont(TTFont(FONT_BOLD, "VeraBd.ttf"))


def _chart(points: Sequence[tuple[str, int | None]]) -> object:
    from reportlab.graphics.charts.barcharts import VerticalBarChart
    from reportlab.graphics.shapes import Drawing
    from reportlab.lib import colors

    drawing = Drawing(460, 170)
    chart = VerticalBarChart()
    chart.x, chart.y, chart.width, chart.height = 40, 40, 400, 110
    chart.data = [[v or 0 for _, v in points]]
    chart.categoryAxis.categoryNames = [name for name, _v in points]
    chart.categoryAxis.labels.fontName = FONT
    chart.categoryAxis.labels.fontSize = 7
    chart.categoryAxis.labels.angle = 20 if len(points) > 4 else 0
    chart.categoryAxis.labels.boxAnchor = "ne" if len(points) > 4 else "n"
    chart.valueAxis.labels.fontName = FONT
    chart.valueAxis.valueMin = 0
    chart.bars[0].fillColor = colors.HexColor("#4a4a4a")  # dark grey: prints in black and white
    chart.barLabelFormat = "%d"
    chart.barLabels.fontName = FONT
    chart.barLabels.fontSize = 7
    chart.barLabels.nudge = 6
    drawing.add(chart)
    return drawing


def report_pdf(report: AnnualReport) -> bytes:
    from reportlab.lib import colors
    from reportlab.lib.enums import TA_RIGHT
    from reportlab.lib.pagesizes import A4
    from reportlab.lib.styles import ParagraphStyle
    from reportlab.lib.units import mm
    from reportlab.platypus import KeepTogether, Paragraph, SimpleDocTemplate, Spacer, TableStyle
    from reportlab.platypus import Table as PdfTable

    register_fonts()
    body = ParagraphStyle("body", fontName=FONT, fontSize=9, leading=12)
    small = ParagraphStyle("small", parent=body, fontSize=8, leading=10)
    title = ParagraphStyle("title", fontName=FONT_BOLD, fontSize=16, leading=20, spaceAfter=6)
    heading = ParagraphStyle("heading", fontName=FONT_BOLD, fontSize=12, leading=15, spaceBefore=10, spaceAfter=4)

    def para(text: object, style: ParagraphStyle = body) -> Paragraph:
        from xml.sax.saxutils import escape

        return Paragraph(escape(str(text)), style)  # user text is text, never ReportLab markup

    right = ParagraphStyle("right", parent=small, alignment=TA_RIGHT)
    story: list[object] = [para(report.title, title)]
    story += [para(line, small) for line in report.lines]
    for section in report.sections:
        numeric = [i > 0 and any(isinstance(row[i], int) for row in section.rows) for i in range(len(section.header))]
        data = [[para(h, right if numeric[i] else small) for i, h in enumerate(section.header)]]
        data += [[para(c, right if numeric[i] else small) for i, c in enumerate(row)] for row in section.rows]
        table = PdfTable(data, repeatRows=1, hAlign="LEFT")
        table.setStyle(
            TableStyle(
                [
                    ("LINEBELOW", (0, 0), (-1, 0), 0.8, colors.black),
                    ("LINEBELOW", (0, 1), (-1, -1), 0.25, colors.grey),
                    ("VALIGN", (0, 0), (-1, -1), "TOP"),
                ]
            )
        )
        parts: list[object] = [para(section.title, heading)]
        if section.intro:
            parts += [para(section.intro), Spacer(1, 2 * mm)]
        parts.append(table)
        if section.chart:
            parts += [Spacer(1, 3 * mm), _chart(section.chart)]
        story.append(KeepTogether(parts))  # a heading, its table and its chart on one page when they fit
    buffer = io.BytesIO()
    document = SimpleDocTemplate(
        buffer, pagesize=A4, title=report.title, author="trivsel-tui", leftMargin=18 * mm, rightMargin=18 * mm
    )
    document.build(story)
    return buffer.getvalue()
