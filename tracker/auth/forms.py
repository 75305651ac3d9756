from flask_babel import lazy_gettext as _l
from flask_login import current_user
from flask_wtf import FlaskForm
from wtforms import BooleanField, HiddenField, PasswordField, SelectField, StringField
from wtforms.validators import DataRequired, EqualTo, Length, ValidationError

from ..forms import choices
from ..services.passwords import password_problem
from ..vocab import LOCALES


class LoginForm(FlaskForm):
    username = StringField(_l("Username"), validators=[DataRequired(), Length(max=64)])
    password = PasswordField(_l("Password"), validators=[DataRequired(), Length(max=200)])
    remember = BooleanField(_l("Keep me signed in on this device"))
    next = HiddenField()


class NewPasswordMixin:
    """The new password is checked against the policy and the account's username: the form's
    own username field, `account_username` set by the view, or the signed-in user's."""

    account_username: str | None = None

    def validate_new_password(self, field):
        username = self.account_username
        if username is None and hasattr(self, "username"):
            username = self.username.data
        if username is None and current_user.is_authenticated:
            username = current_user.username
        problem = password_problem(field.data or "", username)
        if problem:
            raise ValidationError(problem)


class ChangePasswordForm(NewPasswordMixin, FlaskForm):
    current_password = PasswordField(_l("Current password"), validators=[DataRequired()])
    new_password = PasswordField(_l("New password"), validators=[DataRequired(), Length(max=200)])
    confirm = PasswordField(
        _l("Repeat the new password"),
        validators=[DataRequired(), EqualTo("new_password", _l("The two passwords differ."))],
    )


class LanguageForm(FlaskForm):
    locale = SelectField(choices=choices(LOCALES))
    next = HiddenField()


class TokenForm(FlaskForm):
    name = StringField(
        _l("Name (where you will use it)"), validators=[DataRequired(), Length(max=80)]
    )
