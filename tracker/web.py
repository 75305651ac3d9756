"""Small helpers views share for reading requests: the period selector, arguments, pages."""

from __future__ import annotations

from datetime import date

from flask import abort, request
from flask_babel import gettext as _
from flask_sqlalchemy.pagination import Pagination
from sqlalchemy import func, select

from . import parsing, periods
from .extensions import db
from .periods import Period, PeriodError
from .progress.metrics import DEFAULT_SCHEME
from .vocab import ENROLLMENT_SCHEMES


def period_from_request(default: Period) -> Period:
    """`?period=2024-Q1` or `?from=…&to=…`; a malformed period is a 400, not a guess."""
    text = request.args.get("period")
    start, end = request.args.get("from"), request.args.get("to")
    if not (text or start or end):
        return default
    try:
        return periods.parse(text, start, end)
    except PeriodError:
        abort(
            400,
            description=_(
                "This is not a period: use 2024, 2024-Q1, 2024-03, or from and to dates "
                "(YYYY-MM-DD, %(first)d to %(last)d, at most %(years)d years apart).",
                first=periods.MIN_YEAR,
                last=periods.MAX_YEAR,
                years=periods.MAX_CUSTOM_YEARS,
            ),
        )


def scheme_arg() -> str:
    """?scheme=voluntary_si (the default) or household_hi: no figure mixes the two."""
    scheme = request.args.get("scheme", DEFAULT_SCHEME)
    if scheme not in ENROLLMENT_SCHEMES:
        abort(400, description=_("Unknown scheme."))
    return scheme


def scheme_args(scheme: str | None) -> dict[str, str]:
    """The query argument that keeps a page's scheme in its links to other pages: none for the
    default, so the voluntary pages keep the addresses they always had."""
    return {"scheme": scheme} if scheme in ENROLLMENT_SCHEMES and scheme != DEFAULT_SCHEME else {}


def int_arg(name: str) -> int | None:
    """`?name=<id>`: ASCII digits within the database's integer range, else None."""
    return parsing.record_id(request.args.get(name, ""))


def choice_arg(name: str, allowed, default=None):
    """`?name=` when it is one of `allowed` (a list filter's choices), else `default`: a value
    nobody offered filters nothing rather than failing."""
    value = request.args.get(name, "")
    return value if value in allowed else default


def page_arg() -> int:
    """`?page=` for paginated lists: a bounded page number, 1 when absent or malformed (an
    OFFSET of twenty digits is an error in both databases)."""
    return parsing.whole_number(request.args.get("page", ""), 1, 1_000_000) or 1


def link_args(*taken: str) -> dict[str, str]:
    """This request's query arguments, to build a link to the same list (another page, an
    export): without the names the link sets itself, and without url_for's own `_external`,
    `_scheme`, `_anchor` and `_method`, which a visitor must not steer (`?_scheme=x` was a 500)."""
    return {
        key: value
        for key, value in request.args.items()
        if not key.startswith("_") and key not in taken
    }


def period_choices(today: date) -> list[tuple[str, list[Period]]]:
    """What the period selector offers: recent months, quarters and years, newest first."""
    months, cursor = [], periods.current_month(today)
    for _month in range(12):
        months.append(cursor)
        cursor = cursor.previous()
    quarter_now = periods.quarter(today.year, (today.month - 1) // 3 + 1)
    quarters = [quarter_now]
    for _quarter in range(5):
        quarters.append(quarters[-1].previous())
    years = [periods.year(today.year - offset) for offset in range(4)]
    return [("month", months), ("quarter", quarters), ("year", years)]


def date_arg(name: str) -> date | None:
    """`?name=YYYY-MM-DD`, or None when absent; a malformed date is a 400."""
    value = request.args.get(name, "")
    if not value:
        return None
    day = parsing.day(value)
    if day is None:
        abort(400, description=_("A date as YYYY-MM-DD."))
    return day


def date_arg_or_none(name: str) -> tuple[date | None, bool]:
    """(`?name=YYYY-MM-DD` or None when absent, whether it was malformed): for the API, which
    answers 422 rather than 400. Read like `date_arg`, within the office's years (`?on=0001-01-01`
    was answered as if it were a day the office worked)."""
    value = request.args.get(name, "")
    if not value:
        return None, False
    day = parsing.day(value)
    return day, day is None


class ListPagination(Pagination):
    """Flask-SQLAlchemy's pagination (and templates/_pagination.html) over rows already ranked
    in memory: a national board ranks 20,000 officers but shows them a page at a time.
    Subclassing is how Flask-SQLAlchemy builds its own; the version is pinned."""

    def _query_items(self) -> list:
        start = (self.page - 1) * self.per_page
        return self._query_args["rows"][start : start + self.per_page]

    def _query_count(self) -> int:
        return len(self._query_args["rows"])


def paginate_rows(rows: list, per_page: int) -> ListPagination:
    return ListPagination(
        page=page_arg(), per_page=per_page, max_per_page=per_page, error_out=False, rows=rows
    )


class RowsPagination(Pagination):
    """Flask-SQLAlchemy's pagination over a select of several columns, paged and counted in SQL:
    its own keeps only the first column of each row (duplicate groups are rows of keys)."""

    def _query_items(self) -> list:
        query = self._query_args["select"]
        return db.session.execute(query.limit(self.per_page).offset(self._query_offset)).all()

    def _query_count(self) -> int:
        counted = self._query_args["select"].order_by(None).subquery()
        return db.session.execute(select(func.count()).select_from(counted)).scalar_one()


def paginate_select_rows(query, per_page: int) -> RowsPagination:
    return RowsPagination(
        page=page_arg(), per_page=per_page, max_per_page=per_page, error_out=False, select=query
    )
