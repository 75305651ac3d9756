"""Every table the app lets people download, as XLSX or CSV, the way a Vietnamese office opens it.

XLSX is the default download: Excel opens it in columns whatever the computer's regional
settings, its numbers are numbers with a number format, and its sheet carries a title. CSV is
the alternative, written in the dialect of the reader's language, which is the dialect Excel
expects on a computer set to that language: Vietnamese Windows separates a list with ";" and
writes decimals with ",", English with "," and ".". Both begin with the table's title and what
it covers (period, scope, when it was exported), end with a total row and the table's notes,
and neutralise text a spreadsheet would run as a formula. File names are in the reader's
language, with an ASCII one beside it for old browsers (RFC 6266 and 5987).
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from decimal import Decimal
from urllib.parse import quote

from flask import Response, stream_with_context
from flask_babel import get_locale
from flask_babel import gettext as _
from openpyxl import Workbook
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
from openpyxl.utils import get_column_letter

from .i18n import short_date
from .text import fold

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
# Excel refuses these in a sheet's name, and names longer than 31 characters (openpyxl raises).
_SHEET_FORBIDDEN = re.compile(r"[\\/:\[\]*?\x00-\x1f]")
_NOT_IN_NAME = re.compile(r"[^\w]+")
MEDIA_TYPES = {
    "csv": "text/csv; charset=utf-8",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}
# Column kinds: how a number in the column is written. Any other value is written by its type.
TEXT, INTEGER, SIGNED, DECIMAL, PERCENT = "text", "integer", "signed", "decimal", "percent"
XLSX_FORMATS = {
    INTEGER: "#,##0",
    SIGNED: "+#,##0;-#,##0;0",
    DECIMAL: "#,##0.0",
    PERCENT: "0.0%",
}
HEADER_ROW = 4  # title, what it covers, a blank row, then the header
CSV_CHUNK = 16 * 1024  # characters a streamed CSV gathers before it sends them


@dataclass(frozen=True)
class Dialect:
    """How a CSV separates cells and writes numbers and dates, for one language."""

    delimiter: str
    decimal: str
    date_format: str


DIALECTS = {
    "vi": Dialect(";", ",", "%d/%m/%Y"),
    "en": Dialect(",", ".", "%Y-%m-%d"),  # ISO: Excel reads it whatever the day order
}


@dataclass(frozen=True)
class Column:
    header: str
    kind: str = TEXT


@dataclass(frozen=True)
class Table:
    """A table to download: `name` is what it is ("Officer leaderboard"), `sheet` its sheet's
    name, `covers` what it covers (period, scope, scheme), `file_parts` what its file name says
    after the name (the period, a metric), `total` its total row, `notes` what its markers mean.

    `rows` is read once, in order, and may be lazy (a national board's 20,000 officers are
    worked out as the file is written); `total` may then be a callable, asked after the rows."""

    name: str
    columns: list[Column]
    rows: Iterable[Sequence]
    covers: list[str] = field(default_factory=list)
    total: Sequence | Callable[[], Sequence | None] | None = None
    notes: list[str] = field(default_factory=list)
    file_parts: list[str] = field(default_factory=list)
    sheet: str = ""


def dialect() -> Dialect:
    """The CSV dialect of the reader's language."""
    return DIALECTS.get(str(get_locale()), DIALECTS["en"])


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


def _is_number(value) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool)


def _whole(value) -> bool:
    return isinstance(value, int) or float(value).is_integer()


def total_row(table: Table) -> Sequence | None:
    """The table's total row, once its rows have been read (a callable total counts them)."""
    return table.total() if callable(table.total) else table.total


def heading(table: Table, exported_at: datetime | None = None) -> tuple[str, str]:
    """The title row and the row of what the table covers, ending with when it was exported."""
    when = short_date(exported_at or datetime.now(UTC))
    return table.name, " · ".join([*table.covers, _("exported %(when)s", when=when)])


# CSV ----------------------------------------------------------------------------------------


def csv_value(value, kind: str, way: Dialect) -> str:
    """A cell as text in the dialect: numbers without group separators (so no dialect reads
    1.234 as a decimal), percentages as Excel reads them back (68,8%), dates in the language's
    order, text neutralised."""
    if value is None:
        return ""
    if isinstance(value, datetime | date):
        return value.strftime(way.date_format)
    if not _is_number(value):
        return str(safe_cell(value))
    if kind == PERCENT:
        text = f"{Decimal(str(value)) * 100:.1f}%"
    elif _whole(value):
        text = f"{int(value):{'+' if kind == SIGNED and value else ''}d}"
    else:
        text = f"{Decimal(str(value)):.1f}"
    return text.replace(".", way.decimal)


def csv_chunks(
    table: Table, way: Dialect | None = None, exported_at: datetime | None = None
) -> Iterator[bytes]:
    """The CSV as UTF-8 pieces of about CSV_CHUNK characters, with a byte order mark (Excel
    then reads Vietnamese), in the reader's dialect. The title, what the table covers and the
    header go out before the first row is read, so a download starts while a lazy table is
    still being worked out, and no more than one piece is held at a time."""
    way = way or dialect()
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=way.delimiter)

    def piece() -> bytes:
        text = buffer.getvalue()
        buffer.seek(0)
        buffer.truncate()
        return text.encode("utf-8")

    buffer.write("\ufeff")
    title, covers = heading(table, exported_at)
    writer.writerow([safe_cell(title)])
    writer.writerow([safe_cell(covers)])
    writer.writerow([])
    writer.writerow([safe_cell(column.header) for column in table.columns])
    yield piece()
    kinds = [column.kind for column in table.columns]

    def write(row) -> None:
        writer.writerow(
            [csv_value(value, kind, way) for value, kind in zip(row, kinds, strict=True)]
        )

    for row in table.rows:
        write(row)
        if buffer.tell() >= CSV_CHUNK:
            yield piece()
    total = total_row(table)
    if total:
        write(total)
    if table.notes:
        writer.writerow([])
        for note in table.notes:
            writer.writerow([safe_cell(note)])
    if buffer.tell():
        yield piece()


