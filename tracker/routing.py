"""URL converters: `<int:id>` in every route means an id the database can hold.

Werkzeug's own int converter matches `\\d+`, which takes Arabic-Indic digits and numbers of any
length: `/contacts/99999999999999999999/edit` reached the database and failed there (PostgreSQL:
integer out of range; SQLite: OverflowError). Ours matches ASCII digits and answers 404 beyond
the database's integer range, before any view runs."""

from __future__ import annotations

from urllib.parse import urlsplit

from flask import Flask
from werkzeug.routing import IntegerConverter

from .parsing import DB_INT_MAX


class RecordIdConverter(IntegerConverter):
    regex = r"[0-9]{1,10}"

    def __init__(self, map, fixed_digits=0, min=None, max=None, signed=False):  # noqa: A002
        super().__init__(map, fixed_digits, 0 if min is None else min, max or DB_INT_MAX, signed)


def init_app(app: Flask) -> None:
    """Before any blueprint is registered: rules bind their converters as they are added."""
    app.url_map.converters["int"] = RecordIdConverter


def safe_next(target: str | None) -> str | None:
    """Only a path on this site: never another host, scheme, or a `//host` trick."""
    if not target:
        return None
    parts = urlsplit(target)
    if parts.scheme or parts.netloc or not target.startswith("/") or target.startswith("//"):
        return None
    if "\\" in target:
        return None
    return target
