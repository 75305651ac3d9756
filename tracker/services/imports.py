"""Imports of households (prospects) and official participant counts, from CSV or XLSX.

Two steps: `preview` reads the file and reports every row's problems (line, column, reason)
without writing anything; committing writes the previewed rows (services/import_jobs.py, as a
job outside the request). Rows already in the database are reported as duplicates and skipped,
so importing the same file again changes nothing. Cells are read like every other input:
numbers and dates by tracker.parsing, text normalised and refused when it cannot be stored."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from datetime import date

from flask_babel import gettext as _
from sqlalchemy import select

from .. import parsing
from ..access import visible_area_ids
from ..dates import local_today
from ..errors import RuleBroken
from ..extensions import db
from ..inputs import storable
from ..models import Area, Household, ParticipantCount, User
from ..text import search_text
from ..vocab import ENROLLMENT_SCHEMES, HOUSEHOLD_CATEGORIES
from . import import_files
from .areas import area_by_code
from .households import valid_phone

MAX_ROWS = import_files.MAX_ROWS
KINDS = {
    "households": ["ward_code", "head_name", "address", "phone", "category"],
    "counts": ["area_code", "as_of", "participants", "source"],
}
# Columns a file may have or leave out. A count without a scheme is of voluntary social
# insurance, as every count was before household health insurance was counted apart.
OPTIONAL = {"households": [], "counts": ["scheme"]}
DEFAULT_COUNT_SCHEME = "voluntary_si"
EXAMPLES = {
    "households": ["02647", "Nguyễn Văn A", "Số 5, đường Hoàng Liên", "0912345678", "trader"],
    "counts": ["02647", "2024-03-26", "462", "BHXH tỉnh Lào Cai", DEFAULT_COUNT_SCHEME],
}


@dataclass
class Problem:
    line: int
    column: str
    reason: str


@dataclass
class Preview:
    kind: str
    filename: str
    digest: str
    rows: list[dict] = field(default_factory=list)  # ready to write
    duplicates: list[Problem] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)

    @property
    def can_commit(self) -> bool:
        return not self.problems and bool(self.rows)


def template_csv(kind: str) -> bytes:
    return import_files.template_csv(KINDS[kind] + OPTIONAL[kind], EXAMPLES[kind])


_text = import_files.cell_text
_day = import_files.cell_day


def _whole(value) -> int | None:
    """A count: a whole number cell, or digits with Vietnamese or English thousands marks."""
    if isinstance(value, str):
        value = value.strip().replace(".", "").replace(",", "")
    return parsing.whole_number(value)


def preview(user: User, kind: str, data: bytes, filename: str) -> Preview:
    if kind not in KINDS:
        raise RuleBroken("file", "unknown_kind")
    try:
        cells = import_files.read_rows(data, filename)
    except import_files.FileProblem as error:
        raise RuleBroken("file", error.code) from error
    if not cells:
        raise RuleBroken("file", "empty")
    header = [_text(c).lower() for c in cells[0]]
    missing = [name for name in KINDS[kind] if name not in header]
    result = Preview(kind, filename[:200], hashlib.sha256(data).hexdigest())
    if missing:
        result.problems.append(Problem(1, ", ".join(missing), _("Missing column.")))
        return result
    positions = {
        name: header.index(name) for name in KINDS[kind] + OPTIONAL[kind] if name in header
    }
    areas = _AreasByCode()
    allowed = visible_area_ids(user)
    check = _household_row if kind == "households" else _count_row
    candidates = []
    for line, raw in enumerate(cells[1:], start=2):
        if not any(_text(c) for c in raw):
            continue
        values = {name: raw[i] if i < len(raw) else None for name, i in positions.items()}
        bad = [name for name, value in values.items() if not storable(_text(value))]
        for name in bad:
            result.problems.append(
                Problem(line, name, _("NUL characters or broken Unicode cannot be stored."))
            )
        if not bad and (row := check(result, line, values, areas, allowed)):
            candidates.append((line, row))
    (_new_households if kind == "households" else _new_counts)(result, candidates)
    return result


class _AreasByCode:
    """The unit bearing a code on a day (a code names one unit a day), read once per pair."""

    def __init__(self) -> None:
        self._found: dict[tuple[str, date], Area | None] = {}

    def get(self, code: str, day: date | None = None) -> Area | None:
        key = (code, day or local_today())
        if key not in self._found:
            self._found[key] = area_by_code(*key)
        return self._found[key]


def _area(result, line, column, code, areas, allowed, local_only, day=None):
    area = areas.get(code, day)
    if area is None:
        result.problems.append(Problem(line, column, _("Unknown area code “%(code)s”.", code=code)))
    elif local_only and not area.is_local:
        result.problems.append(Problem(line, column, _("Households belong to a ward or commune.")))
    elif allowed is not None and area.id not in allowed:
        result.problems.append(Problem(line, column, _("This area is not yours to import.")))
    else:
        return area
    return None


def _household_row(result, line, values, areas, allowed) -> dict | None:
    before = len(result.problems)
    area = _area(result, line, "ward_code", _text(values["ward_code"]), areas, allowed, True)
    name, address = _text(values["head_name"]), _text(values["address"])
    phone, category = _text(values["phone"]) or None, _text(values["category"]) or "other"
    if not name or len(name) > 120:
        result.problems.append(Problem(line, "head_name", _("A name of 1 to 120 characters.")))
    if len(address) > 200:
        result.problems.append(
            Problem(line, "address", _("At most %(count)d characters.", count=200))
        )
    if phone and not valid_phone(phone):
        result.problems.append(Problem(line, "phone", _("Digits only, at most 20.")))
    if category not in HOUSEHOLD_CATEGORIES:
        result.problems.append(
            Problem(
                line, "category", _("One of: %(values)s.", values=", ".join(HOUSEHOLD_CATEGORIES))
            )
        )
    if len(result.problems) > before or area is None:
        return None
    return {
        "area_id": area.id,
        "head_name": name,
        "address": address,
        "phone": phone,
        "category": category,
    }


def household_key(row: dict) -> tuple[int, str, str]:
    """Same ward, same name and address once diacritics and case are ignored: a duplicate."""
    return (
        row["area_id"],
        search_text(row["head_name"]),
        search_text(row["head_name"], row["address"]),
    )


def existing_households(area_ids) -> set[tuple[int, str, str]]:
    """The duplicate keys already in some wards, in one query (not one per row)."""
    rows = db.session.execute(
        select(Household.area_id, Household.name_key, Household.search_text).where(
            Household.area_id.in_(sorted(set(area_ids)))
        )
    )
    return {tuple(row) for row in rows}


def _new_households(result: Preview, candidates) -> None:
    seen = existing_households(row["area_id"] for _line, row in candidates)
    for line, row in candidates:
        key = household_key(row)
        if key in seen:
            result.duplicates.append(
                Problem(
                    line,
                    "head_name",
                    _("Already in the register (same name and address in the same ward)."),
                )
            )
            continue
        seen.add(key)
        result.rows.append(row)


def _count_row(result, line, values, areas, allowed) -> dict | None:
    before = len(result.problems)
    day = _day(values["as_of"])
    code = _text(values["area_code"])
    area = _area(result, line, "area_code", code, areas, allowed, False, day)
    participants = _whole(values["participants"])
    scheme = _text(values.get("scheme")) or DEFAULT_COUNT_SCHEME
    if scheme not in ENROLLMENT_SCHEMES:
        result.problems.append(
            Problem(line, "scheme", _("voluntary_si or household_hi, or leave it empty."))
        )
    if day is None:
        result.problems.append(Problem(line, "as_of", _("A date as YYYY-MM-DD or dd/mm/yyyy.")))
    if participants is None:
        result.problems.append(Problem(line, "participants", _("A whole number, 0 or more.")))
    if len(result.problems) > before or area is None:
        return None
    return {
        "area_id": area.id,
        "as_of": day.isoformat(),
        "participants": participants,
        "source": _text(values["source"])[:200],
        "scheme": scheme,
    }


def count_key(row: dict) -> tuple[int, str, str]:
    """What makes an official count one: its area, day and scheme (a preview saved before
    counts had a scheme holds voluntary ones)."""
    return row["area_id"], row["as_of"], row.get("scheme", DEFAULT_COUNT_SCHEME)


def existing_counts(area_ids) -> dict[tuple[int, str, str], int]:
    rows = db.session.execute(
        select(
            ParticipantCount.area_id,
            ParticipantCount.as_of,
            ParticipantCount.scheme,
            ParticipantCount.participants,
        ).where(ParticipantCount.area_id.in_(sorted(set(area_ids))))
    )
    return {(area_id, day.isoformat(), scheme): count for area_id, day, scheme, count in rows}


def _new_counts(result: Preview, candidates) -> None:
    existing = existing_counts(row["area_id"] for _line, row in candidates)
    seen: set = set()
    for line, row in candidates:
        key = count_key(row)
        if key in seen:
            result.problems.append(
                Problem(line, "as_of", _("The same area, date and scheme appear twice."))
            )
            continue
        seen.add(key)
        recorded = existing.get(key)
        if recorded is None:
            result.rows.append(row)
        elif recorded == row["participants"]:
            result.duplicates.append(Problem(line, "as_of", _("Already recorded.")))
        else:
            result.problems.append(
                Problem(
                    line,
                    "participants",
                    _(
                        "A different count (%(count)s) is already recorded for this date.",
                        count=recorded,
                    ),
                )
            )
