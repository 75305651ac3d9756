"""Reconciliation: import the insurer's list, see what it confirmed, resolve the rest."""

from __future__ import annotations

from flask import Response, abort, flash, jsonify, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from ..access import can, may_see_insurer_record, may_see_officer, requires, sees_everyone
from ..dates import local_today
from ..errors import RuleBroken, on_form
from ..extensions import db
from ..inputs import uploads_up_to
from ..models import Enrollment, ImportJob, InsurerRecord, Office
from ..services import import_jobs, people
from ..services.reconciliation import job as list_job
from ..services.reconciliation import listfile, queries, resolve
from ..services.reconciliation.compare import FIELDS, app_values
from ..services.reconciliation.matching import latest_payments
from ..vocab import RECONCILIATION_STATUSES
from ..web import int_arg, page_arg, scheme_arg
from . import bp
from .forms import DismissEnrollmentForm, ListForm, ResolveForm, linked_id

RESOLVE_MESSAGES = {
    "reason_required": _("Say why, for whoever reads this later."),
    "too_long": _("At most 300 characters."),
    "not_linkable": _("That enrollment is deleted or of another scheme."),
    "already_linked": _("That enrollment is already held by another row of the list."),
    "not_linked": _("This row holds no enrollment."),
    "citizen_id_taken": _("Another enrollment of this scheme already has this citizen ID."),
}


def _office_arg() -> Office | None:
    office_id = int_arg("office")
    return db.session.get(Office, office_id) if office_id and sees_everyone(current_user) else None


def _scope() -> queries.Scope:
    return queries.scope_for(current_user, _office_arg(), scheme_arg())


@bp.route("/reconciliation")
@requires("view_reconciliation")
def reconciliation():
    scope = _scope()
    counts = queries.summary(scope)
    status = request.args.get("status", "")
    if status not in RECONCILIATION_STATUSES:
        status = next((s for s in queries.STATUSES if counts[s]), "mismatched")
    search = request.args.get("q", "")[:80]
    return render_template(
        "books/reconciliation.html",
        scope=scope,
        counts=counts,
        status=status,
        search=search,
        page=queries.records_page(scope, status, search, page_arg()),
        officers=queries.by_officer(scope),
        listed_on=queries.latest_list_day(scope),
        offices=people.offices() if sees_everyone(current_user) else [],
    )


def _record(record_id: int) -> InsurerRecord:
    record = db.session.get(InsurerRecord, record_id)
    if record is None or not may_see_insurer_record(current_user, record):
        abort(403)  # the same answer for another office's row and one that never was
    return record


@bp.route("/reconciliation/records/<int:record_id>", methods=["GET", "POST"])
@requires("view_reconciliation")
def record(record_id: int):
    row = _record(record_id)
    form = ResolveForm()
    if request.method == "POST":
        if not can("reconcile"):
            abort(403)
        if form.validate_on_submit():
            try:
                _resolve(row, form)
            except resolve.ResolveError as error:
                db.session.rollback()
                form.reason.errors.append(RESOLVE_MESSAGES[error.code])
            else:
                flash(_("Saved."), "success")
                return redirect(url_for("books.reconciliation", status=row.status))
    scope = queries.scope_for(current_user, row.office, row.scheme)
    ours = {}
    if row.enrollment is not None:
        payment = latest_payments([row.enrollment])[row.enrollment_id]
        ours = {**app_values(row.enrollment, payment), "area": row.enrollment.area.name}
    theirs = {name: getattr(row, name, None) for name in FIELDS if name != "area"}
    return render_template(
        "books/record.html",
        row=row,
        form=form,
        fields=FIELDS,
        ours=ours,
        theirs={**theirs, "area": row.area.name},
        candidates=queries.candidates(row, scope) if row.enrollment is None else [],
    ), 422 if form.errors else 200


def _resolve(row: InsurerRecord, form: ResolveForm) -> None:
    action, reason = form.action.data, form.reason.data
    if action == "link":
        enrollment = db.session.get(Enrollment, linked_id(form.enrollment.data) or 0)
        if enrollment is None or not may_see_officer(current_user, enrollment.officer):
            raise resolve.ResolveError("enrollment", "not_linkable")
        resolve.link(current_user, row, enrollment, reason)
    elif action in ("correct", "accept", "unlink", "dismiss"):
        getattr(resolve, action)(current_user, row, reason)
    else:
        abort(400)


