"""Admin pages for reorganisations: the list (with undo), one change described on a form or a
whole mapping file, a preview of what would move, and applying it."""

from __future__ import annotations

import json

from flask import flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy import select

from .. import parsing
from ..access import requires
from ..collation import in_order
from ..dates import local_today
from ..extensions import db
from ..forms import choices
from ..inputs import form_json
from ..models import Area, Reorganisation
from ..services import reorganisation as reorg
from ..services.areas import label_in_time, local_areas
from ..services.reorganisation.changes import KINDS, Change, ChangeError, rows_for
from ..services.reorganisation.mapping import MappingRow, read_row
from ..vocab import AREA_KINDS, DISTRICT_LEVEL_KINDS
from . import bp
from .forms import MappingFileForm, ReorganisationForm


def problem_message(code: str, params: dict) -> str:
    messages = {
        "missing_column": _("Missing column."),
        "unstorable": _("NUL characters or broken Unicode cannot be stored."),
        "not_a_date": _("A date as YYYY-MM-DD or dd/mm/yyyy."),
        "not_a_share": _("A share in percent, more than 0 and at most 100."),
        "unknown_kind": _("Unknown kind “%(kind)s”."),
        "nothing_to_do": _("Give an old code, a new code, or both."),
        "too_long": _("At most %(count)d characters."),
        "one_date": _("One reorganisation has one effective date."),
        "in_the_future": _("A reorganisation is applied on or after its effective date."),
        "unknown_code": _("No unit bears the code “%(code)s” on the day before."),
        "already_ends": _("“%(code)s” already ends on this date."),
        "ends_before": _("“%(code)s” ends before this date."),
        "rows_disagree": _("The rows for “%(code)s” give different names, kinds or parents."),
        "name_missing": _("A unit that ends cannot take others in: name the new unit."),
        "merge_into_ended": _("“%(code)s” ends before this date: nothing can merge into it."),
        "code_taken": _("The code belongs to %(name)s, which goes on."),
        "kind_missing": _("Give the new unit's kind."),
        "duplicate_row": _("This row repeats another."),
        "dissolved_and_mapped": _("A unit cannot both dissolve and go to a successor."),
        "shares_not_100": _("The shares of this unit add up to %(total)s %%, not 100 %%."),
        "wrong_parent": _("This kind of unit cannot belong to that one on this date."),
        "parent_ends": _("The parent “%(code)s” ends on this date."),
        "unknown_parent": _("No unit bears the parent code “%(code)s” on this date."),
        "cycle": _("A unit cannot be part of itself."),
        "children_left": _("Units still belong to it: %(names)s. Map them too."),
        "dissolved_with_households": _(
            "It holds %(count)s households: give it a successor they can move to."
        ),
    }
    return messages.get(code, code) % params if params else messages.get(code, code)


def change_message(code: str) -> str:
    return {
        "choose_units": _("Choose the units that end."),
        "name_the_unit": _("Give the new unit's code and name."),
        "one_unit": _("Choose one unit."),
        "two_parts": _("A split makes at least two units."),
        "bad_part": _("Each line: code; name; share in %."),
        "choose_parent": _("Choose the unit it moves under."),
        "unknown_change": _("Choose a change."),
    }[code]


def undo_message(code: str) -> str:
    return {
        "already_undone": _("It was undone already."),
        "used_by_later": _("A later reorganisation builds on its successors."),
        "work_logged": _("Work was logged in its successors on or after its effective date."),
        "changed_since": _("The units it began were changed since."),
    }[code]


@bp.route("/reorganisations")
@requires("administer")
def reorganisations():
    found = db.session.scalars(
        select(Reorganisation).order_by(
            Reorganisation.effective_on.desc(), Reorganisation.id.desc()
        )
    ).all()
    blocked = {r.id: reorg.why_not_undoable(r) for r in found}
    return render_template(
        "admin/reorganisations.html",
        reorganisations=found,
        blocked=blocked,
        undo_message=undo_message,
        file_form=MappingFileForm(),
    )


def _form() -> ReorganisationForm:
    form = ReorganisationForm()
    today = local_today()
    units = db.session.scalars(local_areas(form.effective_on.data or today)).all()
    parents = db.session.scalars(
        select(Area)
        .where(Area.kind.in_(("province", *DISTRICT_LEVEL_KINDS)), Area.valid_to.is_(None))
        .order_by(in_order(Area.name))
    ).all()
    form.kind.choices = choices(
        {
            "merge": _("Merge units into one"),
            "split": _("Split a unit"),
            "rename": _("Rename a unit"),
            "reparent": _("Move a unit under another"),
        }
    )
    form.old.choices = choices((a.id, label_in_time(a)) for a in units)
    form.into.choices = choices([(None, _("— a new unit —"))] + [(a.id, a.name) for a in units])
    form.new_kind.choices = choices([("", _("— as before —")), *AREA_KINDS.items()])
    form.parent.choices = choices([(None, _("— as before —"))] + [(a.id, a.name) for a in parents])
    if not form.is_submitted():
        form.effective_on.data = today
    return form


