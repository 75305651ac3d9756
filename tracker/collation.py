"""Vietnamese order for people and places, from ICU's collation for Vietnamese (PyICU): a before
ă before â, d before đ, tones after letters, so "Bắc Cường" comes before "Bình Minh" and
"Đồng Tuyển" after "Duyên Hải". Python sorts with `sort_key`; SQL orders with `in_order`, a
collation named `vi` that SQLite gets from this module on every connection and PostgreSQL from
ICU (migration 0011)."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from functools import lru_cache
from typing import TypeVar

import icu
from sqlalchemy import collate

NAME = "vi"
T = TypeVar("T")

_COLLATOR = icu.Collator.createInstance(icu.Locale("vi_VN"))


@lru_cache(maxsize=65_536)
def sort_key(text: str | None) -> bytes:
    """The bytes that order `text` as Vietnamese does (cached: boards sort the same names)."""
    return _COLLATOR.getSortKey(text or "")


def compare(left: str | None, right: str | None) -> int:
    """-1, 0 or 1, as SQLite asks of a collation."""
    return _COLLATOR.compare(left or "", right or "")


def by_name(items: Iterable[T], name: Callable[[T], str]) -> list[T]:
    return sorted(items, key=lambda item: sort_key(name(item)))


def in_order(column):
    """A column to ORDER BY in Vietnamese order, in either database."""
    return collate(column, NAME)


def register_sqlite(dbapi_connection) -> None:
    dbapi_connection.create_collation(NAME, compare)
