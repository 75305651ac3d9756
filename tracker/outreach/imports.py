"""The Imports pages: upload and preview, then the commit runs as a job whose progress the user
watches (services/import_jobs.py)."""

from flask import Response, abort, flash, jsonify, redirect, render_template, url_for
from flask_login import current_user
from sqlalchemy import select

from ..access import requires
from ..errors import RuleBroken, on_form
from ..extensions import db
from ..models import ImportJob
from ..services import import_jobs
from ..services import imports as import_service
from . import bp
from .forms import ImportForm

RECENT = 10


def _recent_jobs() -> list[ImportJob]:
    return db.session.scalars(
        select(ImportJob)
        .where(ImportJob.user_id == current_user.id, ImportJob.status != "previewed")
        .order_by(ImportJob.id.desc())
        .limit(RECENT)
    ).all()


@bp.route("/imports", methods=["GET", "POST"])
@requires("import_data")
def imports():
    form = ImportForm()
    if form.validate_on_submit():
        upload = form.file.data
        try:
            result = import_service.preview(
                current_user, form.kind.data, upload.read(), upload.filename or ""
            )
        except RuleBroken as error:
            on_form(form, error)
        else:
            job = import_jobs.save(current_user, result)
            return render_template("outreach/import_preview.html", result=result, job=job)
    return render_template(
        "outreach/imports.html", form=form, jobs=_recent_jobs()
    ), 422 if form.errors else 200


def _job(job_id: int) -> ImportJob:
    job = import_jobs.find(current_user, job_id)
    if job is None:
        abort(403)  # the same answer for another user's import and one that never was
    return job


@bp.route("/imports/<int:job_id>/commit", methods=["POST"])
@requires("import_data")
def commit_import(job_id: int):
    _job(job_id)
    try:
        job = import_jobs.start(current_user, job_id)
    except RuleBroken as error:
        flash(error.text(), "danger")
        return redirect(url_for("outreach.imports"))
    return redirect(url_for("outreach.import_job", job_id=job.id))


@bp.route("/imports/<int:job_id>")
@requires("import_data")
def import_job(job_id: int):
    job = _job(job_id)
    return render_template(
        "outreach/import_job.html",
        job=job,
        progress=import_jobs.progress(job),
        error=import_jobs.failure_text(job.error) if job.error else None,
    )


@bp.route("/imports/<int:job_id>.json")
@requires("import_data")
def import_job_progress(job_id: int):
    return jsonify(import_jobs.progress(_job(job_id)))


@bp.route("/imports/template/<any(households, counts):kind>.csv")
@requires("import_data")
def import_template(kind: str):
    if kind not in import_service.KINDS:
        abort(404)
    return Response(
        import_service.template_csv(kind),
        mimetype="text/csv",
        headers={"Content-Disposition": f'attachment; filename="{kind}-template.csv"'},
    )
