"""`trivsel stats` and `trivsel report`: the statistics screen's numbers for scripts, Excel and the MED committee."""

from __future__ import annotations

import errno
import json
import os
import sys
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

from trivsel_tui.domain.clock import local
from trivsel_tui.domain.danish_dates import DanishDateError, parse_danish_date
from trivsel_tui.domain.rules import Rules
from trivsel_tui.domain.statistics import Table
from trivsel_tui.exports import Sheet, csv_bytes, xlsx_bytes
from trivsel_tui.statistics_report import (
    StatsRequestError,
    StatsView,
    csv_header,
    csv_rows,
    episode_table,
    filters_line,
    mode_line,
    parse_by,
    records,
)
from trivsel_tui.store.private import write_private_bytes
from trivsel_tui.store.statistics import StatFilters, record_export, workplace_choices
from trivsel_tui.store.store import Store
from trivsel_tui.texts import t


@dataclass(frozen=True)
class StatsOptions:
    """The command line as typed; `resolve` checks it against the rules and the database."""

    start: str | None
    end: str | None
    by: str
    workplaces: tuple[str, ...]
    categories: tuple[str, ...]
    perpetrators: tuple[str, ...]


def _day(text: str | None, option: str, today: date) -> date | None:
    if text is None:
        return None
    try:
        return parse_danish_date(text, today)
    except DanishDateError as exc:
        raise StatsRequestError(t("cli.bad_day", option=option, error=exc)) from exc


def _codes(values: tuple[str, ...], allowed: dict[str, Any], option: str) -> tuple[str, ...]:
    for value in values:
        if value not in allowed:
            raise StatsRequestError(t("cli.unknown_code", option=option, value=repr(value), allowed=", ".join(allowed)))
    return values


def resolve_filters(store: Store, rules: Rules, options: StatsOptions) -> tuple[StatFilters, dict[int, str]]:
    today = local(store.clock()).date()
    names = dict(workplace_choices(store))
    by_name = {name.casefold(): wid for wid, name in names.items()}
    ids = []
    for name in options.workplaces:
        if name.casefold() not in by_name:
            raise StatsRequestError(t("cli.unknown_workplace", name=repr(name)))
        ids.append(by_name[name.casefold()])
    filters = StatFilters(
        start=_day(options.start, "--from", today),
        end=_day(options.end, "--to", today),
        workplace_ids=tuple(ids),
        categories=_codes(options.categories, rules.categories, "--category"),
        perpetrators=_codes(options.perpetrators, rules.perpetrators, "--perpetrator"),
    )
    return filters, names


def table_json(table: Table, rules: Rules, filters: StatFilters, selection: str) -> dict[str, Any]:
    return {
        "selection": {
            "from": filters.start.isoformat() if filters.start else None,
            "to": filters.end.isoformat() if filters.end else None,
            "text": selection,
        },
        "by": list(table.dimensions),
        "shareable": table.shareable,
        "note": mode_line(table.shareable),
        "rows": records(table, rules),
        "total": {"episodes": table.total_cell(), "absence_days": table.total_absence_cell()},
    }


def _text(table: Table, rules: Rules, selection: str) -> str:
    header = csv_header(table)
    rows = [[str(v) for v in row] for row in csv_rows(table, rules)]
    widths = [max(len(h), *(len(r[i]) for r in rows)) for i, h in enumerate(header)]
    numeric = [i >= len(table.dimensions) for i in range(len(header))]

    def line(cells: list[str]) -> str:
        return "  ".join(c.rjust(w) if n else c.ljust(w) for c, w, n in zip(cells, widths, numeric, strict=True))

    return "\n".join([mode_line(table.shareable), selection, "", line(header), *(line(r) for r in rows)]) + "\n"


