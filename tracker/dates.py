"""The office's calendar, for services, jobs and views alike: today where the office is, and
how a period reads. (It lived in web.py, the request helpers, which services had to import.)"""

from __future__ import annotations

from datetime import date, datetime

from flask_babel import get_timezone
from flask_babel import gettext as _

from .periods import Period


def local_today() -> date:
    """Today in the office's time zone (Asia/Ho_Chi_Minh), not the server's."""
    return datetime.now(get_timezone()).date()


def period_label(period: Period) -> str:
    """03/2024, Q1/2024, 2024, or 05/03/2024–14/03/2024."""
    kind = period.kind
    if kind == "year":
        return str(period.start.year)
    if kind == "quarter":
        return _(
            "Q%(number)d/%(year)d", number=(period.start.month - 1) // 3 + 1, year=period.start.year
        )
    if kind == "month":
        return period.start.strftime("%m/%Y")
    return f"{period.start:%d/%m/%Y}–{period.end:%d/%m/%Y}"
