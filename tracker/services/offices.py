"""The insurer's offices: audited writes of an office and the areas it covers."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date

from flask_babel import gettext as _
from sqlalchemy import select

from ..dates import local_today
from ..extensions import db
from ..models import Area, Office, User
from . import audit
from .areas import existing_on


@dataclass(frozen=True)
class OfficeValues:
    code: str
    name: str
    active: bool
    keep: list[int]  # ids of covered areas to keep
    add_codes: str  # codes to add, separated by spaces, commas or semicolons
    add_on: date | None  # the day the codes are read on (today by default)


class OfficeError(ValueError):
    def __init__(self, field_name: str, code: str, detail: str = ""):
        super().__init__(code)
        self.field = field_name
        self.code = code
        self.detail = detail


def message(error: OfficeError) -> str:
    return {
        "taken": _("Another office already has this code."),
        "unknown_codes": _("No unit bears these codes on that day: %(codes)s.", codes=error.detail),
    }[error.code]


def save_office(actor: User, office: Office | None, values: OfficeValues) -> Office:
    target = office or Office()
    clash = db.session.scalar(select(Office).where(Office.code == values.code))
    if clash is not None and clash is not target:
        raise OfficeError("code", "taken")
    day = values.add_on or local_today()
    codes = [code for code in re.split(r"[\s,;]+", values.add_codes) if code]
    added = {
        area.code: area
        for area in db.session.scalars(select(Area).where(Area.code.in_(codes), *existing_on(day)))
    }
    unknown = [code for code in codes if code not in added]
    if unknown:
        raise OfficeError("add_codes", "unknown_codes", ", ".join(unknown))

    def state(o: Office) -> dict:
        return {
            "code": o.code,
            "name": o.name,
            "active": o.active,
            "area_ids": sorted(a.id for a in o.areas),
        }

    before = state(target) if office else None
    target.code, target.name, target.active = values.code, values.name, values.active
    kept = [a for a in target.areas if a.id in set(values.keep)]
    target.areas = kept + [a for a in added.values() if a not in kept]
    db.session.add(target)
    db.session.flush()
    after = state(target)
    if after != before:
        audit.record(actor, "update" if office else "create", "office", target.id, before, after)
    db.session.commit()
    return target
