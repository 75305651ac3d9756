"""The office's settings: each has a default, a validation and a label; changes are audited.
Read through the functions below, never by key elsewhere."""

from __future__ import annotations

from dataclasses import dataclass

from flask_babel import lazy_gettext as _l

from ..extensions import db
from ..models import Setting, User
from . import audit


@dataclass(frozen=True)
class Known:
    label: object
    help: object
    default: object
    minimum: int
    maximum: int


KNOWN = {
    "lapse_grace_days": Known(
        _l("Days of grace before a participant lapses"),
        _l(
            "A participant who has not paid again this many days after the paid-through date "
            "counts as lapsed."
        ),
        30,
        0,
        365,
    ),
    # 0 or 1: stored as a number like the others, so one validation serves every setting.
    "credit_confirmed_only": Known(
        _l("Officers' credit rests on the insurer's confirmation"),
        _l(
            "When on, an officer's new participants are only the enrollments the insurer's "
            "per-person list confirmed (Reconciliation); the boards still show what was "
            "reported beside them."
        ),
        0,
        0,
        1,
    ),
}


class SettingError(ValueError):
    def __init__(self, key: str, code: str):
        super().__init__(code)
        self.field = key
        self.code = code


def value(key: str):
    row = db.session.get(Setting, key)
    return KNOWN[key].default if row is None else row.value


def lapse_grace_days() -> int:
    return int(value("lapse_grace_days"))


def credit_rests_on_confirmed() -> bool:
    return bool(value("credit_confirmed_only"))


def change(actor: User, key: str, new) -> None:
    """Set one setting, audited; the caller commits with the rest of the user's action."""
    known = KNOWN[key]
    if (
        isinstance(new, bool)
        or not isinstance(new, int)
        or not (known.minimum <= new <= known.maximum)
    ):
        raise SettingError(key, "out_of_range")
    old = value(key)
    if old == new:
        return
    row = db.session.get(Setting, key) or Setting(key=key)
    row.value, row.changed_by_id = new, actor.id
    db.session.add(row)
    audit.record(actor, "update", "setting", None, {key: old}, {key: new})