def to_csv(table: Table, way: Dialect | None = None, exported_at: datetime | None = None) -> bytes:
    """The whole CSV at once: csv_chunks joined."""
    return b"".join(csv_chunks(table, way, exported_at))


# XLSX ---------------------------------------------------------------------------------------

_HEADER_FONT = Font(bold=True, color="FFFFFF")
_HEADER_FILL = PatternFill("solid", fgColor="0D6E6E")
_TOTAL_BORDER = Border(top=Side(style="thin"))


def _number_format(value, kind: str) -> str | None:
    if isinstance(value, datetime | date):
        return "dd/mm/yyyy"
    if not _is_number(value):
        return None
    if kind in (PERCENT, SIGNED):
        return XLSX_FORMATS[kind]
    return XLSX_FORMATS[INTEGER] if _whole(value) else XLSX_FORMATS[DECIMAL]


def _put_row(sheet, row_number: int, values, kinds) -> None:
    for column, (value, kind) in enumerate(zip(values, kinds, strict=True), start=1):
        cell = sheet.cell(row_number, column, _xml_safe(safe_cell(value)))
        number_format = _number_format(value, kind)
        if number_format:
            cell.number_format = number_format


def to_xlsx(table: Table, exported_at: datetime | None = None) -> bytes:
    """One sheet named in the reader's language: title, what it covers, the header (kept in
    view, with filters), the rows, the total in bold, the notes."""
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = sheet_title(table.sheet or table.name)
    workbook.properties.title = table.name
    title, covers = heading(table, exported_at)
    sheet.cell(1, 1, _xml_safe(safe_cell(title))).font = Font(bold=True, size=14)
    sheet.cell(2, 1, _xml_safe(safe_cell(covers))).font = Font(italic=True, color="555555")
    kinds = [column.kind for column in table.columns]
    for index, column in enumerate(table.columns, start=1):
        cell = sheet.cell(HEADER_ROW, index, _xml_safe(safe_cell(column.header)))
        cell.font, cell.fill = _HEADER_FONT, _HEADER_FILL
        cell.alignment = Alignment(vertical="center", wrap_text=True)
    row_number = HEADER_ROW
    for row in table.rows:
        row_number += 1
        _put_row(sheet, row_number, row, kinds)
    last_column = get_column_letter(len(table.columns))
    sheet.auto_filter.ref = f"A{HEADER_ROW}:{last_column}{max(row_number, HEADER_ROW + 1)}"
    total = total_row(table)
    if total:
        row_number += 1
        _put_row(sheet, row_number, total, kinds)
        for cell in sheet[row_number]:
            cell.font, cell.border = Font(bold=True), _TOTAL_BORDER
    for index, column in enumerate(table.columns, start=1):
        cells = sheet[get_column_letter(index)][HEADER_ROW:row_number]
        width = max([len(column.header), *(len(str(c.value or "")) for c in cells)])
        sheet.column_dimensions[get_column_letter(index)].width = min(width + 2, 40)
    for offset, note in enumerate(table.notes, start=2):  # after a blank row; notes spill over
        sheet.cell(row_number + offset, 1, _xml_safe(safe_cell(note))).font = Font(color="555555")
    sheet.freeze_panes = f"A{HEADER_ROW + 1}"
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


# The download ------------------------------------------------------------------------------


def file_name(table: Table, extension: str) -> str:
    """'bảng-xếp-hạng-cán-bộ-2024.xlsx': the table's name and parts, in lower case, joined by
    hyphens; nothing a file system refuses."""
    words = _NOT_IN_NAME.sub("-", " ".join([table.name, *table.file_parts]).lower()).strip("-_")
    return f"{words or 'export'}.{extension}"


def content_disposition(name: str) -> str:
    """An attachment with an ASCII name every browser takes, and the name in the reader's
    language for those that read RFC 5987's `filename*` (all of today's)."""
    ascii_name = fold(name).replace(" ", "-").encode("ascii", "ignore").decode() or "export"
    if ascii_name == name:
        return f'attachment; filename="{name}"'
    return f"attachment; filename=\"{ascii_name}\"; filename*=UTF-8''{quote(name, safe='')}"


def download(table: Table, extension: str) -> Response:
    """The table as a file to save: XLSX, built whole (openpyxl writes a workbook at once), or
    CSV in the reader's dialect, streamed as it is written. The dialect and the time of the
    export are fixed here, in the request; the rows are read while the body is sent."""
    headers = {"Content-Disposition": content_disposition(file_name(table, extension))}
    if extension == "xlsx":
        return Response(to_xlsx(table), content_type=MEDIA_TYPES[extension], headers=headers)
    chunks = csv_chunks(table, dialect(), datetime.now(UTC))
    return Response(
        stream_with_context(chunks), content_type=MEDIA_TYPES[extension], headers=headers
    )
