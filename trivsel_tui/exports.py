"""Statistics exports: CSV for Danish Excel, XLSX, written private (0600) and recorded in the audit log.

openpyxl is imported only when a workbook is made (it is not needed to start the app).
"""

from __future__ import annotations

import csv
import io
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

FORMATS = ("csv", "xlsx", "json", "md", "pdf")


@dataclass(frozen=True)
class Sheet:
    title: str
    header: list[str]
    rows: list[list[Any]]


def csv_bytes(sheet: Sheet) -> bytes:
    """Semicolon-separated UTF-8 with a byte-order mark: Danish Excel opens it with æ, ø, å intact."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=";", lineterminator="\r\n")
    writer.writerow(sheet.header)
    writer.writerows([_plain(value) for value in row] for row in sheet.rows)
    return ("\ufeff" + buffer.getvalue()).encode("utf-8")


def _plain(value: Any) -> Any:
    # A user-chosen name starting with = + - @ would run as a formula in a spreadsheet.
    if isinstance(value, str) and value[:1] in ("=", "+", "-", "@") and not _is_number(value):
        return "'" + value
    return value


def _is_number(text: str) -> bool:
    try:
        float(text.replace(",", "."))
    except ValueError:
        return False
    return True


def xlsx_bytes(sheets: Sequence[Sheet]) -> bytes:
    """One worksheet per table; numbers stay numbers, "<5" stays text."""
    from openpyxl import Workbook
    from openpyxl.styles import Font

    workbook = Workbook()
    workbook.remove(workbook.active)
    for sheet in sheets:
        worksheet = workbook.create_sheet(_sheet_title(sheet.title, workbook.sheetnames))
        worksheet.append(sheet.header)
        for cell in worksheet[1]:
            cell.font = Font(bold=True)
        for row in sheet.rows:
            worksheet.append([_plain(value) for value in row])
        for column in worksheet.columns:
            width = max(len(str(c.value or "")) for c in column)
            worksheet.column_dimensions[column[0].column_letter].width = min(60, max(10, width + 2))
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def _sheet_title(title: str, taken: list[str]) -> str:
    # Excel: at most 31 characters, none of []:*?/\ and unique.
    clean = "".join(" " if c in "[]:*?/\\" else c for c in title)[:31] or "Ark"
    candidate, n = clean, 2
    while candidate in taken:
        candidate = f"{clean[:28]} {n}"
        n += 1
    return candidate
