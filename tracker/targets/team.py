"""The supervisor's grid of the team's targets (docs/design.md, "Targets").

Cells typed into the grid are saved as typed. Filling the year at once (spreading a yearly
target, copying last year, applying one value) writes dozens of targets, so it is shown first
as a preview, each officer and period old → new, with what cannot be written; it is saved only
when the supervisor confirms, in one transaction, and only if the grid has not changed since
the preview (else the preview is shown again with today's values, never saved over them)."""

from dataclasses import replace

from flask import abort, flash, redirect, render_template, request
from flask_babel import gettext as _
from flask_login import current_user

from .. import parsing, periods, progress
from ..access import requires
from ..dates import period_label
from ..errors import RuleBroken, message
from ..forms import choices
from ..progress.metrics import codes, labels, targetable
from ..services import people
from ..services import target_plans as plans
from ..services import targets as target_service
from ..web import int_arg, scheme_arg
from . import bp
from .forms import SPREAD_METHODS, TeamTargetsForm
from .grid import cell_name, parse_cells
from .views import OFFICER_TARGETS, locks_of, year_arg

PLAN_PREFIX = "plan-"  # the preview's hidden inputs: plan-<officer id>-<period key>


def _selected_officers(officers: dict[int, str]) -> list[int]:
    chosen = {parsing.record_id(v) for v in request.form.getlist("officer")}
    selected = [officer_id for officer_id in officers if officer_id in chosen]
    if not selected:
        raise RuleBroken("officer", "no_officer_selected")
    return selected


def _plan(form, officers, columns, metric, year, grain, scheme):
    """What the pressed button proposes for the selected officers: a spread, a copy, or one
    value."""
    action = request.form.get("action")
    selected = _selected_officers(officers)
    if action == "spread":
        yearly = {}
        for officer_id in selected:
            value = parsing.whole_number(request.form.get(cell_name(officer_id, columns[0]), ""))
            if value is not None:
                yearly[officer_id] = value
        changes = plans.spread_year(
            selected,
            yearly,
            metric,
            year,
            grain,
            form.spread_method.data,
            form.weights.data or "",
            scheme,
        )
    elif action == "copy":
        changes = plans.copy_previous_year(selected, metric, year, scheme)
    else:
        if form.bulk_value.data is None:
            raise RuleBroken("bulk_value", "value_missing")
        column = next((c for c in columns if c.key == form.bulk_period.data), None)
        if column is None:
            raise RuleBroken("bulk_period", "period_not_on_boundaries")
        changes = plans.apply_value(selected, metric, column, form.bulk_value.data, scheme)
    return [replace(change, note=form.note.data or "") for change in changes]


def _previewed(officers, columns, metric, existing, note, scheme):
    """The changes the preview's form carries back (only the grid's own cells are read)."""
    values = {
        "cell-" + name[len(PLAN_PREFIX) :]: value
        for name, value in request.form.items()
        if name.startswith(PLAN_PREFIX)
    }
    changes, errors = parse_cells(
        values, "officer", officers, columns, metric, existing, note, scheme=scheme
    )
    if errors or not changes:
        raise RuleBroken("plan", "plan_unreadable")
    return changes


def _save(changes):
    """The changes in one transaction (every one audited), then the grid again."""
    saved = target_service.set_targets(current_user, changes)
    flash(_("%(count)d targets saved.", count=len(saved)), "success")
    return redirect(request.full_path)


@bp.route("/team", methods=["GET", "POST"])
@requires("set_officer_targets")
def team():
    try:
        leader = people.team_leader_for(current_user, int_arg("supervisor"))
    except PermissionError:
        abort(403)
    metric = request.args.get("metric", OFFICER_TARGETS[0])
    grain = request.args.get("grain", "month")
    scheme = scheme_arg()
    if leader is None:
        abort(404)
    if metric not in OFFICER_TARGETS or grain not in ("month", "quarter"):
        abort(400)
    year = year_arg()
    officers = people.team_members(leader)
    columns = [periods.year(year), *plans.parts_of_year(year, grain)]
    form = TeamTargetsForm()
    form.bulk_period.choices = choices((c.key, period_label(c)) for c in columns)
    existing = target_service.explicit_targets("officer", list(officers), metric, year, scheme)
    errors: dict[str, str] = {}
    preview, stale = None, False
    if form.validate_on_submit():
        action = request.form.get("action", "save")
        note = form.note.data or ""
        try:
            if action == "save":
                changes, errors = parse_cells(
                    request.form,
                    "officer",
                    officers,
                    columns,
                    metric,
                    existing,
                    note,
                    scheme=scheme,
                )
                if not errors:
                    return _save(changes)
            elif action == "confirm":
                changes = _previewed(officers, columns, metric, existing, note, scheme)
                if request.form.get("basis") == plans.fingerprint(existing):
                    return _save(changes)
                stale = True  # saved meanwhile: show the plan against the grid as it is now
                preview = plans.preview(current_user, changes, existing)
            else:
                changes = _plan(form, officers, columns, metric, year, grain, scheme)
                preview = plans.preview(current_user, changes, existing)
        except RuleBroken as error:
            errors["form"] = error.text()
    # What each column's target is when nobody set it explicitly: pro rata from the year.
    pro_rata = {
        column.key: progress.flow_targets("officer", metric, column, officers, scheme)
        for column in columns
    }
    primary_areas = sorted({p.area_id for p in people.primary_assignments(officers)})
    status = 409 if stale else 422 if errors or form.errors else 200
    return render_template(
        "targets/team.html",
        locks=locks_of(year),
        form=form,
        leader=leader,
        officers=officers,
        columns=columns,
        existing=existing,
        errors=errors,
        preview=preview,
        stale=stale,
        plan_prefix=PLAN_PREFIX,
        error_message=message,
        metric=metric,
        grain=grain,
        year=year,
        scheme=scheme,
        supervisors=people.supervisors(),
        metrics=labels(codes(targetable("officer", scheme))),
        spread_methods=SPREAD_METHODS,
        pro_rata=pro_rata,
        gaps=progress.target_gaps(periods.year(year), primary_areas, scheme),
        areas=people.areas_by_id(primary_areas),
        cell_name=cell_name,
    ), status
