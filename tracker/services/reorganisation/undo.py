"""Undoing a reorganisation while nothing was logged against the units it began: its `moves`
are played backwards, its successions and units deleted, the units it ended restored. The row
itself stays, marked undone, so the audit trail reads whole."""

from __future__ import annotations

from datetime import UTC, datetime

from sqlalchemy import delete, func, insert, select, update

from ...extensions import db
from ...models import (
    Area,
    AreaSuccession,
    Assignment,
    Contact,
    Enrollment,
    Household,
    OutreachSession,
    ParticipantCount,
    Reorganisation,
    Target,
    User,
    collection_org_areas,
    office_areas,
)
from .. import audit
from .apply import ReorganisationError


def why_not_undoable(reorganisation: Reorganisation) -> str | None:
    """None when it can be undone, else the reason's code."""
    if reorganisation.undone_at is not None:
        return "already_undone"
    moves = reorganisation.moves or {}
    created = moves.get("created", [])
    if not created:
        return None
    later = db.session.scalar(
        select(func.count())
        .select_from(AreaSuccession)
        .where(AreaSuccession.predecessor_id.in_(created))
    )
    if later:
        return "used_by_later"
    for model in (Contact, Enrollment, OutreachSession, ParticipantCount):
        if _count(select(func.count()).select_from(model).where(model.area_id.in_(created))):
            return "work_logged"
    moved_in = {i for group in moves.get("households", []) for i in group["ids"]}
    households = db.session.scalars(select(Household.id).where(Household.area_id.in_(created)))
    if any(household_id not in moved_in for household_id in households):
        return "work_logged"
    own_targets = set(moves.get("targets_created", []))
    targets = db.session.scalars(select(Target.id).where(Target.area_id.in_(created)))
    if any(target_id not in own_targets for target_id in targets):
        return "work_logged"
    children = (
        select(func.count())
        .select_from(Area)
        .where(Area.parent_id.in_(created), Area.id.not_in(created))
    )
    if _count(children):
        return "changed_since"
    return None


def _count(query) -> int:
    return db.session.scalar(query) or 0


def undo(actor: User, reorganisation: Reorganisation) -> None:
    """One transaction: everything back as it was, or nothing."""
    reason = why_not_undoable(reorganisation)
    if reason is not None:
        raise ReorganisationError(reason)
    try:
        _undo(reorganisation)
        reorganisation.undone_at = datetime.now(UTC)
        reorganisation.undone_by_id = actor.id
        audit.record(
            actor,
            "undo_reorganisation",
            "reorganisation",
            reorganisation.id,
            {"effective_on": reorganisation.effective_on.isoformat()},
            None,
        )
        db.session.commit()
    except Exception:
        db.session.rollback()
        raise


def _undo(reorganisation: Reorganisation) -> None:
    moves = reorganisation.moves or {}
    created = moves.get("created", [])
    targets_created = moves.get("targets_created", [])
    if targets_created:
        db.session.execute(delete(Target).where(Target.id.in_(targets_created)))
    closed = moves.get("targets_closed", [])
    if closed:
        db.session.execute(update(Target).where(Target.id.in_(closed)).values(replaced_at=None))
    for office_id, area_id in moves.get("office_areas_added", []):
        db.session.execute(
            delete(office_areas).where(
                office_areas.c.office_id == office_id, office_areas.c.area_id == area_id
            )
        )
    for org_id, area_id in moves.get("org_areas_added", []):
        db.session.execute(
            delete(collection_org_areas).where(
                collection_org_areas.c.collection_org_id == org_id,
                collection_org_areas.c.area_id == area_id,
            )
        )
    _undo_assignments(moves)
    for group in moves.get("households", []):
        db.session.execute(
            update(Household).where(Household.id.in_(group["ids"])).values(area_id=group["from"])
        )
    db.session.execute(
        delete(AreaSuccession).where(AreaSuccession.reorganisation_id == reorganisation.id)
    )
    db.session.expire_all()
    for area in sorted(
        db.session.scalars(select(Area).where(Area.id.in_(created))),
        key=lambda a: (a.parent_id in created, a.id),
        reverse=True,
    ):
        db.session.delete(area)
        db.session.flush()
    ended = moves.get("ended", [])
    if ended:
        db.session.execute(update(Area).where(Area.id.in_(ended)).values(valid_to=None))
    db.session.expire_all()


def _undo_assignments(moves) -> None:
    added = moves.get("assignments_added", [])
    if added:
        db.session.execute(delete(Assignment).where(Assignment.id.in_(added)))
    for primary_id in moves.get("primary_set", []):
        db.session.execute(
            update(Assignment).where(Assignment.id == primary_id).values(is_primary=False)
        )
    for move in moves.get("assignments_moved", []):
        db.session.execute(
            update(Assignment).where(Assignment.id == move["id"]).values(area_id=move["from"])
        )
    for dropped in moves.get("assignments_dropped", []):
        db.session.execute(insert(Assignment).values(**dropped))
