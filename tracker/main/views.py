from pathlib import Path

from flask import jsonify, render_template, send_file
from flask_login import current_user
from sqlalchemy import text

from .. import health
from ..access import carries_personal_targets, public, signed_in
from ..extensions import db
from ..services import overview, today
from ..web import local_today
from . import bp


@bp.route("/healthz")
@public
def healthz():
    """200 when the database answers; load balancers and monitors poll this."""
    try:
        db.session.execute(text("SELECT 1"))
    except Exception:  # noqa: BLE001 - any database failure means "not healthy"
        db.session.rollback()
        return jsonify(status="error", database="unreachable"), 503
    return jsonify(status="ok")


@bp.route("/readyz")
@public
def readyz():
    """200 when the database takes a write and instance/ takes a file; 503 otherwise (disk
    full, read-only). Point the load balancer's readiness check here."""
    report = health.readiness()
    ready = all(value == "ok" for value in report.values())
    return jsonify(status="ready" if ready else "error", **report), 200 if ready else 503


@bp.route("/")
@signed_in
def home():
    """Officers land on Today; everyone else on their role's overview."""
    if carries_personal_targets(current_user):
        return render_template(
            "field/today.html", today=today.for_officer(current_user, local_today())
        )
    return render_template("main/home.html", overview=overview.for_user(current_user))


STATIC = Path(__file__).resolve().parents[2] / "static"


@bp.route("/sw.js")
@public
def service_worker():
    """The service worker, served from the root so its scope covers the whole app."""
    response = send_file(STATIC / "js" / "sw.js", mimetype="text/javascript", max_age=0)
    response.headers["Cache-Control"] = "no-cache"
    return response


@bp.route("/manifest.webmanifest")
@public
def manifest():
    return send_file(
        STATIC / "manifest.webmanifest", mimetype="application/manifest+json", max_age=3600
    )
