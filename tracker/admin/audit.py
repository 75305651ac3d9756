from datetime import date

from flask import render_template, request
from sqlalchemy import select
from sqlalchemy.orm import joinedload

from ..access import requires
from ..collation import in_order
from ..extensions import db
from ..models import AuditEvent, User
from ..web import date_arg, int_arg, page_arg
from . import bp

PER_PAGE = 50


@bp.route("/audit")
@requires("view_audit")
def audit():
    """Who changed what, when: targets, users, deletions, merges, imports."""
    query = select(AuditEvent).options(joinedload(AuditEvent.actor))
    actor = int_arg("actor")
    action = request.args.get("action", "")
    entity = request.args.get("entity", "")
    start, end = date_arg("from"), date_arg("to")
    if actor is not None:
        query = query.where(AuditEvent.actor_id == actor)
    if action:
        query = query.where(AuditEvent.action == action[:40])
    if entity:
        query = query.where(AuditEvent.entity == entity[:40])
    if start:
        query = query.where(AuditEvent.at >= start)
    if end:
        query = query.where(AuditEvent.at < date.fromordinal(end.toordinal() + 1))
    page = db.paginate(
        query.order_by(AuditEvent.at.desc(), AuditEvent.id.desc()),
        page=page_arg(),
        per_page=PER_PAGE,
        error_out=False,
    )
    actions = db.session.scalars(
        select(AuditEvent.action).distinct().order_by(AuditEvent.action)
    ).all()
    entities = db.session.scalars(
        select(AuditEvent.entity).distinct().order_by(AuditEvent.entity)
    ).all()
    actors = db.session.scalars(
        select(User)
        .where(User.id.in_(select(AuditEvent.actor_id)))
        .order_by(in_order(User.full_name))
    ).all()
    return render_template(
        "admin/audit.html",
        page=page,
        actions=actions,
        entities=entities,
        actors=actors,
        filters=request.args,
    )
