"""What the reconciliation pages read: the outcome per status, the rows of one status a page
at a time, the enrollments only in the app, and each officer's reported against confirmed.
Counted in SQL; a supervisor sees the rows of their office and the enrollments of their team."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from sqlalchemy import and_, func, or_, select

from ...access import sees_everyone, visible_officer_ids
from ...collation import in_order
from ...extensions import db
from ...models import Enrollment, InsurerRecord, Office, User
from ...progress.tree import area_tree
from ...text import like_pattern

PER_PAGE = 50
STATUSES = ("mismatched", "only_insurer", "only_app", "confirmed", "dismissed")


@dataclass(frozen=True)
class Scope:
    """Whose books: an office's list (None: every office's) in one scheme, with the officers
    the viewer may see (None: everyone)."""

    office: Office | None
    scheme: str
    officer_ids: frozenset[int] | None

    @property
    def office_id(self) -> int | None:
        return self.office.id if self.office else None


def scope_for(user: User, office: Office | None, scheme: str) -> Scope:
    """A supervisor's books are their own office's; leaders and admins choose any office."""
    if not sees_everyone(user):
        office = user.office
    ids = visible_officer_ids(user)
    return Scope(office, scheme, None if ids is None else frozenset(ids))


def _office_areas(scope: Scope) -> list[int] | None:
    """The areas whose enrollments the office's list should hold: those it covers, what lies
    below them and the units they came from."""
    if scope.office is None:
        return None
    tree = area_tree()
    found: set[int] = set()
    for area in scope.office.areas:
        for unit in tree.lineage(area.id):
            found.update(tree.descendants(unit))
    return sorted(found)


def _records(scope: Scope):
    query = select(InsurerRecord).where(InsurerRecord.scheme == scope.scheme)
    if scope.office is not None:
        query = query.where(InsurerRecord.office_id == scope.office_id)
    if scope.officer_ids is not None:
        mine = select(Enrollment.id).where(Enrollment.officer_id.in_(sorted(scope.officer_ids)))
        query = query.where(
            or_(InsurerRecord.enrollment_id.is_(None), InsurerRecord.enrollment_id.in_(mine))
        )
    return query


def latest_list_day(scope: Scope) -> date | None:
    query = select(func.max(InsurerRecord.listed_on)).where(InsurerRecord.scheme == scope.scheme)
    if scope.office is not None:
        query = query.where(InsurerRecord.office_id == scope.office_id)
    return db.session.scalar(query)


def _only_app(scope: Scope, day: date):
    """Live enrollments of the scheme, made by the list's day in the office's areas, that no
    row of the list holds and nobody dismissed."""
    held = select(InsurerRecord.enrollment_id).where(InsurerRecord.enrollment_id.is_not(None))
    query = select(Enrollment).where(
        Enrollment.scheme == scope.scheme,
        Enrollment.deleted_at.is_(None),
        Enrollment.enrolled_on <= day,
        Enrollment.insurer_status.is_(None),
        Enrollment.id.not_in(held),
    )
    areas = _office_areas(scope)
    if areas is not None:
        query = query.where(Enrollment.area_id.in_(areas))
    if scope.officer_ids is not None:
        query = query.where(Enrollment.officer_id.in_(sorted(scope.officer_ids)))
    return query


def summary(scope: Scope) -> dict[str, int]:
    """{status: count}, only_app included, for the tabs."""
    counts = dict.fromkeys(STATUSES, 0)
    rows = _records(scope).with_only_columns(InsurerRecord.status, func.count())
    counts.update({code: n for code, n in db.session.execute(rows.group_by(InsurerRecord.status))})
    day = latest_list_day(scope)
    if day is not None:
        only_app = _only_app(scope, day).with_only_columns(func.count(Enrollment.id))
        counts["only_app"] = db.session.scalar(only_app) or 0
    return counts


def records_page(scope: Scope, status: str, search: str = "", page: int = 1):
    """A page of the rows of one status (only_app: of enrollments), in Vietnamese order."""
    pattern = like_pattern(search) if search else None
    if status == "only_app":
        day = latest_list_day(scope)
        query = _only_app(scope, day or date.min)
        if pattern:
            query = query.where(Enrollment.name_key.like(pattern, escape="\\"))
        query = query.order_by(in_order(Enrollment.participant_name), Enrollment.id)
    else:
        query = _records(scope).where(InsurerRecord.status == status)
        if pattern:
            query = query.where(InsurerRecord.name_key.like(pattern, escape="\\"))
        query = query.order_by(in_order(InsurerRecord.full_name), InsurerRecord.id)
    return db.paginate(query, page=page, per_page=PER_PAGE, error_out=False)


def by_officer(scope: Scope) -> list[tuple[User, int, int]]:
    """(officer, enrollments reported, of them confirmed) for the office's list, most reported
    first: what an officer's credit would be if it rested on confirmation."""
    day = latest_list_day(scope)
    if day is None:
        return []
    confirmed = func.count(Enrollment.id).filter(Enrollment.insurer_status == "confirmed")
    query = (
        select(Enrollment.officer_id, func.count(Enrollment.id), confirmed)
        .where(
            Enrollment.scheme == scope.scheme,
            Enrollment.deleted_at.is_(None),
            Enrollment.enrolled_on <= day,
        )
        .group_by(Enrollment.officer_id)
    )
    areas = _office_areas(scope)
    if areas is not None:
        query = query.where(Enrollment.area_id.in_(areas))
    if scope.officer_ids is not None:
        query = query.where(Enrollment.officer_id.in_(sorted(scope.officer_ids)))
    counts = {
        officer: (reported, int(ok or 0)) for officer, reported, ok in db.session.execute(query)
    }
    officers = db.session.scalars(select(User).where(User.id.in_(list(counts)))).all()
    rows = [(officer, *counts[officer.id]) for officer in officers]
    return sorted(rows, key=lambda row: (-row[1], row[0].full_name))


def candidates(record: InsurerRecord, scope: Scope, limit: int = 10) -> list[Enrollment]:
    """Enrollments the row might be, for linking by hand: unheld ones of the scheme whose name
    starts like the row's, in the office's areas."""
    first = record.name_key.split(" ")[0] if record.name_key else ""
    query = _only_app(scope, record.listed_on).where(
        or_(
            Enrollment.name_key.like(f"{first}%"),
            and_(Enrollment.birth_date.is_not(None), Enrollment.birth_date == record.birth_date),
        )
    )
    return db.session.scalars(
        query.order_by(in_order(Enrollment.participant_name)).limit(limit)
    ).all()


def unheld_rows(enrollment: Enrollment, scope: Scope, limit: int = 10) -> list[InsurerRecord]:
    """Rows only in the list that might be this enrollment, for linking from its side."""
    first = enrollment.name_key.split(" ")[0] if enrollment.name_key else ""
    query = _records(scope).where(
        InsurerRecord.status == "only_insurer", InsurerRecord.name_key.like(f"{first}%")
    )
    return db.session.scalars(query.order_by(in_order(InsurerRecord.full_name)).limit(limit)).all()
