import uuid

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from flask_wtf.file import FileAllowed, FileField, FileRequired
from wtforms import HiddenField, SelectField, StringField, TextAreaField
from wtforms.validators import InputRequired, Length, NumberRange, Optional

from ..forms import DayField, WholeNumberField, choices, optional_int, record_id, valid_month
from ..vocab import PAYMENT_METHODS, SESSION_KINDS


class ReviewForm(FlaskForm):
    month = StringField(
        _l("Review for month"),
        validators=[InputRequired(), valid_month],
    )
    collection_org_id = SelectField(_l("Hand over to"), coerce=optional_int, validate_choice=False)
    officer_id = SelectField(_l("Assign to officer"), coerce=optional_int, validate_choice=False)
    note = StringField(_l("Note"), validators=[Length(max=500)])


class SessionForm(FlaskForm):
    area_id = SelectField(_l("Ward or commune"), coerce=record_id, validate_choice=False)
    kind = SelectField(_l("Kind"), choices=choices(SESSION_KINDS), validate_choice=False)
    title = StringField(_l("Title"), validators=[InputRequired(), Length(max=200)])
    held_on = DayField(_l("Date"), validators=[InputRequired()])
    starts_at = StringField(
        _l("Starts at (HH:MM)"),
        validators=[Length(max=5)],
        render_kw={"placeholder": "19:30", "inputmode": "numeric"},
    )
    partner_org = StringField(_l("Partner organization"), validators=[Length(max=160)])
    attendees = WholeNumberField(
        _l("Attendees"), default=0, validators=[InputRequired(), NumberRange(min=0, max=10_000)]
    )
    notes = TextAreaField(_l("Notes"), validators=[Length(max=2000)], render_kw={"rows": 3})


class RenewalForm(FlaskForm):
    """The service judges the method, months and basis against the rules of the day paid."""

    client_token = HiddenField(default=lambda: uuid.uuid4().hex)
    renewed_on = DayField(_l("Paid on"), validators=[InputRequired()])
    method = SelectField(
        _l("Payment method"), choices=choices(PAYMENT_METHODS), validate_choice=False
    )
    months = WholeNumberField(
        _l("Months (lump sum or back-payment)"),
        validators=[Optional(), NumberRange(min=1, max=600)],
    )
    income_basis = WholeNumberField(
        _l("Monthly income basis (đồng)"), validators=[Optional(), NumberRange(min=1, max=10**12)]
    )


class ImportForm(FlaskForm):
    kind = SelectField(
        _l("What the file holds"),
        choices=choices(
            [
                ("households", _l("Households (prospects)")),
                ("counts", _l("Official participant counts")),
            ]
        ),
    )
    file = FileField(
        _l("CSV or XLSX file"),
        validators=[
            FileRequired(),
            FileAllowed(["csv", "xlsx"], _l("A .csv or .xlsx file, please.")),
        ],
    )
