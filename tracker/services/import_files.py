"""Reading an uploaded CSV or XLSX into rows of cells, with the limits enforced while reading.

A 4.9 KB XLSX declaring `A1:XFD3000` in its <dimension> took 375 MB (openpyxl pads every row to
the declared width, and the row limit was checked after loading everything); a stale
<dimension> silently dropped the rows beyond it; an XML entity declaration crashed the preview.
Here the declared dimension is never trusted (rows are read as they are in the sheet), rows are
cut to the columns an import can use, reading stops as soon as there are too many rows, the
archive's uncompressed size is bounded before anything is parsed, and defusedxml (which
openpyxl uses when it is installed) refuses entity declarations.
"""

from __future__ import annotations

import csv
import io
import zipfile
from collections.abc import Iterator
from datetime import date, datetime

from openpyxl import load_workbook

from .. import parsing
from ..inputs import nfc

MAX_ROWS = 20_000  # data rows, after the header (README.md, the Imports page)
MAX_COLUMNS = 30  # an import uses 4 or 5; a sheet's other columns are ignored
MAX_UNZIPPED = 64 * 1024 * 1024  # every part of the XLSX together, uncompressed


class FileProblem(ValueError):
    """The file cannot be imported at all; `code` says why (imports.import_error)."""

    def __init__(self, code: str):
        super().__init__(code)
        self.code = code


def cell_text(value) -> str:
    """A cell as text: a whole float (Excel's numbers) without its ".0", spaces trimmed."""
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return str(value).strip()


def cell_day(value, earliest: date = parsing.FIRST_DAY) -> date | None:
    """A date cell: Excel's own date, or YYYY-MM-DD or dd/mm/yyyy text, from `earliest` on."""
    if isinstance(value, date | datetime):
        return parsing.written_day(value, earliest)
    return parsing.written_day(cell_text(value), earliest)


def _text_cell(value):
    """Strings are normalised like every request's text (tracker/inputs.py)."""
    return nfc(value) if isinstance(value, str) else value


def _limited(rows: Iterator, max_rows: int) -> Iterator[list]:
    """Rows as lists of cells, refused once there are more than max_rows after the header."""
    data_rows = 0
    for index, row in enumerate(rows, start=1):
        if index > max_rows * 4:  # blank rows included: how far down a sheet is read at most
            raise FileProblem("too_many_rows")
        cells = [_text_cell(value) for value in list(row)[:MAX_COLUMNS]]
        if index > 1 and any(value not in (None, "") for value in cells):
            data_rows += 1
            if data_rows > max_rows:
                raise FileProblem("too_many_rows")
        yield cells


def _xlsx_rows(data: bytes, max_unzipped: int) -> Iterator:
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
        if sum(member.file_size for member in archive.infolist()) > max_unzipped:
            raise FileProblem("too_large")
        workbook = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
        sheet = workbook.active
        sheet.reset_dimensions()  # never trust <dimension>: read the rows that are there
        yield from sheet.iter_rows(max_col=MAX_COLUMNS, values_only=True)
    except FileProblem:
        raise
    except Exception as error:  # noqa: BLE001 - any unreadable workbook is one answer
        raise FileProblem("unreadable") from error


def _csv_rows(data: bytes) -> Iterator:
    """Decoded as it is read: a list of 100,000 people is never held as one string."""
    text = io.TextIOWrapper(io.BytesIO(data), encoding="utf-8-sig", newline="")
    try:
        yield from csv.reader(text)
    except UnicodeDecodeError as error:
        raise FileProblem("not_utf8") from error
    except csv.Error as error:  # a field over the csv module's size limit, a stray quote
        raise FileProblem("unreadable") from error


def iter_rows(
    data: bytes, filename: str, max_rows: int | None = None, max_unzipped: int | None = None
) -> Iterator[list]:
    """The rows of the file's first sheet as lists of cells (CSV: text; XLSX: Excel's own
    types), one at a time, at most max_rows of data after the header; FileProblem otherwise
    (raised while reading, when the row that breaks a limit is reached)."""
    if filename.lower().endswith(".xlsx"):
        rows = _xlsx_rows(data, max_unzipped or MAX_UNZIPPED)
    else:
        rows = _csv_rows(data)
    return _limited(rows, max_rows or MAX_ROWS)


def read_rows(data: bytes, filename: str) -> list[list]:
    """Every row at once, for the imports of at most MAX_ROWS rows."""
    return list(iter_rows(data, filename))


def template_csv(headers: list[str], example: list[str]) -> bytes:
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(headers)
    writer.writerow(example)
    return ("\ufeff" + buffer.getvalue()).encode("utf-8")
