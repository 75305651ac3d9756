"""Vietnamese first, English one click away; numbers and dates in the reader's conventions."""

from __future__ import annotations

from datetime import date, datetime

from flask import Flask, session
from flask_babel import format_date, format_datetime, format_decimal, format_percent, get_locale
from flask_login import current_user

from . import vocab
from .extensions import babel
from .vocab import LOCALES, ROLES
from .web import period_choices, period_label


def select_locale() -> str:
    if current_user and current_user.is_authenticated:
        return current_user.locale
    chosen = session.get("locale")
    return chosen if chosen in LOCALES else "vi"


def number(value: float | int | None, digits: int = 0) -> str:
    """1.234.567 in Vietnamese, 1,234,567 in English; an em dash for no value."""
    if value is None:
        return "—"
    pattern = "#,##0" + ("." + "0" * digits if digits else "")
    return format_decimal(value, format=pattern)


def percent(ratio: float | None, digits: int = 1) -> str:
    """68,8 % in Vietnamese; a ratio of None (no target) is not a percentage at all."""
    if ratio is None:
        return "—"
    return format_percent(ratio, format="#,##0." + "0" * digits + " %" if digits else "#,##0 %")


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
        period_label=period_label,
    )
