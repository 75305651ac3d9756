from flask import Response, abort, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user

from ..access import requires
from ..services import imports as import_service
from . import bp
from .forms import ImportForm


def import_error(code: str) -> str:
    return {
        "unreadable": _("This workbook cannot be read. Save it again as .xlsx or .csv."),
        "not_utf8": _("The CSV is not UTF-8. In Excel, save as “CSV UTF-8”."),
        "empty": _("The file is empty."),
        "too_many_rows": _("At most 20.000 rows per file."),
        "expired": _("This preview has expired. Upload the file again."),
        "has_problems": _("Fix the problems listed first: nothing was written."),
        "unknown_kind": _("Unknown kind of import."),
    }[code]


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
        except import_service.ImportError_ as error:
            form.file.errors.append(import_error(error.code))
        else:
            token = import_service.save(current_user, result)
            return render_template("outreach/import_preview.html", result=result, token=token)
    return render_template("outreach/imports.html", form=form), 422 if form.errors else 200


@bp.route("/imports/<token>/commit", methods=["POST"])
@requires("import_data")
def commit_import(token: str):
    try:
        written = import_service.commit(current_user, token)
    except import_service.ImportError_ as error:
        flash(import_error(error.code), "danger")
        return redirect(url_for("outreach.imports"))
    flash(_("Import done: %(count)d rows written.", count=written), "success")
    return redirect(url_for("outreach.imports"))


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
