from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from ..access import may_edit_record, requires
from ..dates import local_today
from ..errors import RuleBroken
from ..extensions import db
from ..fieldwork_forms import offer_areas, show_errors
from ..models import Contact
from ..services import contacts as contact_service
from ..services.fieldwork import NotAllowed
from . import bp
from .forms import ContactForm
from .helpers import apply_deletion, household_id_of


def contact_input(form: ContactForm) -> contact_service.ContactInput:
    new_household = None
    if form.create_household.data and not household_id_of(form):
        new_household = contact_service.NewHousehold(
            form.new_head_name.data,
            form.new_address.data,
            form.new_phone.data,
            form.new_category.data,
            different_person=form.new_different_person.data,
        )
    return contact_service.ContactInput(
        client_token=form.client_token.data,
        area_id=form.area_id.data,
        household_id=household_id_of(form),
        contacted_on=form.contacted_on.data,
        channel=form.channel.data,
        outcome=form.outcome.data,
        people_reached=form.people_reached.data,
        follow_up_on=form.follow_up_on.data,
        notes=form.notes.data,
        session_id=form.session_id.data,
        new_household=new_household,
    )


def _after_saving(contact: Contact, created: bool):
    if created:
        flash(_("Contact saved."), "success")
    else:
        flash(_("This contact was already saved; nothing was added."), "info")
    if contact.outcome == "enrolled":
        return redirect(url_for("field.new_enrollment", contact=contact.id))
    return redirect(url_for("main.home"))


@bp.route("/contacts/new", methods=["GET", "POST"])
@requires("log_fieldwork")
def new_contact():
    form = ContactForm()
    offer_areas(form, current_user)
    if request.method == "GET":
        form.contacted_on.data = local_today()
    if form.validate_on_submit():
        try:
            contact, created = contact_service.log_contact(current_user, contact_input(form))
        except RuleBroken as error:
            show_errors(form, error)
        else:
            return _after_saving(contact, created)
    status = 422 if form.errors or form.form_errors else 200
    return render_template("field/contact_form.html", form=form, contact=None), status


def _own_contact(contact_id: int) -> Contact:
    contact = db.get_or_404(Contact, contact_id)
    if not may_edit_record(current_user, contact.officer_id):
        abort(403)
    return contact


@bp.route("/contacts/<int:contact_id>/edit", methods=["GET", "POST"])
@requires("log_fieldwork")
def edit_contact(contact_id: int):
    contact = _own_contact(contact_id)
    form = ContactForm(obj=contact)
    offer_areas(form, contact.officer)
    if request.method == "GET" and contact.household:
        form.household_id.data = str(contact.household_id)
        form.household_query.data = contact.household.head_name
    if form.validate_on_submit():
        try:
            contact_service.update_contact(current_user, contact, contact_input(form))
        except NotAllowed:
            abort(403)
        except RuleBroken as error:
            db.session.rollback()
            show_errors(form, error)
        else:
            flash(_("Contact updated."), "success")
            return redirect(url_for("field.records"))
    status = 422 if form.errors or form.form_errors else 200
    return render_template("field/contact_form.html", form=form, contact=contact), status


@bp.route("/contacts/<int:contact_id>/delete", methods=["POST"])
@requires("log_fieldwork")
def delete_contact(contact_id: int):
    return _set_deleted(contact_id, True)


@bp.route("/contacts/<int:contact_id>/restore", methods=["POST"])
@requires("log_fieldwork")
def restore_contact(contact_id: int):
    return _set_deleted(contact_id, False)


def _set_deleted(contact_id: int, deleted: bool):
    return apply_deletion(
        contact_service.set_deleted,
        _own_contact(contact_id),
        deleted,
        _("Contact restored."),
        "contacts",
    )
