"""The leader's grid of area and organization targets, a target's history, and reopening a
closed period (the team grid is targets/team.py)."""

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from .. import periods, progress
from ..access import may_see_officer, requires
from ..dates import local_today, period_label
from ..errors import RuleBroken
from ..extensions import db
from ..models import Target
from ..progress.metrics import codes, stocks, targetable
from ..routing import safe_next
from ..services import target_locks
from ..services import targets as target_service
from ..services.areas import active_orgs, area_tree
from ..web import int_arg, scheme_arg
from . import bp
from .forms import AreaTargetsForm, ReopenForm
from .grid import cell_name, parse_cells

# What the grids set, from the declarations: supervisors every metric an officer may have a
# target for; the areas grid the participants (the stock) at the year's end, and organizations
# the one metric they may have a target for. Each grid is of one scheme (?scheme=): a target
# carries it, and an outreach metric's is `all`, the same target whichever grid shows it.
OFFICER_TARGETS = codes(targetable("officer"))
(AREA_TARGET,) = codes(stocks())
(ORG_TARGET,) = codes(targetable("collection_org"))


def locks_of(year: int) -> dict:
    """What the targets grids say of closed periods: the months of the year that have ended,
    the reopenings in force, and the form to reopen one."""
    today = local_today()
    span = periods.year(year)
    return {
        "closed": target_locks.closed_months(span, today),
        "year_closed": target_locks.is_closed(span, today),
        "open": target_locks.open_reopenings(span, today),
        "form": ReopenForm(period=str(year)),
    }


def year_arg() -> int:
    year = int_arg("year") or local_today().year
    if not periods.MIN_YEAR <= year <= periods.MAX_YEAR:
        abort(400)
    return year


@bp.route("/areas", methods=["GET", "POST"])
@requires("set_area_targets")
def areas():
    year = year_arg()
    scheme = scheme_arg()
    period = periods.year(year)
    tree = area_tree(period.end)  # the units that exist at the year's end
    area_ids = [area.id for area, _depth in tree]
    orgs = active_orgs()
    form = AreaTargetsForm()
    existing = target_service.explicit_targets("area", area_ids, AREA_TARGET, year, scheme)
    existing_orgs = target_service.explicit_targets(
        "collection_org", [o.id for o in orgs], ORG_TARGET, year, scheme
    )
    errors: dict[str, str] = {}
    if form.validate_on_submit():
        note = form.note.data or ""
        changes, errors = parse_cells(
            request.form,
            "area",
            area_ids,
            [period],
            AREA_TARGET,
            existing,
            note,
            maximum=target_service.MAX_AREA_TARGET,
            scheme=scheme,
        )
        org_changes, org_errors = parse_cells(
            {k.replace("org-", "", 1): v for k, v in request.form.items() if k.startswith("org-")},
            "collection_org",
            [o.id for o in orgs],
            [period],
            ORG_TARGET,
            existing_orgs,
            note,
            scheme=scheme,
        )
        errors.update({f"org-{k}": v for k, v in org_errors.items()})
        if not errors:
            try:
                saved = target_service.set_targets(current_user, changes + org_changes)
            except RuleBroken as error:
                errors["form"] = error.text()
            else:
                flash(_("%(count)d targets saved.", count=len(saved)), "success")
                return redirect(request.full_path)
    baseline_day = periods.year(year - 1).end
    measured_on = min(local_today(), period.end)
    return render_template(
        "targets/areas.html",
        locks=locks_of(year),
        form=form,
        year=year,
        scheme=scheme,
        period=period,
        tree=tree,
        orgs=orgs,
        existing=existing,
        existing_orgs=existing_orgs,
        errors=errors,
        cell_name=cell_name,
        baselines=progress.participants_through(baseline_day, area_ids, scheme),
        defaults=target_service.predecessors_sum(area_ids, AREA_TARGET, period, scheme),
        now=progress.participants_on(measured_on, area_ids, scheme),
        baseline_day=baseline_day,
        measured_on=measured_on,
        gaps=progress.target_gaps(period, area_ids, scheme),
    ), 422 if errors or form.errors else 200


@bp.route("/<int:target_id>")
@requires("view_boards")
def history(target_id: int):
    target = db.get_or_404(Target, target_id)
    if target.officer is not None and not may_see_officer(current_user, target.officer):
        abort(403)
    return render_template(
        "targets/history.html",
        target=target,
        versions=target_service.versions(target),
        period=periods.Period(target.period_start, target.period_end),
    )


@bp.route("/reopen", methods=["POST"])
@requires("reopen_targets")
def reopen():
    """Reopen a closed period's targets for a week (services/target_locks.py), audited."""
    form = ReopenForm()
    back = safe_next(request.form.get("back")) or url_for("targets.areas")
    if not form.validate_on_submit():
        flash(_("Give the period and the reason."), "danger")
        return redirect(back)
    try:
        period = periods.parse(form.period.data.strip())
        reopening = target_locks.reopen(current_user, period, form.reason.data, local_today())
    except (periods.PeriodError, target_locks.ReopenError):
        db.session.rollback()
        flash(_("Only a period that has ended can be reopened."), "danger")
        return redirect(back)
    flash(
        _(
            "Targets of %(period)s reopened until %(date)s.",
            period=period_label(period),
            date=reopening.open_until.strftime("%d/%m/%Y"),
        ),
        "success",
    )
    return redirect(back)
