"""The columns of the insurer's per-person list and how one row of it is read.

The insurer's own export names its columns in Vietnamese; our template names them by code.
Both are accepted, folded (no diacritics, any case), so an office uploads the file it got."""

from __future__ import annotations

from dataclasses import dataclass

from flask_babel import gettext as _

from ... import parsing
from ...inputs import storable
from ...text import fold
from ..import_files import cell_day, cell_text
from ..import_files import template_csv as _template_csv

EARLIEST_BIRTH = parsing.EARLIEST_BIRTH
MAX_AMOUNT = 100_000_000  # đồng a month: far above 22 % of any maximum basis

COLUMNS = (
    "social_insurance_number",
    "citizen_id",
    "full_name",
    "birth_date",
    "area_code",
    "scheme",
    "paid_from",
    "paid_through",
    "monthly_contribution",
    "state_support",
    "collection_agent",
    "receipt",
)
REQUIRED = ("social_insurance_number", "full_name", "area_code")
# The insurer's Vietnamese headers, folded, for each column.
ALIASES = {
    "ma so bhxh": "social_insurance_number",
    "so so bhxh": "social_insurance_number",
    "so dinh danh ca nhan": "citizen_id",
    "so cccd": "citizen_id",
    "ho va ten": "full_name",
    "ho ten": "full_name",
    "ngay sinh": "birth_date",
    "ma xa": "area_code",
    "ma don vi hanh chinh": "area_code",
    "loai hinh": "scheme",
    "tu ngay": "paid_from",
    "den ngay": "paid_through",
    "muc dong": "monthly_contribution",
    "so tien dong": "monthly_contribution",
    "so tien nsnn ho tro": "state_support",
    "nsnn ho tro": "state_support",
    "dai ly thu": "collection_agent",
    "to chuc dich vu thu": "collection_agent",
    "so bien lai": "receipt",
}
SCHEME_ALIASES = {
    "voluntary_si": "voluntary_si",
    "bhxh tu nguyen": "voluntary_si",
    "bhxhtn": "voluntary_si",
    "household_hi": "household_hi",
    "bhyt ho gia dinh": "household_hi",
    "bhyt hgd": "household_hi",
}
EXAMPLE = [
    "1520012345",
    "010203004005",
    "Nguyễn Văn An",
    "1980-05-17",
    "02647",
    "voluntary_si",
    "2026-01-01",
    "2026-12-31",
    "330000",
    "66000",
    "Bưu điện tỉnh Lào Cai",
    "BL-000123",
]


def template_csv() -> bytes:
    return _template_csv(list(COLUMNS), EXAMPLE)


def column_of(header: object) -> str | None:
    name = fold(cell_text(header))
    return name if name in COLUMNS else ALIASES.get(name)


@dataclass
class Problem:
    line: int
    column: str
    reason: str


def positions(header: list) -> tuple[dict[str, int], list[str]]:
    """{column: index} of the header row, and the required columns it lacks."""
    found: dict[str, int] = {}
    for index, cell in enumerate(header):
        column = column_of(cell)
        if column and column not in found:
            found[column] = index
    return found, [name for name in REQUIRED if name not in found]


def _digits(raw: str, length: int) -> str | None:
    text = raw.replace(" ", "")
    return text if len(text) == length and parsing.ascii_digits(text) else None


def _amount(raw) -> int | None:
    if isinstance(raw, str):
        raw = raw.strip().replace(".", "").replace(",", "")
    return parsing.whole_number(raw, 0, MAX_AMOUNT)


def read_row(line: int, cells: list, where: dict[str, int], problems: list[Problem]) -> dict:
    """One person as plain values; every problem of the row is added to `problems`."""

    def cell(name: str):
        index = where.get(name)
        return cells[index] if index is not None and index < len(cells) else None

    def problem(column: str, reason: str) -> None:
        problems.append(Problem(line, column, reason))

    values: dict = {}
    number = _digits(cell_text(cell("social_insurance_number")), 10)
    if number is None:
        problem("social_insurance_number", _("A social insurance number has 10 digits."))
    values["social_insurance_number"] = number
    citizen = cell_text(cell("citizen_id"))
    values["citizen_id"] = _digits(citizen, 12) if citizen else None
    if citizen and values["citizen_id"] is None:
        problem("citizen_id", _("A personal identification number has 12 digits."))
    for name, limit in (("full_name", 120), ("collection_agent", 160), ("receipt", 60)):
        text = cell_text(cell(name))
        if len(text) > limit or not storable(text):
            problem(name, _("At most %(count)d characters of text.", count=limit))
            text = ""
        values[name] = text
    if not values["full_name"]:
        problem("full_name", _("The name is missing."))
    code = cell_text(cell("area_code"))
    values["area_code"] = code if len(code) <= 32 and storable(code) else ""
    if not code:
        problem("area_code", _("The area code is missing."))
    elif not values["area_code"]:  # no unit bears it, and no database would hold it
        problem("area_code", _("At most %(count)d characters of text.", count=32))
    scheme = fold(cell_text(cell("scheme"))) or "voluntary_si"
    values["scheme"] = SCHEME_ALIASES.get(scheme)
    if values["scheme"] is None:
        problem("scheme", _("Unknown scheme."))
    birth = cell("birth_date")
    values["birth_date"] = cell_day(birth, EARLIEST_BIRTH) if cell_text(birth) else None
    if cell_text(birth) and values["birth_date"] is None:
        problem("birth_date", _("Not a date of birth (YYYY-MM-DD or dd/mm/yyyy)."))
    for name in ("paid_from", "paid_through"):
        raw = cell(name)
        values[name] = cell_day(raw) if cell_text(raw) else None
        if cell_text(raw) and values[name] is None:
            problem(name, _("Not a date (YYYY-MM-DD or dd/mm/yyyy) between 2000 and 2100."))
    paid_from, paid_through = values["paid_from"], values["paid_through"]
    if paid_from and paid_through and paid_through < paid_from:
        problem("paid_through", _("Paid through comes before paid from."))
    for name in ("monthly_contribution", "state_support"):
        raw = cell(name)
        values[name] = _amount(raw) if cell_text(raw) else None
        if cell_text(raw) and values[name] is None:
            problem(name, _("Not an amount in đồng."))
    return values
