from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import (
    BooleanField,
    PasswordField,
    SelectField,
    SelectMultipleField,
    StringField,
)
from wtforms.validators import (
    DataRequired,
    Length,
    NumberRange,
    Optional,
    Regexp,
    ValidationError,
)

from ..auth.forms import NewPasswordMixin
from ..forms import WholeNumberField, choices, optional_int, record_id
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


class CollectionOrgForm(FlaskForm):
    name = StringField(_l("Name"), validators=[DataRequired(), Length(max=160)])
    kind = SelectField(_l("Kind"), choices=choices(COLLECTION_ORG_KINDS))
    area_ids = SelectMultipleField(_l("Areas covered"), coerce=record_id)
    active = BooleanField(_l("Active"), default=True)
