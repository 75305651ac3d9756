import json
from pathlib import Path

from flask import current_app, jsonify, render_template, send_file, url_for
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy import text

from .. import assets, data_versions, health
from ..access import carries_personal_targets, public, requires, signed_in
from ..dates import local_today
from ..extensions import db
from ..fresh import Fresh
from ..services import overview, today
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
        # Today reads only the officer's own records (and what every board reads): a 304
        # until they log something, or something global changes.
        fresh = Fresh("today", (current_user.id,), [data_versions.officer(current_user.id)])
        if response := fresh.not_modified():
            return response
        page = render_template(
            "field/today.html", today=today.for_officer(current_user, local_today())
        )
        return fresh.conditional(page)
    return render_template("main/home.html", overview=overview.for_user(current_user))


STATIC = Path(__file__).resolve().parents[2] / "static"


# What the service worker saves at install: the shell every officer page needs, by the
# fingerprinted URLs the pages of this build ask for.
SHELL_FILES = (
    "vendor/bootstrap/bootstrap.min.css",
    "vendor/bootstrap/bootstrap.bundle.min.js",
    "css/app.css",
    "js/app.js",
    "js/fieldwork.js",
    "js/offline.js",
    "img/icon.svg",
    "img/icon-192.png",
)


@bp.route("/sw.js")
@public
def service_worker():
    """The service worker, from the root so its scope covers the whole app, with the static
    build's id and URLs written in: a new build is a new worker with new caches."""
    build = assets.current()
    files = [build.url(name) for name in SHELL_FILES] + [url_for("main.manifest")]
    head = f"const BUILD = {json.dumps(build.id)};\nconst STATIC_FILES = {json.dumps(files)};\n"
    worker = (build.source / "js" / "sw.js").read_text(encoding="utf-8")
    body = worker.replace('"use strict";\n', '"use strict";\n' + head, 1)
    response = current_app.response_class(body, mimetype="text/javascript")
    response.headers["Cache-Control"] = "no-cache"
    return response


@bp.route("/offline")
@requires("log_fieldwork")
def offline():
    """What the service worker shows for a page never saved on the phone: it says so, and
    lists the pages that are saved (offline.js checks which)."""
    saved = [
        (url_for("main.home"), _("Today")),
        (url_for("field.new_contact"), _("Log contact")),
        (url_for("field.new_enrollment"), _("Record enrollment")),
    ]
    return render_template("main/offline.html", saved=saved)


@bp.route("/manifest.webmanifest")
@public
def manifest():
    return send_file(
        STATIC / "manifest.webmanifest", mimetype="application/manifest+json", max_age=3600
    )
