"""Who works with whom: supervisors and their teams, read by the team and target pages."""

from __future__ import annotations

from sqlalchemy import select

from ..access import is_supervisor_clause, leads_team, sees_everyone
from ..collation import in_order
from ..extensions import db
from ..models import Area, Assignment, Office, User


def supervisors() -> list[User]:
    return list(
        db.session.scalars(
            select(User).where(is_supervisor_clause()).order_by(in_order(User.full_name))
        )
    )


def offices() -> list[Office]:
    """The insurer's active offices, by name: the scopes of leadership boards."""
    return list(
        db.session.scalars(select(Office).where(Office.active).order_by(in_order(Office.name)))
    )


def team_members(supervisor: User) -> dict[int, str]:
    """Active officers of a supervisor's team: {id: full name}, by name."""
    rows = db.session.execute(
        select(User.id, User.full_name)
        .where(User.supervisor_id == supervisor.id, User.active)
        .order_by(in_order(User.full_name))
    )
    return dict(rows.all())


def team_leader_for(viewer: User, requested_id: int | None) -> User | None:
    """Whose team `viewer` looks at: their own, or any supervisor's for leaders and admins.
    Raises PermissionError for another supervisor's team; None means no such team."""
    if leads_team(viewer) and (requested_id is None or requested_id == viewer.id):
        return viewer
    if not sees_everyone(viewer):
        raise PermissionError
    if requested_id is not None:
        chosen = db.session.get(User, requested_id)
        return chosen if chosen is not None and leads_team(chosen) else None
    return next(iter(supervisors()), None)


def primary_assignments(officer_ids) -> list[Assignment]:
    return list(
        db.session.scalars(
            select(Assignment).where(
                Assignment.officer_id.in_(list(officer_ids)), Assignment.is_primary
            )
        )
    )


def areas_by_id(area_ids) -> dict[int, Area]:
    return {
        area.id: area
        for area in db.session.scalars(select(Area).where(Area.id.in_(list(area_ids))))
    }
