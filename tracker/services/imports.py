"""Imports of households (prospects) and official participant counts, from CSV or XLSX.

Two steps: `preview` reads the file and reports every row's problems (line, column, reason)
without writing anything; `commit` writes the previewed rows all at once, or nothing. Rows that
are already in the database are reported as duplicates and skipped, so importing the same file
again changes nothing."""

from __future__ import annotations

import csv
import hashlib
import io
import json
from dataclasses import asdict, dataclass, field
from datetime import date, datetime
from pathlib import Path

from flask import current_app
from flask_babel import gettext as _
from openpyxl import load_workbook
from sqlalchemy import select

from ..access import visible_area_ids
from ..extensions import db
from ..models import Area, Household, ParticipantCount, User
from ..text import search_text
from ..vocab import HOUSEHOLD_CATEGORIES
from ..web import local_today
from . import audit
from .areas import area_by_code

MAX_ROWS = 20_000
KINDS = {
    "households": ["ward_code", "head_name", "address", "phone", "category"],
    "counts": ["area_code", "as_of", "participants", "source"],
}
EXAMPLES = {
    "households": ["02647", "Nguyễn Văn A", "Số 5, đường Hoàng Liên", "0912345678", "trader"],
    "counts": ["02647", "2024-03-26", "462", "BHXH tỉnh Lào Cai"],
}


class ImportError_(ValueError):  # noqa: N801 - not the builtin
    def __init__(self, code: str):
        super().__init__(code)
        self.code = code


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
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(KINDS[kind])
    writer.writerow(EXAMPLES[kind])
    return ("\ufeff" + buffer.getvalue()).encode("utf-8")


def _cells(data: bytes, filename: str) -> list[list]:
    """Rows of cells from CSV (UTF-8, with or without BOM) or XLSX (Excel's own types)."""
    if filename.lower().endswith(".xlsx"):
        try:
            sheet = load_workbook(io.BytesIO(data), read_only=True, data_only=True).active
        except Exception as error:  # noqa: BLE001 - any unreadable workbook is one answer
            raise ImportError_("unreadable") from error
        return [list(row) for row in sheet.iter_rows(values_only=True)]
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        raise ImportError_("not_utf8") from error
    return [row for row in csv.reader(io.StringIO(text))]


def _text(value) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return str(value).strip()


def _day(value) -> date | None:
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    text = _text(value)
    for pattern in ("%Y-%m-%d", "%d/%m/%Y"):
        try:
            return datetime.strptime(text, pattern).date()
        except ValueError:
            continue
    return None


def _whole(value) -> int | None:
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        return value
    if isinstance(value, float) and value.is_integer():
        return int(value)
    text = _text(value).replace(".", "").replace(",", "")
    return int(text) if text.isdigit() else None


def preview(user: User, kind: str, data: bytes, filename: str) -> Preview:
    if kind not in KINDS:
        raise ImportError_("unknown_kind")
    cells = _cells(data, filename)
    if not cells:
        raise ImportError_("empty")
    header = [_text(c).lower() for c in cells[0]]
    missing = [name for name in KINDS[kind] if name not in header]
    result = Preview(kind, filename, hashlib.sha256(data).hexdigest())
    if missing:
        result.problems.append(Problem(1, ", ".join(missing), _("Missing column.")))
        return result
    if len(cells) - 1 > MAX_ROWS:
        raise ImportError_("too_many_rows")
    areas = _AreasByCode()
    allowed = visible_area_ids(user)
    check = _household_row if kind == "households" else _count_row
    seen: set = set()
    for line, raw in enumerate(cells[1:], start=2):
        if not any(_text(c) for c in raw):
            continue
        values = {
            name: raw[header.index(name)] if header.index(name) < len(raw) else None
            for name in KINDS[kind]
        }
        check(result, line, values, areas, allowed, seen)
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


