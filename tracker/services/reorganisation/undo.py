"""Undoing a reorganisation while nothing was logged against its successors: its `moves`
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
    Renewal,
    Reorganisation,
    Target,
    User,
    collection_org_areas,
    office_areas,
)
from .. import audit
from .apply import ReorganisationError


def why_not_undoable(reorganisation: Reorganisation) -> str | None:
    """None when it can be undone, else the reason's code. Work logged in a unit the
    reorganisation began, or in one that took others in and went on (a merge into a unit that
    goes on begins nothing) on or after the date, was done in what the reorganisation made:
    undoing would leave it against households and areas that moved back."""
    if reorganisation.undone_at is not None:
        return "already_undone"
    moves = reorganisation.moves or {}
    created = moves.get("created", [])
    successors = set(
        db.session.scalars(
            select(AreaSuccession.successor_id).where(
                AreaSuccession.reorganisation_id == reorganisation.id
            )
        )
    )
    went_on = sorted(successors - set(created))
    if not created and not went_on:
        return None
    later = db.session.scalar(
        select(func.count())
        .select_from(AreaSuccession)
        .where(AreaSuccession.predecessor_id.in_([*created, *went_on]))
    )
    if later:
        return "used_by_later"
    if _work_in_created(moves, created) or _work_since(reorganisation, went_on):
        return "work_logged"
    children = (
        select(func.count())
        .select_from(Area)
        .where(Area.parent_id.in_(created), Area.id.not_in(created))
    )
    if _count(children):
        return "changed_since"
    return None


# Records made in an area, each with the day it happened on.
DATED_RECORDS = (
    (Contact, Contact.contacted_on),
    (Enrollment, Enrollment.enrolled_on),
    (OutreachSession, OutreachSession.held_on),
    (ParticipantCount, ParticipantCount.as_of),
)


def _work_in_created(moves: dict, created: list[int]) -> bool:
    """Anything in the units it began that it did not put there itself: every record in them
    is work, and undo would delete the units under it."""
    if not created:
        return False
    for model, _day in DATED_RECORDS:
        if _count(select(func.count()).select_from(model).where(model.area_id.in_(created))):
            return True
    moved_in = {i for group in moves.get("households", []) for i in group["ids"]}
    households = db.session.scalars(select(Household.id).where(Household.area_id.in_(created)))
    if any(household_id not in moved_in for household_id in households):
        return True
    own_targets = set(moves.get("targets_created", []))
    targets = db.session.scalars(select(Target.id).where(Target.area_id.in_(created)))
    return any(target_id not in own_targets for target_id in targets)


def _work_since(reorganisation: Reorganisation, went_on: list[int]) -> bool:
    """Records dated on or after the effective date in the units that went on, payments on
    their enrollments since, and targets set for them after it was applied."""
    if not went_on:
        return False
    day = reorganisation.effective_on
    for model, day_column in DATED_RECORDS:
        query = select(func.count()).select_from(model)
        if _count(query.where(model.area_id.in_(went_on), day_column >= day)):
            return True
    renewals = (
        select(func.count())
        .select_from(Renewal)
        .join(Enrollment, Enrollment.id == Renewal.enrollment_id)
        .where(Enrollment.area_id.in_(went_on), Renewal.renewed_on >= day)
    )
    if _count(renewals):
        return True
    targets = (
        select(func.count())
        .select_from(Target)
        .where(Target.area_id.in_(went_on), Target.set_at >= reorganisation.applied_at)
    )
    own = (reorganisation.moves or {}).get("targets_created", [])
    if own:
        targets = targets.where(Target.id.not_in(own))
    return bool(_count(targets))


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
