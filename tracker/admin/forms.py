from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import (
    BooleanField,
    IntegerField,
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
from ..vocab import AREA_KINDS, COLLECTION_ORG_KINDS, LOCALES, ROLES


def optional_int(value):
    return int(value) if value not in (None, "", "None") else None


class UserForm(FlaskForm):
    username = StringField(
        _l("Username"),
        validators=[
            DataRequired(),
            Length(min=3, max=64),
            Regexp(r"^[A-Za-z0-9._-]+$",
                   message=_l("Letters without accents, digits, dot, dash or underscore.")),
        ],
    )
    full_name = StringField(_l("Full name"), validators=[DataRequired(), Length(max=120)])
    role = SelectField(_l("Role"), choices=list(ROLES.items()))
    supervisor_id = SelectField(_l("Supervisor"), coerce=optional_int, validate_choice=True)
    area_ids = SelectMultipleField(_l("Wards and communes covered"), coerce=int)
    primary_area_id = SelectField(_l("Primary ward or commune"), coerce=optional_int)
    locale = SelectField(_l("Language"), choices=list(LOCALES.items()))
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
        validators=[DataRequired(), Length(max=32),
                    Regexp(r"^[A-Za-z0-9._-]+$", message=_l("Letters, digits, dot or dash."))],
    )
    name = StringField(_l("Name"), validators=[DataRequired(), Length(max=120)])
    kind = SelectField(_l("Kind"), choices=list(AREA_KINDS.items()))
    parent_id = SelectField(_l("Part of"), coerce=optional_int)
    households = IntegerField(_l("Households"),
                              validators=[Optional(), NumberRange(min=0, max=10_000_000)])
    working_age_population = IntegerField(
        _l("Working-age population"), validators=[Optional(), NumberRange(min=0, max=100_000_000)]
    )


class CollectionOrgForm(FlaskForm):
    name = StringField(_l("Name"), validators=[DataRequired(), Length(max=160)])
    kind = SelectField(_l("Kind"), choices=list(COLLECTION_ORG_KINDS.items()))
    area_ids = SelectMultipleField(_l("Areas covered"), coerce=int)
    active = BooleanField(_l("Active"), default=True)
