"""Vietnamese first, English one click away; numbers and dates in the reader's conventions."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from decimal import Decimal
from functools import lru_cache

from babel.numbers import get_decimal_symbol, get_group_symbol
from flask import Flask, has_request_context, session
from flask_babel import format_date, format_datetime, get_locale
from flask_babel import gettext as _
from flask_login import current_user

from . import vocab
from .dates import period_label
from .extensions import babel
from .vocab import LOCALES, ROLES
from .web import link_args, period_choices, scheme_args


def select_locale() -> str:
    if not has_request_context():
        return "en"  # commands and jobs: their output is read in a terminal, with English
    if current_user and current_user.is_authenticated:
        return current_user.locale
    chosen = session.get("locale")
    return chosen if chosen in LOCALES else "vi"


@lru_cache(maxsize=16)
def _separators(locale: str) -> dict[int, str]:
    """Python's "," and "." mapped to the locale's group and decimal symbols (Babel's data)."""
    return str.maketrans({",": get_group_symbol(locale), ".": get_decimal_symbol(locale)})


def _localized(text: str) -> str:
    return text.translate(_separators(str(get_locale())))


# Boards print thousands of figures per page, so these format with Python's C decimal (rounding
# the float's shortest text half to even, as Babel does) and take only the symbols from Babel,
# whose own formatting costs ~30 µs a figure. tests/test_i18n.py holds the two to one output.


def number(value: float | int | None, digits: int = 0) -> str:
    """1.234.567 in Vietnamese, 1,234,567 in English; an em dash for no value."""
    if value is None:
        return "—"
    return _localized(f"{Decimal(str(value)):,.{digits}f}")


def percent(ratio: float | None, digits: int = 1) -> str:
    """68,8 % in Vietnamese; a ratio of None (no target) is not a percentage at all."""
    if ratio is None:
        return "—"
    return _localized(f"{Decimal(str(ratio)) * 100:,.{digits}f}") + " %"


def short_date(value: date | datetime | None) -> str:
    """dd/mm/yyyy in Vietnamese."""
    if value is None:
        return ""
    if isinstance(value, datetime):
        return format_datetime(value, "dd/MM/yyyy HH:mm")
    return format_date(value, "dd/MM/yyyy")


def metric_label(code: str):
    """A metric's label, from its declaration (progress/metrics.py)."""
    from .progress.metrics import metric

    return metric(code).label


def validity(area) -> str:
    """When a unit existed, as people say it: its last day, not the first day after it. Takes
    an area or a board row's extra (a dict with valid_from and valid_to)."""
    if isinstance(area, dict):
        valid_from, valid_to = area.get("valid_from"), area.get("valid_to")
    else:
        valid_from, valid_to = area.valid_from, area.valid_to
    first = short_date(valid_from) if valid_from else None
    last = short_date(valid_to - timedelta(days=1)) if valid_to else None
    if first and last:
        return f"{first} – {last}"
    if first:
        return _("since %(date)s", date=first)
    if last:
        return _("until %(date)s", date=last)
    return ""


def init_app(app: Flask) -> None:
    babel.init_app(app, locale_selector=select_locale)
    app.jinja_env.filters.update(number=number, percent=percent, short_date=short_date)
    app.jinja_env.globals.update(
        get_locale=get_locale,
        LOCALES=LOCALES,
        vocab=vocab,
        role_label=ROLES.get,
        period_choices=period_choices,
        link_args=link_args,
        period_label=period_label,
        validity=validity,
        metric_label=metric_label,
        scheme_args=scheme_args,
    )