@bp.route("/reorganisations/new", methods=["GET", "POST"])
@requires("administer")
def new_reorganisation():
    form = _form()
    if form.validate_on_submit() and form.kind.data in KINDS:
        change = Change(
            form.kind.data,
            form.effective_on.data,
            [a for a in (db.session.get(Area, i) for i in form.old.data or []) if a],
            (form.new_code.data or "").strip(),
            (form.new_name.data or "").strip(),
            form.new_kind.data or "",
            db.session.get(Area, form.parent.data) if form.parent.data else None,
            db.session.get(Area, form.into.data) if form.into.data else None,
            _parts(form.parts.data or ""),
        )
        try:
            rows = rows_for(change)
        except ChangeError as error:
            getattr(form, error.field).errors.append(change_message(error.code))
        else:
            return _preview(rows, form.source.data or "")
    status = 422 if form.errors else 200
    return render_template("admin/reorganisation_form.html", form=form), status


def _parts(text: str) -> list[tuple[str, str, str]]:
    parts = []
    for line in text.splitlines():
        if line.strip():
            cells = [cell.strip() for cell in line.split(";")] + ["", "", ""]
            parts.append((cells[0], cells[1], cells[2]))
    return parts


@bp.route("/reorganisations/file", methods=["POST"])
@requires("administer")
def reorganisation_file():
    form = MappingFileForm()
    if not form.validate_on_submit():
        flash(_("Choose a CSV or XLSX file."), "danger")
        return redirect(url_for("admin.reorganisations"))
    upload = form.file.data
    try:
        cells = reorg.table_cells(upload.read(), upload.filename or "")
        rows, problems = reorg.read_rows(cells)
    except reorg.MappingError:
        flash(_("This file cannot be read: save it as CSV (UTF-8) or XLSX."), "danger")
        return redirect(url_for("admin.reorganisations"))
    return _preview(rows, form.source.data or "", problems)


def _preview(rows: list[MappingRow], source: str, problems=None, choices_=None):
    plans = [reorg.build_plan(day_rows, choices_) for day_rows in reorg.by_date(rows)]
    if len(plans) > 1:
        plans = [plans[0]]
        problems = [*(problems or []), reorg.Problem(rows[0].line, "effective_date", "one_date")]
    plan = plans[0] if plans else reorg.build_plan([])
    shown = [*(problems or []), *plan.problems]
    return render_template(
        "admin/reorganisation_preview.html",
        plan=plan,
        problems=shown,
        problem_message=problem_message,
        rows_json=json.dumps([_row_json(row) for row in rows], ensure_ascii=False),
        source=source,
        can_apply=plan.can_apply and not problems,
    ), (200 if not shown else 422)


def _row_json(row: MappingRow) -> dict:
    return {
        "line": row.line,
        "old_code": row.old_code,
        "new_code": row.new_code,
        "new_name": row.new_name,
        "kind": row.kind,
        "parent": row.parent,
        "effective_date": row.effective_on.isoformat() if row.effective_on else "",
        "share": f"{row.share / 100}",
    }


@bp.route("/reorganisations/apply", methods=["POST"])
@requires("administer")
def apply_reorganisation():
    rows, problems = [], []
    payload = form_json(request.form.get("rows", "[]"))
    for item in payload if isinstance(payload, list) else []:
        line = parsing.whole_number(item.get("line"), 1) if isinstance(item, dict) else None
        if line is not None:
            values = {k: str(v) for k, v in item.items() if k != "line"}
            row, found = read_row(line, values)
            problems.extend(found)
            if row is not None:
                rows.append(row)
    chosen = _household_choices()
    source = request.form.get("source", "")[:200]
    plan = reorg.build_plan(rows, chosen) if rows and not problems else None
    if plan is None or not plan.can_apply or request.form.get("action") != "apply":
        return _preview(rows, source, problems, chosen)
    applied = reorg.apply(current_user, plan, source)
    flash(
        _(
            "Reorganisation of %(date)s applied: %(ended)d units ended, %(begun)d began.",
            date=applied.effective_on.strftime("%d/%m/%Y"),
            ended=len(plan.ends),
            begun=sum(1 for unit in plan.units.values() if unit.existing is None),
        ),
        "success",
    )
    return redirect(url_for("admin.reorganisations"))


def _household_choices() -> dict[int, str]:
    """`household-<id>` fields: where the admin sends each household of a split unit. The id in
    the name is read like any id (a name with "²" or twenty digits names no household)."""
    chosen = {}
    for key, value in request.form.items():
        if key.startswith("household-"):
            household_id = parsing.record_id(key.removeprefix("household-"))
            if household_id is not None:
                chosen[household_id] = value
    return chosen


@bp.route("/reorganisations/<int:reorganisation_id>/undo", methods=["POST"])
@requires("administer")
def undo_reorganisation(reorganisation_id: int):
    found = db.get_or_404(Reorganisation, reorganisation_id)
    try:
        reorg.undo(current_user, found)
    except reorg.ReorganisationError as error:
        flash(undo_message(error.code), "danger")
    else:
        flash(
            _("Reorganisation of %(date)s undone.", date=found.effective_on.strftime("%d/%m/%Y")),
            "success",
        )
    return redirect(url_for("admin.reorganisations"))
