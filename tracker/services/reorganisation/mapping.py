"""The mapping of a reorganisation as rows: (old code, new code, new name, kind, parent,
effective date, share), read from CSV or XLSX, from the admin form, or built from the official
catalogues. Reading only checks each row on its own; plan.py judges them together."""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal, InvalidOperation

from ... import parsing
from ...inputs import storable
from ...text import fold
from ...vocab import AREA_KINDS
from .. import import_files

COLUMNS = ("old_code", "new_code", "new_name", "kind", "parent", "effective_date", "share")
FULL_SHARE = 10_000  # basis points
# What official lists write in the kind column, folded, beside our own codes.
KIND_WORDS = {
    "tinh": "province",
    "thanh pho truc thuoc trung uong": "province",
    "thanh pho trung uong": "province",
    "huyen": "district",
    "quan": "district",
    "thanh pho": "city",
    "thi xa": "town",
    "phuong": "ward",
    "xa": "commune",
    "thi tran": "township",
    "dac khu": "special_zone",
}


@dataclass(frozen=True)
class MappingRow:
    line: int
    old_code: str
    new_code: str
    new_name: str = ""
    kind: str = ""
    parent: str = ""
    effective_on: date | None = None
    share: int = FULL_SHARE  # basis points of the old unit going to the new one


@dataclass(frozen=True)
class Problem:
    line: int
    column: str
    code: str
    params: dict = field(default_factory=dict)


class MappingError(ValueError):
    """The file cannot be read at all (not a table, no header)."""

    def __init__(self, code: str):
        super().__init__(code)
        self.code = code


def kind_code(text: str) -> str | None:
    """'phường', 'Xã', 'ward' → our kind codes; None for anything else."""
    text = text.strip()
    if text in AREA_KINDS:
        return text
    return KIND_WORDS.get(fold(text))


def parse_day(text: str) -> date | None:
    """YYYY-MM-DD or dd/mm/yyyy within the office's years, as imports read dates: a date in year
    1 once reached the plan, which looks up the units of the day before and overflowed."""
    return parsing.written_day(text)


def parse_share(text: str) -> int | None:
    """'100', '37.5', '37,5 %' → basis points; empty means all of it."""
    cleaned = text.replace("%", "").replace(",", ".").strip()
    if not cleaned:
        return FULL_SHARE
    try:
        percent = Decimal(cleaned)
    except InvalidOperation:
        return None
    if not percent.is_finite() or not 0 < percent <= 100:
        return None
    return int((percent * 100).to_integral_value())


def read_rows(cells: list[list[str]]) -> tuple[list[MappingRow], list[Problem]]:
    """Mapping rows from a table whose first row names the columns (any order; the kind,
    parent and share columns may be left empty where they do not apply)."""
    if not cells:
        raise MappingError("empty")
    header = [str(c or "").strip().lower() for c in cells[0]]
    missing = [name for name in ("old_code", "new_code", "effective_date") if name not in header]
    if missing:
        return [], [Problem(1, ", ".join(missing), "missing_column")]
    rows, problems = [], []
    for line, raw in enumerate(cells[1:], start=2):
        values = {
            name: str(raw[header.index(name)] or "").strip()
            if name in header and header.index(name) < len(raw)
            else ""
            for name in COLUMNS
        }
        if not any(values.values()):
            continue
        row, found = read_row(line, values)
        problems.extend(found)
        if row is not None:
            rows.append(row)
    return rows, problems


def read_row(line: int, values: dict[str, str]) -> tuple[MappingRow | None, list[Problem]]:
    # A file's cells never passed the request filter (tracker/inputs.py): a NUL in a code
    # reached PostgreSQL, which refuses it, as a 500.
    problems = [
        Problem(line, column, "unstorable")
        for column, value in values.items()
        if column in COLUMNS and not storable(value)
    ]
    day = parse_day(values.get("effective_date", ""))
    if day is None:
        problems.append(Problem(line, "effective_date", "not_a_date"))
    share = parse_share(values.get("share", ""))
    if share is None:
        problems.append(Problem(line, "share", "not_a_share"))
    kind = values.get("kind", "")
    if kind and kind_code(kind) is None:
        problems.append(Problem(line, "kind", "unknown_kind", {"kind": kind}))
    old_code, new_code = values.get("old_code", ""), values.get("new_code", "")
    if not old_code and not new_code:
        problems.append(Problem(line, "old_code", "nothing_to_do"))
    for column in ("old_code", "new_code", "parent"):
        if len(values.get(column, "")) > 32:
            problems.append(Problem(line, column, "too_long", {"count": 32}))
    if len(values.get("new_name", "")) > 120:
        problems.append(Problem(line, "new_name", "too_long", {"count": 120}))
    if problems:
        return None, problems
    row = MappingRow(
        line,
        old_code,
        new_code,
        values.get("new_name", ""),
        kind_code(kind) or "" if kind else "",
        values.get("parent", ""),
        day,
        share,
    )
    return row, []


MAX_ROWS = import_files.MAX_ROWS  # a country's mapping has some 10,500 rows


def table_cells(data: bytes, filename: str) -> list[list[str]]:
    """The cells of a CSV (UTF-8) or XLSX file as text, read as imports read theirs
    (services/import_files.py: limits enforced while reading, <dimension> never trusted, XML
    entities refused); this reader's own copy of that once let a CSV field over the csv
    module's limit become a 500."""
    try:
        rows = import_files.read_rows(data, filename)
    except import_files.FileProblem as error:
        raise MappingError(error.code) from error
    return [[_cell_text(value) for value in row] for row in rows]


def _cell_text(value) -> str:
    """An XLSX cell as the text a CSV would hold: a date cell as its day (str() of the datetime
    openpyxl gives, "2025-07-01 00:00:00", is no date parse_day reads)."""
    if value is None:
        return ""
    if isinstance(value, datetime):
        return value.date().isoformat()
    return str(value)


def to_csv(rows: list[MappingRow]) -> str:
    """The rows as the CSV the command and the admin screen read: what a province edits (the
    shares of a split, say) before applying."""
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(COLUMNS)
    for row in rows:
        writer.writerow(
            [
                row.old_code,
                row.new_code,
                row.new_name,
                row.kind,
                row.parent,
                row.effective_on.isoformat() if row.effective_on else "",
                f"{Decimal(row.share) / 100:f}".rstrip("0").rstrip("."),
            ]
        )
    return buffer.getvalue()
