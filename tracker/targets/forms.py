from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import SelectField, StringField
from wtforms.validators import DataRequired, Length, NumberRange, Optional

from ..forms import WholeNumberField, choices

SPREAD_METHODS = {
    "even": _l("evenly"),
    "weights": _l("by the weights typed below"),
    "last_year": _l("in the shape of last year's results"),
}


class TeamTargetsForm(FlaskForm):
    """The actions of the team grid; the grid's cells are read by grid.parse_cells."""

    # Checked by the action that uses them, so saving the grid never trips over them.
    spread_method = SelectField(
        _l("How to spread the yearly target"),
        choices=choices(SPREAD_METHODS),
        validate_choice=False,
    )
    weights = StringField(
        _l("Weights of the columns"),
        validators=[Length(max=200)],
        description=_l(
            "Only for “by the weights typed below”: one number per column, January (or the "
            "first quarter) first, separated by semicolons, for example 1; 1; 1; 2 for "
            "quarters. A column weighing 2 gets twice the share of a column weighing 1."
        ),
    )
    bulk_value = WholeNumberField(_l("Value"), validators=[Optional(), NumberRange(0, 100_000)])
    bulk_period = SelectField(_l("Column"), validate_choice=False)
    note = StringField(
        _l("Note (why, for example a supplementary target)"), validators=[Length(max=500)]
    )


class AreaTargetsForm(FlaskForm):
    note = StringField(
        _l("Note (why, for example a supplementary target)"), validators=[Length(max=500)]
    )


class ReopenForm(FlaskForm):
    """A leader reopens the targets of a closed period, saying why."""

    period = StringField(_l("Period"), validators=[DataRequired(), Length(max=20)])
    reason = StringField(_l("Why"), validators=[DataRequired(), Length(max=500)])