def _household_row(result, line, values, areas, allowed, seen) -> None:
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
    if phone and (len(phone) > 20 or not phone.replace(" ", "").lstrip("+").isdigit()):
        result.problems.append(Problem(line, "phone", _("Digits only, at most 20.")))
    if category not in HOUSEHOLD_CATEGORIES:
        result.problems.append(
            Problem(
                line, "category", _("One of: %(values)s.", values=", ".join(HOUSEHOLD_CATEGORIES))
            )
        )
    if len(result.problems) > before or area is None:
        return
    key = (area.id, search_text(name), search_text(address))
    exists = db.session.scalar(
        select(Household.id)
        .where(
            Household.area_id == area.id,
            Household.name_key == key[1],
            Household.search_text == search_text(name, address),
        )
        .limit(1)
    )
    if key in seen or exists:
        result.duplicates.append(
            Problem(
                line,
                "head_name",
                _("Already in the register (same name and address in the same ward)."),
            )
        )
        return
    seen.add(key)
    result.rows.append(
        {
            "area_id": area.id,
            "head_name": name,
            "address": address,
            "phone": phone,
            "category": category,
        }
    )


def _count_row(result, line, values, areas, allowed, seen) -> None:
    before = len(result.problems)
    day = _day(values["as_of"])
    code = _text(values["area_code"])
    area = _area(result, line, "area_code", code, areas, allowed, False, day)
    participants = _whole(values["participants"])
    source = _text(values["source"])[:200]
    if day is None:
        result.problems.append(Problem(line, "as_of", _("A date as YYYY-MM-DD or dd/mm/yyyy.")))
    if participants is None or participants < 0:
        result.problems.append(Problem(line, "participants", _("A whole number, 0 or more.")))
    if len(result.problems) > before or area is None:
        return
    if (area.id, day) in seen:
        result.problems.append(Problem(line, "as_of", _("The same area and date appear twice.")))
        return
    seen.add((area.id, day))
    existing = db.session.scalar(
        select(ParticipantCount).where(
            ParticipantCount.area_id == area.id, ParticipantCount.as_of == day
        )
    )
    if existing is not None:
        if existing.participants == participants:
            result.duplicates.append(Problem(line, "as_of", _("Already recorded.")))
        else:
            result.problems.append(
                Problem(
                    line,
                    "participants",
                    _(
                        "A different count (%(count)s) is already recorded for this date.",
                        count=existing.participants,
                    ),
                )
            )
        return
    result.rows.append(
        {
            "area_id": area.id,
            "as_of": day.isoformat(),
            "participants": participants,
            "source": source,
        }
    )


# Keeping the preview between the two steps ----------------------------------------------------


def _store() -> Path:
    path = Path(current_app.instance_path) / "imports"
    path.mkdir(parents=True, exist_ok=True)
    return path


def save(user: User, result: Preview) -> str:
    token = hashlib.sha256(f"{user.id}:{result.digest}:{result.kind}".encode()).hexdigest()[:32]
    (_store() / f"{token}.json").write_text(json.dumps({"user": user.id, **asdict(result)}))
    return token


def load(user: User, token: str) -> Preview | None:
    if not token.isalnum():
        return None
    path = _store() / f"{token}.json"
    if not path.exists():
        return None
    data = json.loads(path.read_text())
    if data.pop("user") != user.id:
        return None
    data["duplicates"] = [Problem(**p) for p in data["duplicates"]]
    data["problems"] = [Problem(**p) for p in data["problems"]]
    return Preview(**data)


def commit(user: User, token: str) -> int:
    """Write every previewed row in one transaction; re-checks duplicates so nothing doubles."""
    result = load(user, token)
    if result is None:
        raise ImportError_("expired")
    if not result.can_commit:
        raise ImportError_("has_problems")
    written = 0
    for row in result.rows:
        if result.kind == "households":
            if db.session.scalar(
                select(Household.id).where(
                    Household.area_id == row["area_id"],
                    Household.search_text == search_text(row["head_name"], row["address"]),
                )
            ):
                continue
            db.session.add(Household(status="prospect", **row))
        else:
            day = date.fromisoformat(row["as_of"])
            if db.session.scalar(
                select(ParticipantCount.id).where(
                    ParticipantCount.area_id == row["area_id"], ParticipantCount.as_of == day
                )
            ):
                continue
            db.session.add(
                ParticipantCount(
                    area_id=row["area_id"],
                    as_of=day,
                    participants=row["participants"],
                    source=row["source"],
                )
            )
        written += 1
    audit.record(
        user,
        "import",
        result.kind,
        None,
        None,
        {
            "file": result.filename,
            "sha256": result.digest,
            "rows": written,
            "duplicates": len(result.duplicates),
        },
    )
    db.session.commit()
    (_store() / f"{token}.json").unlink(missing_ok=True)
    return written
