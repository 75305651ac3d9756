"""What every field-work form shares — log contact, record enrollment, an awareness session:
the wards and communes it offers (and the units they were before a reorganisation), and a
service's broken rules shown beside the form's own fields. Outside any blueprint, since the
field and outreach blueprints both use it."""

from __future__ import annotations

from datetime import timedelta

from flask_babel import gettext as _
from flask_wtf import FlaskForm
from wtforms.fields.choices import SelectChoice

from .collation import sort_key
from .dates import local_today
from .errors import RuleBroken, on_form
from .forms import choices
from .models import Area, User
from .progress import area_tree
from .services import sessions
from .services.fieldwork import loggable_areas

SESSION_LOOKBACK = timedelta(days=60)

# Service error keys → form field names (the API reports the service's keys as they are).
FORM_FIELDS = {
    "area": "area_id",
    "household": "household_query",
    "collection_org": "collection_org_id",
    "months_paid": "lump_sum_years",
    "new_household.head_name": "new_head_name",
    "new_household.address": "new_address",
    "new_household.phone": "new_phone",
    "new_household.category": "new_category",
    "new_household.different_person": "new_different_person",
}


def offer_areas(form: FlaskForm, user: User) -> None:
    """The user's wards and communes, and, for records dated before a reorganisation, the units
    they were then: each option says when it existed, and the page shows only those of the
    chosen date (static/js/fieldwork.js); the service checks the same."""
    areas = loggable_areas(user)
    form.area_id.choices = [_option(area) for area in areas] + [
        _option(area, _("Before the reorganisation")) for area in earlier_units(areas)
    ]
    if form.area_id.data is None and areas:
        form.area_id.data = areas[0].id  # the primary area comes first
    if hasattr(form, "session_id"):
        recent = sessions.recent_in([a.id for a in areas], local_today() - SESSION_LOOKBACK)
        form.session_id.choices = choices(
            [(None, _("— none —"))]
            + [(s.id, f"{s.held_on:%d/%m} · {s.area.name} · {s.title}") for s in recent]
        )


def _option(area: Area, group: str | None = None) -> SelectChoice:
    when = {
        "data-valid-from": area.valid_from.isoformat() if area.valid_from else "",
        "data-valid-to": area.valid_to.isoformat() if area.valid_to else "",
    }
    return SelectChoice(area.id, area.name, render_kw=when, optgroup=group)


def earlier_units(areas: list[Area]) -> list[Area]:
    """The wards and communes these came from by reorganisation, by name."""
    tree = area_tree()
    current = {area.id for area in areas}
    found = {
        unit
        for area in areas
        for unit in tree.lineage(area.id)
        if unit not in current and tree.areas[unit].is_local
    }
    return sorted((tree.areas[i] for i in found), key=lambda a: (sort_key(a.name), a.id))


def show_errors(form: FlaskForm, error: RuleBroken) -> None:
    """A service's broken rules under the form's own fields."""
    on_form(form, error, FORM_FIELDS)
