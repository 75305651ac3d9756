from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from flask_wtf.file import FileField, FileRequired
from wtforms import (
    BooleanField,
    DateField,
    PasswordField,
    SelectField,
    SelectMultipleField,
    StringField,
    TextAreaField,
)
from wtforms.validators import (
    DataRequired,
    Length,
    NumberRange,
    Optional,
    Regexp,
    ValidationError,
)

from ..forms import NewPasswordMixin, WholeNumberField, choices, optional_int, record_id
from ..vocab import AREA_KINDS, COLLECTION_ORG_KINDS, LOCALES, ROLES


class UserForm(FlaskForm):
    username = StringField(
        _l("Username"),
        validators=[
            DataRequired(),
            Length(min=3, max=64),
            Regexp(
                r"^[A-Za-z0-9._-]+$",
                message=_l("Letters without accents, digits, dot, dash or underscore."),
            ),
        ],
    )
    full_name = StringField(_l("Full name"), validators=[DataRequired(), Length(max=120)])
    role = SelectField(_l("Role"), choices=choices(ROLES))
    supervisor_id = SelectField(_l("Supervisor"), coerce=optional_int, validate_choice=True)
    office_id = SelectField(_l("Office"), coerce=optional_int, validate_choice=True)
    area_ids = SelectMultipleField(_l("Wards and communes covered"), coerce=record_id)
    primary_area_id = SelectField(_l("Primary ward or commune"), coerce=optional_int)
    locale = SelectField(_l("Language"), choices=choices(LOCALES))
    active = BooleanField(_l("Active"), default=True)

    def validate_primary_area_id(self, field):
        if field.data is not None and field.data not in (self.area_ids.data or []):
            raise ValidationError(_l("The primary area must be one of the areas covered."))


class NewUserForm(NewPasswordMixin, UserForm):
    new_password = PasswordField(_l("Initial password"), validators=[DataRequired()])


class ResetPasswordForm(NewPasswordMixin, FlaskForm):
    new_password = PasswordField(_l("Temporary password"), validators=[DataRequired()])


class AreaForm(FlaskForm):
    code = StringField(
        _l("Code"),
        validators=[
            DataRequired(),
            Length(max=32),
            Regexp(r"^[A-Za-z0-9._-]+$", message=_l("Letters, digits, dot, dash or underscore.")),
        ],
    )
    name = StringField(_l("Name"), validators=[DataRequired(), Length(max=120)])
    kind = SelectField(_l("Kind"), choices=choices(AREA_KINDS))
    parent_id = SelectField(_l("Part of"), coerce=optional_int)
    households = WholeNumberField(
        _l("Households"), validators=[Optional(), NumberRange(min=0, max=10_000_000)]
    )
    working_age_population = WholeNumberField(
        _l("Working-age population"), validators=[Optional(), NumberRange(min=0, max=100_000_000)]
    )
    valid_from = DateField(_l("Exists from"), validators=[Optional()])
    valid_to = DateField(_l("Ends on (the first day it no longer exists)"), validators=[Optional()])


class CollectionOrgForm(FlaskForm):
    name = StringField(_l("Name"), validators=[DataRequired(), Length(max=160)])
    kind = SelectField(_l("Kind"), choices=choices(COLLECTION_ORG_KINDS))
    area_ids = SelectMultipleField(_l("Areas covered"), coerce=record_id)
    active = BooleanField(_l("Active"), default=True)


class OfficeForm(FlaskForm):
    code = StringField(
        _l("Code"),
        validators=[
            DataRequired(),
            Length(max=32),
            Regexp(r"^[A-Za-z0-9._-]+$", message=_l("Letters, digits, dot, dash or underscore.")),
        ],
    )
    name = StringField(_l("Name"), validators=[DataRequired(), Length(max=160)])
    active = BooleanField(_l("Active"), default=True)
    keep = SelectMultipleField(_l("Areas covered"), coerce=int)
    add_codes = StringField(_l("Add areas by code"), validators=[Optional(), Length(max=2000)])
    add_on = DateField(_l("as they were on"), validators=[Optional()])


class ReorganisationForm(FlaskForm):
    """One change, described as people do; the preview shows what it means before it is
    applied."""

    kind = SelectField(_l("Change"), choices=[])
    effective_on = DateField(_l("Effective date"), validators=[DataRequired()])
    source = StringField(_l("Decision"), validators=[Optional(), Length(max=200)])
    old = SelectMultipleField(_l("Units that end"), coerce=int)
    into = SelectField(_l("Into a unit that goes on"), coerce=optional_int)
    new_code = StringField(_l("New unit's code"), validators=[Optional(), Length(max=32)])
    new_name = StringField(_l("New unit's name"), validators=[Optional(), Length(max=120)])
    new_kind = SelectField(_l("New unit's kind"), choices=[])
    parent = SelectField(_l("Part of"), coerce=optional_int)
    parts = TextAreaField(
        _l("Units it splits into: one per line, code; name; share in %"),
        validators=[Optional(), Length(max=4000)],
    )


class MappingFileForm(FlaskForm):
    file = FileField(_l("Mapping file (CSV or XLSX)"), validators=[FileRequired()])
    source = StringField(_l("Decision"), validators=[Optional(), Length(max=200)])


class BasisRuleForm(FlaskForm):
    """A new income basis rule: the poverty line and 20 × the base salary from a date on."""

    valid_from = DateField(_l("In force from"), validators=[DataRequired()])
    last_day = DateField(
        _l("Last day in force (empty: until a later rule)"), validators=[Optional()]
    )
    contribution_percent = WholeNumberField(
        _l("Contribution (percent of the basis)"),
        default=22,
        validators=[DataRequired(), NumberRange(min=1, max=100)],
    )
    minimum_basis = WholeNumberField(
        _l("Minimum basis: the rural poverty line (đồng)"),
        validators=[DataRequired(), NumberRange(min=1, max=10**12)],
        render_kw={"inputmode": "numeric"},
    )
    maximum_basis = WholeNumberField(
        _l("Maximum basis: 20 × the base salary (đồng)"),
        validators=[DataRequired(), NumberRange(min=1, max=10**12)],
        render_kw={"inputmode": "numeric"},
    )
    source = StringField(
        _l("Source (decree or decision)"), validators=[DataRequired(), Length(max=200)]
    )


class SupportRuleForm(FlaskForm):
    """New support rates: a percentage of the minimum contribution per category."""

    valid_from = DateField(_l("In force from"), validators=[DataRequired()])
    last_day = DateField(
        _l("Last day in force (empty: until a later rule)"), validators=[Optional()]
    )
    poor = WholeNumberField(
        _l("Poor household (%)"), validators=[Optional(), NumberRange(min=0, max=100)]
    )
    near_poor = WholeNumberField(
        _l("Near-poor household (%)"), validators=[Optional(), NumberRange(min=0, max=100)]
    )
    ethnic_minority = WholeNumberField(
        _l("Ethnic minority (%)"), validators=[Optional(), NumberRange(min=0, max=100)]
    )
    other = WholeNumberField(_l("Other (%)"), validators=[Optional(), NumberRange(min=0, max=100)])
    source = StringField(
        _l("Source (decree or decision)"), validators=[DataRequired(), Length(max=200)]
    )


class SettingsForm(FlaskForm):
    lapse_grace_days = WholeNumberField(
        _l("Days of grace before a participant lapses"),
        validators=[DataRequired(), NumberRange(min=0, max=365)],
    )
    credit_confirmed_only = BooleanField(_l("Officers' credit rests on the insurer's confirmation"))