def run_stats(store: Store, rules: Rules, options: StatsOptions, fmt: str, shareable: bool, out: Path | None) -> None:
    by = parse_by(options.by)
    filters, names = resolve_filters(store, rules, options)
    selection = filters_line(filters, rules, names)
    table = episode_table(store, rules, by, filters, shareable)
    if out is not None:
        fmt = _suffix(out, ("csv", "xlsx", "json"))
    sheet = Sheet(t("stats.title"), csv_header(table), csv_rows(table, rules))
    if fmt == "json":
        data = json.dumps(table_json(table, rules, filters, selection), ensure_ascii=False, indent=2).encode() + b"\n"
    elif fmt == "csv":
        data = csv_bytes(sheet)
    elif fmt == "xlsx":
        data = xlsx_bytes([sheet])
    else:
        data = _text(table, rules, selection).encode()
    if out is None:
        sys.stdout.buffer.write(data)
        sys.stdout.flush()
        return
    save(store, out, data, f"stats.{fmt}", shareable, selection)
    print(t("cli.exported", path=out), file=sys.stderr)


def _suffix(path: Path, allowed: tuple[str, ...]) -> str:
    suffix = path.suffix.lower().lstrip(".")
    if suffix not in allowed:
        raise StatsRequestError(t("cli.bad_suffix", allowed=", ".join("." + a for a in allowed)))
    return suffix


def save(store: Store, path: Path, data: bytes, what: str, shareable: bool, selection: str) -> None:
    """Write an export privately and log it; a file that cannot be written is a Danish one-liner."""
    try:
        if not path.parent.is_dir():  # a user's --out folder is never created for them
            raise FileNotFoundError(errno.ENOENT, os.strerror(errno.ENOENT), str(path.parent))
        write_private_bytes(path, data)
    except OSError as exc:
        raise StatsRequestError(t("cli.cannot_write", path=path, error=exc.strerror or exc)) from exc
    record_export(store, what, str(path.resolve()), shareable, selection)


def run_report(store: Store, rules: Rules, year: int | None, workplaces: tuple[str, ...], out: Path | None) -> None:
    from trivsel_tui.annual_report import build_annual_report, report_markdown

    year = year or local(store.clock()).year - 1
    options = StatsOptions(f"{year}-01-01", f"{year}-12-31", "quarter", workplaces, (), ())
    filters, names = resolve_filters(store, rules, options)
    if out is None:
        sys.stdout.write(report_markdown(build_annual_report(store, rules, year, filters, names, store.clock())))
        return
    _suffix(out, REPORT_SUFFIXES)
    save_report(store, rules, out, year, filters, names)
    print(t("cli.exported", path=out), file=sys.stderr)


REPORT_SUFFIXES = ("md", "pdf")
VIEW_SUFFIXES = ("csv", "xlsx")


def save_report(store: Store, rules: Rules, path: Path, year: int, filters: StatFilters, names: dict[int, str]) -> None:
    """The annual report for `year` (within `filters`' workplaces) as Markdown or PDF, by the file's ending."""
    from trivsel_tui.annual_report import build_annual_report, report_markdown, report_pdf

    fmt = path.suffix.lower().lstrip(".")
    year_filters = StatFilters(date(year, 1, 1), date(year, 12, 31), filters.workplace_ids)
    report = build_annual_report(store, rules, year, year_filters, names, store.clock())
    data = report_pdf(report) if fmt == "pdf" else report_markdown(report).encode()
    save(store, path, data, f"annual_report.{fmt}", True, filters_line(year_filters, rules, names))


def save_view(store: Store, path: Path, view: StatsView, shareable: bool, selection: str) -> None:
    """What the statistics screen shows, as CSV or XLSX by the file's ending."""
    sheet = Sheet(view.title, list(view.header), [list(row) for row in view.rows])
    data = csv_bytes(sheet) if path.suffix.lower() == ".csv" else xlsx_bytes([sheet])
    save(store, path, data, f"stats.{view.key}{path.suffix.lower()}", shareable, selection)
