"""Vietnamese first, English one click away; numbers and dates in the reader's conventions."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from functools import lru_cache

from babel.numbers import get_decimal_symbol, get_group_symbol
from flask import Flask, session
from flask_babel import format_date, format_datetime, get_locale
from flask_login import current_user

from . import vocab
from .extensions import babel
from .vocab import LOCALES, ROLES
from .web import link_args, period_choices, period_label


def select_locale() -> str:
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
    )
