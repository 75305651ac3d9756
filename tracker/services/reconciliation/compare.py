"""Field by field: what the insurer's row says against what the app holds for the enrollment.

A field missing on either side is not a difference (the app often has no date of birth; the
insurer's list may leave the agent blank). The payment fields compare the insurer's with the
enrollment's latest payment, its own or its newest renewal's."""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass
from datetime import date

from ...models import Enrollment, InsurerRecord
from ...progress.tree import AreaTree
from ...text import fold
from ...vocab import RECONCILED_FIELDS

# The fields a supervisor's "correct" copies from the list into the enrollment.
IDENTITY_FIELDS = ("full_name", "birth_date", "citizen_id", "social_insurance_number")
FIELDS = tuple(RECONCILED_FIELDS)


@dataclass(frozen=True)
class Payment:
    """The enrollment's latest payment: what the insurer's row is compared with."""

    paid_through: date | None
    monthly_contribution: int | None
    state_support: int | None


def _name(text: str) -> str:
    return " ".join(unicodedata.normalize("NFC", text).casefold().split())


def _json(value):
    return value.isoformat() if isinstance(value, date) else value


def same_area(tree: AreaTree, one: int, other: int) -> bool:
    """The same unit, or one became the other in a reorganisation (Kim Tân in 2024 is phường
    Lào Cai in the insurer's list of 2026)."""
    return one == other or other in tree.lineage(one) or one in tree.lineage(other)


def app_values(enrollment: Enrollment, payment: Payment) -> dict:
    """The enrollment as the list's fields (but the area, compared by lineage)."""
    return {
        "full_name": enrollment.participant_name,
        "birth_date": enrollment.birth_date,
        "citizen_id": enrollment.citizen_id,
        "social_insurance_number": enrollment.social_insurance_number,
        "paid_through": payment.paid_through,
        "monthly_contribution": payment.monthly_contribution,
        "state_support": payment.state_support,
        "collection_agent": enrollment.collection_org.name if enrollment.collection_org else None,
    }


def differences(
    tree: AreaTree, enrollment: Enrollment, payment: Payment, record: InsurerRecord
) -> dict[str, list]:
    """{field: [the app's value, the insurer's value]} of every field that differs."""
    found: dict[str, list] = {}
    for name, ours in app_values(enrollment, payment).items():
        theirs = getattr(record, name)
        if ours in (None, "") or theirs in (None, ""):
            continue
        if name == "full_name":
            equal = _name(ours) == _name(theirs)
        elif name == "collection_agent":
            equal = fold(ours) == fold(theirs)
        else:
            equal = ours == theirs
        if not equal:
            found[name] = [_json(ours), _json(theirs)]
    if not same_area(tree, enrollment.area_id, record.area_id):
        found["area"] = [tree.areas[enrollment.area_id].name, tree.areas[record.area_id].name]
    return found
