from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from flask_wtf.file import FileAllowed, FileField, FileRequired
from wtforms import HiddenField, SelectField, StringField
from wtforms.validators import DataRequired, Length, Optional

from ..forms import DayField, optional_int, record_id

REASON = Length(max=300)


class ListForm(FlaskForm):
    office = SelectField(_l("Office"), coerce=optional_int, validate_choice=False)
    listed_on = DayField(_l("Day of the list"), validators=[DataRequired()])
    file = FileField(
        _l("The insurer's list (CSV or XLSX)"),
        validators=[
            FileRequired(),
            FileAllowed(["csv", "xlsx"], _l("A .csv or .xlsx file, please.")),
        ],
    )


class ResolveForm(FlaskForm):
    action = HiddenField(validators=[DataRequired()])
    reason = StringField(_l("Reason"), validators=[Optional(), REASON])
    enrollment = HiddenField(filters=[lambda v: v or None])


class DismissEnrollmentForm(FlaskForm):
    action = HiddenField(validators=[DataRequired()])
    reason = StringField(_l("Reason"), validators=[Optional(), REASON])
    record = HiddenField(filters=[lambda v: v or None])


def linked_id(value) -> int | None:
    """A hidden id field: an id, or None for anything else (a hand-edited form)."""
    try:
        return record_id(value) if value else None
    except ValueError:
        return None
