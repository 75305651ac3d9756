from datetime import UTC, datetime

from flask import abort, jsonify, request
from flask_babel import gettext as _
from flask_login import current_user

from .. import parsing, periods, progress
from ..access import may_see_officer, signed_in
from ..dates import local_today
from ..errors import json_error
from ..extensions import db
from ..models import Target, User
from ..periods import PeriodError
from ..services import targets as target_service
from ..services.fieldwork import loggable_areas
from ..vocab import ENROLLMENT_SCHEMES
from . import bodies, bp
from .json_fields import json_body
from .schemas import MeOut, ProgressOut, ProgressQuery, TargetIn, TargetOut
from .spec import declare


def _period_arg() -> periods.Period:
    try:
        if request.args.get("period") or request.args.get("from") or request.args.get("to"):
            return periods.parse(
                request.args.get("period"), request.args.get("from"), request.args.get("to")
            )
    except PeriodError:
        abort(
            json_error(
                422,
                _("Some fields are not valid."),
                "invalid",
                {"period": _("Use 2024, 2024-Q1, 2024-03, or from and to dates.")},
            )
        )
    return periods.current_month(local_today())


def scheme_or_error():
    """?scheme= (voluntary_si by default, or household_hi): no figure mixes the two."""
    scheme = request.args.get("scheme", "voluntary_si")
    if scheme not in ENROLLMENT_SCHEMES:
        fields = {"scheme": _("voluntary_si or household_hi.")}
        return None, json_error(422, _("Some fields are not valid."), "invalid", fields)
    return scheme, None


def period_json(period: periods.Period) -> dict:
    return {"start": period.start.isoformat(), "end": period.end.isoformat()}


def _instant(moment: datetime) -> str:
    """RFC 3339 with its offset: SQLite gives stored UTC times back naive, and a time without
    an offset is not the date-time the contract promises."""
    return (moment if moment.tzinfo else moment.replace(tzinfo=UTC)).isoformat()


def target_json(target: Target) -> dict:
    subject_id = target.officer_id or target.area_id or target.collection_org_id
    return {
        "id": target.id,
        "subject": target.subject,
        "subject_id": subject_id,
        "metric": target.metric,
        "scheme": target.scheme,
        "value": target.value,
        "period": period_json(periods.Period(target.period_start, target.period_end)),
        "set_by": target.set_by_id,
        "set_at": _instant(target.set_at),
        "note": target.note,
    }


@bp.route("/me")
@signed_in
@declare(ok=MeOut, tags=["me"])
def me():
    user = current_user
    return jsonify(
        id=user.id,
        username=user.username,
        full_name=user.full_name,
        role=user.role,
        areas=[{"id": a.id, "code": a.code, "name": a.name} for a in loggable_areas(user)],
    )


@bp.route("/progress")
@signed_in
@declare(query=ProgressQuery, ok=ProgressOut, tags=["progress"])
def officer_progress():
    requested = request.args.get("officer", "me")
    officer_id = current_user.id if requested == "me" else parsing.record_id(requested)
    if officer_id is None:
        return json_error(
            422, _("Some fields are not valid."), "invalid", {"officer": _("An officer id, or me.")}
        )
    officer = db.session.get(User, officer_id)
    # An id that does not exist and one the user may not see get the same answer: the API
    # does not tell which officer ids exist.
    if officer is None or not may_see_officer(current_user, officer):
        return json_error(403, _("You are not allowed to do this."), "forbidden")
    period = _period_arg()
    scheme, error = scheme_or_error()
    if error:
        return error
    numbers = progress.officer_progress(officer.id, period, local_today(), scheme)
    return jsonify(
        officer={"id": officer.id, "name": officer.full_name},
        period=period_json(period),
        scheme=scheme,
        metrics={metric: numbers[metric].as_dict() for metric in progress.FLOW_METRICS},
    )


@bp.route("/targets", methods=["PUT"])
@signed_in
@declare(json=TargetIn, ok=TargetOut, errors=(400, 404), tags=["targets"])
def put_target():
    body, errors = bodies.read(TargetIn, json_body())
    if body is not None:
        scheme = body.scheme or "voluntary_si"
        if scheme not in ENROLLMENT_SCHEMES:
            errors["scheme"] = _("voluntary_si or household_hi.")
        try:
            period = periods.parse(body.period)
        except PeriodError:
            errors["period"] = _("Use 2024, 2024-Q1 or 2024-03.")
    if errors:
        return json_error(422, _("Some fields are not valid."), "invalid", errors)
    subject, subject_id, metric, value = body.subject, body.id, body.metric, body.value
    note = body.note or ""
    change = target_service.TargetChange(subject, subject_id, metric, period, value, note, scheme)
    target = target_service.set_target(current_user, change)  # RuleBroken: errors.rule_json
    return jsonify(target_json(target))
