"""Admin pages for the rules of the law: the income bases and support rates in force over time,
each with its source; a new dated rule is added (or the latest withdrawn) here, validated and
audited by tracker/services/rules.py."""

from __future__ import annotations

from datetime import timedelta

from flask import abort, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user

from ..access import requires
from ..dates import local_today
from ..extensions import db
from ..i18n import short_date
from ..models import IncomeBasisRule, SupportRate
from ..services import rules as rule_service
from ..vocab import ENROLLMENT_CATEGORIES
from . import bp
from .forms import BasisRuleForm, SupportRuleForm


def _valid_to(form):
    return form.last_day.data + timedelta(days=1) if form.last_day.data else None


def _page(basis_form: BasisRuleForm, support_form: SupportRuleForm, status: int = 200):
    bases, rates = rule_service.listing()
    return render_template(
        "admin/rules.html",
        bases=bases,
        rates=rates,
        today=local_today(),
        last_day=rule_service.last_day,
        withdrawable=rule_service.latest_ids(),
        basis_form=basis_form,
        support_form=support_form,
    ), status


def _show(form, error: rule_service.RuleError) -> None:
    field = getattr(form, {"valid_to": "last_day"}.get(error.field, error.field), None)
    if field is not None and hasattr(field, "errors") and error.field != "form":
        field.errors = [*field.errors, rule_service.message(error)]
    else:
        flash(rule_service.message(error), "danger")


def _ended_note(added: rule_service.Added) -> None:
    for row in added.ended:
        flash(
            _(
                "The rule in force from %(start)s now ends on %(end)s.",
                start=short_date(row.valid_from),
                end=short_date(rule_service.last_day(row.valid_to)),
            ),
            "info",
        )


@bp.route("/rules")
@requires("administer")
def rules():
    return _page(BasisRuleForm(prefix="basis"), SupportRuleForm(prefix="support"))


@bp.route("/rules/basis", methods=["POST"])
@requires("administer")
def add_basis_rule():
    form = BasisRuleForm(prefix="basis")
    if form.validate_on_submit():
        values = rule_service.BasisValues(
            form.valid_from.data,
            _valid_to(form),
            form.contribution_percent.data,
            form.minimum_basis.data,
            form.maximum_basis.data,
            form.source.data,
        )
        try:
            added = rule_service.add_basis(current_user, values)
        except rule_service.RuleError as error:
            db.session.rollback()
            _show(form, error)
        else:
            flash(
                _("Income basis rule from %(date)s added.", date=short_date(values.valid_from)),
                "success",
            )
            _ended_note(added)
            return redirect(url_for("admin.rules"))
    return _page(form, SupportRuleForm(prefix="support", formdata=None), 422)


@bp.route("/rules/support", methods=["POST"])
@requires("administer")
def add_support_rule():
    form = SupportRuleForm(prefix="support")
    if form.validate_on_submit():
        values = rule_service.SupportValues(
            form.valid_from.data,
            _valid_to(form),
            {category: getattr(form, category).data for category in ENROLLMENT_CATEGORIES},
            form.source.data,
        )
        try:
            added = rule_service.add_support(current_user, values)
        except rule_service.RuleError as error:
            db.session.rollback()
            _show(form, error)
        else:
            flash(
                _("Support rates from %(date)s added.", date=short_date(values.valid_from)),
                "success",
            )
            _ended_note(added)
            return redirect(url_for("admin.rules"))
    return _page(BasisRuleForm(prefix="basis", formdata=None), form, 422)


def _withdraw(model, rule_id: int):
    try:
        previous = rule_service.withdraw(current_user, model, rule_id)
    except LookupError:
        abort(404)
    except rule_service.RuleError as error:
        db.session.rollback()
        flash(rule_service.message(error), "danger")
    else:
        flash(
            _(
                "Rule withdrawn; the rule from %(date)s is in force again.",
                date=short_date(previous.valid_from),
            ),
            "success",
        )
    return redirect(url_for("admin.rules"))


@bp.route("/rules/basis/<int:rule_id>/withdraw", methods=["POST"])
@requires("administer")
def withdraw_basis_rule(rule_id: int):
    return _withdraw(IncomeBasisRule, rule_id)


@bp.route("/rules/support/<int:rule_id>/withdraw", methods=["POST"])
@requires("administer")
def withdraw_support_rule(rule_id: int):
    return _withdraw(SupportRate, rule_id)
