"""The insurer's per-person list for the demo office, as it would send it: most of the office's
voluntary enrollments exactly as recorded, some typed differently or paid otherwise, some not
there yet, and people the officers never reported. Deterministic, so a browser journey and a
user see the same mix (docs/design.md, "The insurer's books")."""

from __future__ import annotations

import csv
import hashlib
import io
from datetime import date, timedelta

from sqlalchemy import select
from sqlalchemy.orm import selectinload

from ..extensions import db
from ..models import Enrollment, Office
from ..progress.tree import area_tree
from ..services.reconciliation.matching import latest_payments
from ..text import fold
from .data import OFFICE

HEADERS = [
    "Mã số BHXH",
    "Số định danh cá nhân",
    "Họ và tên",
    "Ngày sinh",
    "Mã xã",
    "Loại hình",
    "Từ ngày",
    "Đến ngày",
    "Mức đóng",
    "Số tiền NSNN hỗ trợ",
    "Đại lý thu",
    "Số biên lai",
]
NOT_LISTED, NAME_TYPED_PLAIN, PAID_MORE, NO_CITIZEN_ID = 6, 3, 2, 2  # per hundred
NEWCOMERS = 40  # people in the list the officers never reported


def _roll(token: str) -> int:
    """0–99, fixed for an enrollment: which of the mix it falls in."""
    return int(hashlib.sha256(token.encode()).hexdigest()[:8], 16) % 100


def _number(token: str) -> str:
    return "15" + str(int(hashlib.sha256(f"sin-{token}".encode()).hexdigest()[:12], 16))[-8:]


def _day(value: date | None) -> str:
    return value.strftime("%d/%m/%Y") if value else ""


def rows(today: date) -> list[list[str]]:
    """The list's rows (without the header) for the demo office on `today`."""
    office = db.session.scalar(select(Office).where(Office.code == OFFICE[0]))
    if office is None:
        return []
    tree = area_tree()
    covered = {a for area in office.areas for a in tree.descendants(area.id)}
    covered |= {a for area_id in list(covered) for a in tree.current_successors(area_id)}
    enrollments = db.session.scalars(
        select(Enrollment)
        .options(selectinload(Enrollment.collection_org))
        .where(
            Enrollment.scheme == "voluntary_si",
            Enrollment.deleted_at.is_(None),
            Enrollment.enrolled_on <= today,
            Enrollment.area_id.in_(sorted(covered)),
        )
        .order_by(Enrollment.id)
    ).all()
    payments = latest_payments(list(enrollments))
    found = []
    for enrollment in enrollments:
        roll = _roll(f"{enrollment.officer_id}-{enrollment.client_token}")
        if roll < NOT_LISTED:
            continue
        payment = payments[enrollment.id]
        name, contribution = enrollment.participant_name, payment.monthly_contribution
        if roll < NOT_LISTED + NAME_TYPED_PLAIN:
            name = fold(name).title()  # typed without diacritics at the insurer
        elif roll < NOT_LISTED + NAME_TYPED_PLAIN + PAID_MORE and contribution:
            contribution += 22_000  # the participant raised their basis at the counter
        citizen = enrollment.citizen_id or ""
        if roll >= 100 - NO_CITIZEN_ID:
            citizen = ""
        unit = next(tree.current_successors(enrollment.area_id), enrollment.area_id)
        found.append(
            [
                enrollment.social_insurance_number
                or _number(f"{enrollment.officer_id}-{enrollment.client_token}"),
                citizen,
                name,
                _day(enrollment.birth_date),
                tree.areas[unit].code,
                "BHXH tự nguyện",
                _day(enrollment.enrolled_on),
                _day(payment.paid_through),
                str(contribution or ""),
                str(payment.state_support or ""),
                enrollment.collection_org.name if enrollment.collection_org else "",
                f"BL-{enrollment.id:06d}",
            ]
        )
    today_units = sorted(
        {a for a in covered if tree.areas[a].valid_to is None and tree.areas[a].is_local}
    )
    for index in range(NEWCOMERS if today_units else 0):
        unit = tree.areas[today_units[index % len(today_units)]]
        found.append(
            [
                _number(f"newcomer-{index}"),
                "",
                f"Người Tham Gia Mới {index + 1}",
                _day(date(1970 + index % 30, 1 + index % 12, 1 + index % 28)),
                unit.code,
                "BHXH tự nguyện",
                _day(today - timedelta(days=30 + index)),
                _day(today + timedelta(days=60)),
                "330000",
                "66000",
                "",
                "",
            ]
        )
    return found


def csv_bytes(today: date) -> bytes:
    """The list as the insurer's CSV export (UTF-8 with a byte order mark, for Excel)."""
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(HEADERS)
    writer.writerows(rows(today))
    return ("\ufeff" + buffer.getvalue()).encode("utf-8")
