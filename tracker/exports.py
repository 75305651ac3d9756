"""Leaderboards as files: CSV (UTF-8 with BOM, so Excel shows Vietnamese) and XLSX (formatted
header, numbers as numbers). Cells that a spreadsheet would run as formulas are neutralised."""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Sequence

from openpyxl import Workbook
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
# Excel refuses these in a sheet's name, and names longer than 31 characters (openpyxl raises).
_SHEET_FORBIDDEN = re.compile(r"[\\/:\[\]*?\x00-\x1f]")


def sheet_title(text: str) -> str:
    """A sheet name Excel accepts, from any text (an organization called "Bưu điện 1/2")."""
    title = _SHEET_FORBIDDEN.sub("-", text).strip().strip("'")[:31].strip().strip("'")
    return title or "-"


def safe_cell(value):
    """Text starting like a formula gets a leading apostrophe; numbers stay numbers."""
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value


def _xml_safe(value):
    """XLSX is XML, which cannot hold most control characters: they are dropped, not fatal."""
    return ILLEGAL_CHARACTERS_RE.sub("", value) if isinstance(value, str) else value


def to_csv(headers: Sequence[str], rows: Sequence[Sequence]) -> bytes:
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(headers)
    for row in rows:
        writer.writerow(["" if value is None else safe_cell(value) for value in row])
    return ("\ufeff" + buffer.getvalue()).encode("utf-8")


def to_xlsx(
    headers: Sequence[str],
    rows: Sequence[Sequence],
    title: str,
    percent_columns: Sequence[int] = (),
) -> bytes:
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = sheet_title(title)
    sheet.append(list(headers))
    for cell in sheet[1]:
        cell.font = Font(bold=True, color="FFFFFF")
        cell.fill = PatternFill("solid", fgColor="0D6E6E")
        cell.alignment = Alignment(vertical="center", wrap_text=True)
    for row in rows:
        sheet.append([_xml_safe(safe_cell(value)) for value in row])
    for column in percent_columns:
        for cell in sheet.iter_rows(min_row=2, min_col=column + 1, max_col=column + 1):
            cell[0].number_format = "0.0%"
    for index, header in enumerate(headers, start=1):
        values = [len(str(header))] + [
            len(str(c.value or "")) for c in sheet[get_column_letter(index)][1:]
        ]
        sheet.column_dimensions[get_column_letter(index)].width = min(max(values) + 2, 40)
    sheet.freeze_panes = "A2"
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