@bp.route("/reconciliation/enrollments/<int:enrollment_id>", methods=["GET", "POST"])
@requires("view_reconciliation")
def enrollment(enrollment_id: int):
    found = db.session.get(Enrollment, enrollment_id)
    if found is None or not may_see_officer(current_user, found.officer):
        abort(403)
    scope = _scope()
    form = DismissEnrollmentForm()
    if request.method == "POST":
        if not can("reconcile"):
            abort(403)
        if form.validate_on_submit():
            try:
                if form.action.data == "link":
                    row = db.session.get(InsurerRecord, linked_id(form.record.data) or 0)
                    if row is None or not may_see_insurer_record(current_user, row):
                        raise resolve.ResolveError("record", "not_linked")
                    resolve.link(current_user, row, found, form.reason.data)
                elif form.action.data == "dismiss":
                    resolve.dismiss_enrollment(current_user, found, form.reason.data)
                else:
                    abort(400)
            except resolve.ResolveError as error:
                db.session.rollback()
                form.reason.errors.append(RESOLVE_MESSAGES[error.code])
            else:
                flash(_("Saved."), "success")
                return redirect(url_for("books.reconciliation", status="only_app"))
    return render_template(
        "books/enrollment.html",
        enrollment=found,
        form=form,
        rows=queries.unheld_rows(found, scope),
    ), 422 if form.errors else 200


# Importing the list ---------------------------------------------------------------------


def _list_form() -> ListForm:
    form = ListForm(listed_on=local_today())
    if sees_everyone(current_user):
        form.office.choices = [(o.id, o.name) for o in people.offices()]
    else:
        office = current_user.office
        form.office.choices = [(office.id, office.name)] if office else [(None, _("No office"))]
    return form


@bp.route("/reconciliation/import", methods=["GET", "POST"])
@requires("reconcile")
@uploads_up_to(list_job.MAX_BYTES)
def import_list():
    form = _list_form()
    if form.validate_on_submit():
        office = _chosen_office(form)
        upload = form.file.data
        data = upload.read()
        try:
            preview = list_job.preview(
                current_user, office, form.listed_on.data, data, upload.filename or ""
            )
        except RuleBroken as error:
            on_form(form, error)
        else:
            saved = list_job.save(current_user, preview, data if preview.can_commit else b"")
            return render_template(
                "books/preview.html",
                preview=preview,
                job=saved,
                office=office,
                listed_on=form.listed_on.data,
            )
    return render_template("books/import.html", form=form), 422 if form.errors else 200


def _chosen_office(form: ListForm) -> Office | None:
    if not sees_everyone(current_user):
        return current_user.office
    return db.session.get(Office, form.office.data) if form.office.data else None


def _job(job_id: int) -> ImportJob:
    found = import_jobs.find(current_user, job_id)
    if found is None or found.kind != list_job.KIND:
        abort(403)
    return found


@bp.route("/reconciliation/import/<int:job_id>/commit", methods=["POST"])
@requires("reconcile")
def commit_list(job_id: int):
    _job(job_id)
    try:
        started = list_job.start(current_user, job_id)
    except RuleBroken as error:
        flash(error.text(), "danger")
        return redirect(url_for("books.import_list"))
    return redirect(url_for("books.list_job_page", job_id=started.id))


@bp.route("/reconciliation/import/<int:job_id>")
@requires("reconcile")
def list_job_page(job_id: int):
    found = _job(job_id)
    return render_template(
        "outreach/import_job.html",
        job=found,
        progress=import_jobs.progress(found),
        error=import_jobs.failure_text(found.error) if found.error else None,
        progress_url=url_for("books.list_job_progress", job_id=found.id),
        resume_url=url_for("books.commit_list", job_id=found.id),
        back_url=url_for("books.reconciliation"),
        back_label=_("To the reconciliation"),
    )


@bp.route("/reconciliation/import/<int:job_id>.json")
@requires("reconcile")
def list_job_progress(job_id: int):
    return jsonify(import_jobs.progress(_job(job_id)))


@bp.route("/reconciliation/template.csv")
@requires("reconcile")
def list_template():
    return Response(
        listfile.template_csv(),
        mimetype="text/csv",
        headers={"Content-Disposition": 'attachment; filename="insurer-list-template.csv"'},
    )
