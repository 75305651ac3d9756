from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from .. import parsing
from ..access import may_edit_record, requires
from ..dates import local_today
from ..errors import RuleBroken
from ..extensions import db
from ..fieldwork_forms import offer_areas, show_errors
from ..forms import choices
from ..models import Contact, Enrollment
from ..services import contributions, support_cap
from ..services import enrollments as enrollment_service
from ..services.areas import active_orgs
from ..services.fieldwork import NotAllowed
from ..vocab import ENROLLMENT_CATEGORIES, PAYMENT_PERIODS
from . import bp
from .forms import EnrollmentForm
from .helpers import apply_deletion, household_id_of


def enrollment_input(form: EnrollmentForm) -> enrollment_service.EnrollmentInput:
    years = form.lump_sum_years.data
    return enrollment_service.EnrollmentInput(
        client_token=form.client_token.data,
        area_id=form.area_id.data,
        household_id=household_id_of(form),
        participant_name=form.participant_name.data,
        citizen_id=form.citizen_id.data,
        birth_date=form.birth_date.data,
        social_insurance_number=form.social_insurance_number.data,
        enrolled_on=form.enrolled_on.data,
        scheme=form.scheme.data,
        category=form.category.data,
        income_basis=form.income_basis.data,
        payment_period=form.payment_period.data,
        months_paid=years * 12 if years is not None else None,
        collection_org_id=form.collection_org_id.data,
        session_id=form.session_id.data,
    )


def _prepare(form: EnrollmentForm, officer) -> None:
    offer_areas(form, officer)
    orgs = active_orgs()
    form.collection_org_id.choices = choices(
        [(None, _("— none —"))] + [(o.id, o.name) for o in orgs]
    )


def _prefill_from_contact(form: EnrollmentForm, contact_id: str | None) -> None:
    """A contact with outcome "enrolled" leads here: its area, household and date carry over."""
    contact_id = parsing.record_id(contact_id or "")
    contact = db.session.get(Contact, contact_id) if contact_id else None
    if contact is None or contact.officer_id != current_user.id:
        return
    form.area_id.data = contact.area_id
    form.enrolled_on.data = contact.contacted_on
    if contact.household:
        form.household_id.data = str(contact.household_id)
        form.household_query.data = contact.household.head_name
        form.participant_name.data = contact.household.head_name


def _payment(form: EnrollmentForm, support_used: int) -> contributions.Payment | None:
    """What the page shows before any script runs: the figures of the form's values, with the
    amount due for the chosen period (the script keeps them up to date as the officer types)."""
    # An unsent select holds None: the page shows its first option.
    scheme, period = form.scheme.data or "voluntary_si", form.payment_period.data or "1"
    if scheme != "voluntary_si" or form.enrolled_on.data is None or form.income_basis.errors:
        return None
    if period not in PAYMENT_PERIODS or form.category.data not in ENROLLMENT_CATEGORIES:
        return None  # the form says so beside the field
    years = form.lump_sum_years.data
    months = contributions.months_of(period, years * 12 if isinstance(years, int) else None)
    if months is None:
        return None
    try:
        figures = contributions.compute(
            form.enrolled_on.data, form.category.data, form.income_basis.data
        )
    except contributions.ContributionError:
        return None
    return contributions.payment(figures, months, support_used)


def _render(form, enrollment, status):
    """The rules table lets the page compute offline what GET /api/v1/contribution answers
    online; support_used is what the person's other payments took of the 120 months."""
    used = support_cap.used(enrollment, without_enrollment=True) if enrollment else 0
    return render_template(
        "field/enrollment_form.html",
        form=form,
        enrollment=enrollment,
        rules=contributions.rules_table(),
        support_used=used,
        payment=_payment(form, used),
    ), status


@bp.route("/enrollments/new", methods=["GET", "POST"])
@requires("log_fieldwork")
def new_enrollment():
    form = EnrollmentForm()
    _prepare(form, current_user)
    if request.method == "GET":
        form.enrolled_on.data = local_today()
        _prefill_from_contact(form, request.args.get("contact"))
    if form.validate_on_submit():
        try:
            enrollment, created = enrollment_service.record_enrollment(
                current_user, enrollment_input(form)
            )
        except RuleBroken as error:
            show_errors(form, error)
        else:
            flash(
                _("Enrollment of %(name)s saved.", name=enrollment.participant_name)
                if created
                else _("This enrollment was already saved; nothing was added."),
                "success" if created else "info",
            )
            return redirect(url_for("main.home"))
    return _render(form, None, 422 if form.errors or form.form_errors else 200)


def _own_enrollment(enrollment_id: int) -> Enrollment:
    enrollment = db.get_or_404(Enrollment, enrollment_id)
    if not may_edit_record(current_user, enrollment.officer_id):
        abort(403)
    return enrollment


@bp.route("/enrollments/<int:enrollment_id>/edit", methods=["GET", "POST"])
@requires("log_fieldwork")
def edit_enrollment(enrollment_id: int):
    enrollment = _own_enrollment(enrollment_id)
    form = EnrollmentForm(obj=enrollment)
    _prepare(form, enrollment.officer)
    if request.method == "GET":
        if enrollment.household:
            form.household_id.data = str(enrollment.household_id)
            form.household_query.data = enrollment.household.head_name
        if enrollment.payment_period == "lump_sum" and enrollment.months_paid:
            form.lump_sum_years.data = enrollment.months_paid // 12
    if form.validate_on_submit():
        try:
            enrollment_service.update_enrollment(current_user, enrollment, enrollment_input(form))
        except NotAllowed:
            abort(403)
        except RuleBroken as error:
            db.session.rollback()
            show_errors(form, error)
        else:
            flash(_("Enrollment updated."), "success")
            return redirect(url_for("field.records", kind="enrollments"))
    return _render(form, enrollment, 422 if form.errors or form.form_errors else 200)


@bp.route("/enrollments/<int:enrollment_id>/delete", methods=["POST"])
@requires("log_fieldwork")
def delete_enrollment(enrollment_id: int):
    return _set_deleted(enrollment_id, True)


@bp.route("/enrollments/<int:enrollment_id>/restore", methods=["POST"])
@requires("log_fieldwork")
def restore_enrollment(enrollment_id: int):
    return _set_deleted(enrollment_id, False)


def _set_deleted(enrollment_id: int, deleted: bool):
    return apply_deletion(
        enrollment_service.set_deleted,
        _own_enrollment(enrollment_id),
        deleted,
        _("Enrollment restored."),
        "enrollments",
    )
