"""The field forms. They convert types; the services judge every rule (the API uses them too)."""

import uuid

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import (
    BooleanField,
    HiddenField,
    SelectField,
    StringField,
    TextAreaField,
)
from wtforms.validators import InputRequired, Length, NumberRange, Optional

from ..forms import (
    BirthDayField,
    DayField,
    MoneyField,
    WholeNumberField,
    choices,
    optional_int,
    record_id,
)
from ..vocab import (
    CONTACT_CHANNELS,
    CONTACT_OUTCOMES,
    ENROLLMENT_CATEGORIES,
    ENROLLMENT_SCHEMES,
    HOUSEHOLD_CATEGORIES,
    PAYMENT_PERIODS,
)


def new_client_token() -> str:
    return uuid.uuid4().hex


class HouseholdPickerMixin:
    household_id = HiddenField()
    household_query = StringField(
        _l("Household"),
        validators=[Length(max=120)],
        render_kw={"autocomplete": "off", "placeholder": _l("Type a name or address")},
    )


class ContactForm(HouseholdPickerMixin, FlaskForm):
    client_token = HiddenField(default=new_client_token)
    area_id = SelectField(_l("Ward or commune"), coerce=record_id, validate_choice=False)
    create_household = BooleanField(_l("New household"))
    new_head_name = StringField(_l("Head of household"), validators=[Length(max=120)])
    new_address = StringField(_l("Address"), validators=[Length(max=200)])
    new_phone = StringField(
        _l("Phone"), validators=[Length(max=20)], render_kw={"inputmode": "tel"}
    )
    new_category = SelectField(
        _l("Category"), choices=choices(HOUSEHOLD_CATEGORIES), validate_choice=False
    )
    new_different_person = BooleanField(_l("A different person: add a new household"))
    contacted_on = DayField(_l("Date"), validators=[InputRequired()])
    channel = SelectField(_l("Channel"), choices=choices(CONTACT_CHANNELS), validate_choice=False)
    outcome = SelectField(_l("Outcome"), choices=choices(CONTACT_OUTCOMES), validate_choice=False)
    people_reached = WholeNumberField(
        _l("People reached"),
        default=1,
        validators=[InputRequired(), NumberRange(min=-(10**9), max=10**9)],
        render_kw={"inputmode": "numeric", "min": 1, "max": 10000},
    )
    follow_up_on = DayField(_l("Follow up on"), validators=[Optional()])
    notes = TextAreaField(_l("Notes"), validators=[Length(max=2000)], render_kw={"rows": 3})
    session_id = SelectField(
        _l("At an awareness session"), coerce=optional_int, validate_choice=False
    )


class EnrollmentForm(HouseholdPickerMixin, FlaskForm):
    client_token = HiddenField(default=new_client_token)
    area_id = SelectField(_l("Ward or commune"), coerce=record_id, validate_choice=False)
    participant_name = StringField(
        _l("Participant's name"), validators=[InputRequired(), Length(max=120)]
    )
    citizen_id = StringField(
        _l("Citizen ID (12 digits, optional)"),
        validators=[Length(max=20)],
        render_kw={"inputmode": "numeric"},
    )
    birth_date = BirthDayField(_l("Date of birth (optional)"), validators=[Optional()])
    social_insurance_number = StringField(
        _l("Social insurance number (10 digits, optional)"),
        validators=[Length(max=20)],
        render_kw={"inputmode": "numeric"},
    )
    enrolled_on = DayField(_l("Date"), validators=[InputRequired()])
    scheme = SelectField(_l("Scheme"), choices=choices(ENROLLMENT_SCHEMES), validate_choice=False)
    category = SelectField(
        _l("Support tier"),
        choices=choices(ENROLLMENT_CATEGORIES),
        default="other",
        validate_choice=False,
    )
    income_basis = MoneyField(_l("Monthly income basis (đồng)"), validators=[Optional()])
    payment_period = SelectField(
        _l("Payment period"), choices=choices(PAYMENT_PERIODS), validate_choice=False
    )
    lump_sum_years = WholeNumberField(
        _l("Years paid ahead (lump sum, 1 to 5)"),
        validators=[Optional(), NumberRange(min=0, max=1000)],
        render_kw={"inputmode": "numeric"},
    )
    collection_org_id = SelectField(
        _l("Collection organization"), coerce=optional_int, validate_choice=False
    )
    session_id = SelectField(
        _l("At an awareness session"), coerce=optional_int, validate_choice=False
    )
