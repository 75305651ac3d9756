"""GET /api/v1/contribution: what a participant pays on a date, from the dated rules
(docs/design.md, "Contributions and the rules of the law"). The enrollment form asks it as the
officer types; its page also carries the rules table, to compute the same offline."""

from __future__ import annotations

from flask import jsonify, request
from flask_babel import gettext as _

from .. import parsing
from ..access import signed_in
from ..dates import local_today
from ..errors import json_error
from ..services import contributions
from ..vocab import ENROLLMENT_CATEGORIES, PAYMENT_METHODS
from ..web import date_arg_or_none
from . import bp
from .schemas import ContributionOut, ContributionQuery
from .spec import declare


def _whole(name: str, fields: dict) -> int | None:
    text = request.args.get(name, "").strip()
    if not text:
        return None
    number = parsing.whole_number(text, 0, 10**15)
    if number is None:
        fields[name] = _("A whole number, if given.")
    return number


@bp.route("/contribution")
@signed_in
@declare(query=ContributionQuery, ok=ContributionOut, tags=["contribution"])
def contribution():
    fields: dict[str, str] = {}
    day, bad = date_arg_or_none("on")
    if bad:
        fields["on"] = _("A date as YYYY-MM-DD.")
    category = request.args.get("category") or "other"
    if category not in ENROLLMENT_CATEGORIES:
        fields["category"] = _("One of: %(codes)s.", codes=", ".join(ENROLLMENT_CATEGORIES))
    method = request.args.get("payment_period") or "1"
    if method not in PAYMENT_METHODS:
        fields["payment_period"] = _("One of: %(codes)s.", codes=", ".join(PAYMENT_METHODS))
    basis = _whole("income_basis", fields)
    months_asked = _whole("months", fields)
    support_used = _whole("support_used", fields) or 0
    months = None
    if "payment_period" not in fields and "months" not in fields:
        months = contributions.months_of(method, months_asked)
        if months is None:
            low, high = (
                contributions.LUMP_SUM_MONTHS
                if method == "lump_sum"
                else contributions.BACK_PAYMENT_MONTHS
            )
            fields["months"] = _("From %(low)d to %(high)d months.", low=low, high=high)
    if fields:
        return json_error(422, _("Some fields are not valid."), "invalid", fields)
    try:
        figures = contributions.compute(day or local_today(), category, basis)
    except contributions.ContributionError as error:
        if contributions.field_of(error) == "date":
            return json_error(
                422,
                contributions.message(error),
                "no_rule_in_force",
                {"on": contributions.message(error)},
            )
        return json_error(
            422,
            _("Some fields are not valid."),
            "invalid",
            {"income_basis": contributions.message(error)},
        )
    paid = contributions.payment(figures, months, support_used)
    return jsonify(
        monthly_contribution=figures.monthly_contribution,
        state_support=figures.monthly_state_support,
        participant_pays=figures.participant_pays,
        months=months,
        amount_due=paid.amount_due,
        source=figures.source,
    )
