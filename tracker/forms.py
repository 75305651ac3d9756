"""Helpers shared by the FlaskForm classes that live beside their blueprints. Numbers, ids and
dates are read by tracker.parsing, so a form refuses what the database could not hold."""

from __future__ import annotations

from collections.abc import Iterable, Mapping

from babel.numbers import get_group_symbol
from flask_babel import format_decimal, get_locale
from flask_babel import gettext as _
from flask_login import current_user
from wtforms import DateField, IntegerField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import ValidationError
from wtforms.widgets import TextInput

from . import parsing
from .services.passwords import password_problem


def choices(options: Mapping | Iterable[tuple]) -> list[SelectChoice]:
    """Select options from a vocabulary dict or (value, label) pairs."""
    pairs = options.items() if isinstance(options, Mapping) else options
    return [SelectChoice(value, label) for value, label in pairs]


def record_id(value) -> int:
    """Coerce a select's value to an id; anything else is a ValueError (a form error)."""
    number = parsing.record_id(value)
    if number is None:
        raise ValueError(value)
    return number


def optional_int(value) -> int | None:
    """Coerce a select's value to an id, with the empty choice meaning None."""
    return record_id(value) if value not in (None, "", "None") else None


class WholeNumberField(IntegerField):
    """An IntegerField that reads ASCII digits only and refuses numbers no column could hold,
    while reading the form, before any validator runs (WTForms' own accepts "١٢" and "1_0", and
    NumberRange cannot compare an int too large for a float)."""

    LIMIT = parsing.DB_INT_MAX

    def process_formdata(self, valuelist):
        if not valuelist:
            return
        self.data = parsing.whole_number(valuelist[0], -self.LIMIT, self.LIMIT)
        if self.data is None:
            raise ValueError(_("A whole number, please."))


class MoneyField(IntegerField):
    """An amount of đồng shown and typed with the reader's thousands separators ("3.000.000" in
    Vietnamese, "3,000,000" in English; tracker.parsing.grouped_number reads it), on a text input
    (a number input cannot show them) that opens the phone's digit keyboard. Its range error is
    in the reader's number format too."""

    widget = TextInput()

    def __init__(self, label=None, validators=None, minimum: int = 0, maximum=None, **kwargs):
        render_kw = {"inputmode": "numeric", "autocomplete": "off", **kwargs.pop("render_kw", {})}
        super().__init__(label, validators, render_kw=render_kw, **kwargs)
        self.minimum, self.maximum = minimum, maximum or parsing.DB_INT_MAX

    def process_formdata(self, valuelist):
        if not valuelist or not valuelist[0].strip():
            self.data = None
            return
        group = get_group_symbol(str(get_locale()))
        self.data = parsing.grouped_number(valuelist[0], group, -parsing.DB_INT_MAX)
        if self.data is None:
            raise ValueError(
                _("A whole number of đồng, such as %(example)s.", example=format_decimal(3_000_000))
            )

    def pre_validate(self, form):
        if self.data is not None and not self.minimum <= self.data <= self.maximum:
            raise ValidationError(
                _(
                    "From %(low)s to %(high)s đồng.",
                    low=format_decimal(self.minimum),
                    high=format_decimal(self.maximum),
                )
            )

    def _value(self):
        if self.raw_data and self.errors:
            return self.raw_data[0]
        return format_decimal(self.data) if self.data is not None else ""


class DayField(DateField):
    """A date typed as YYYY-MM-DD (ASCII digits), within the years the office works in."""

    earliest = parsing.FIRST_DAY

    def process_formdata(self, valuelist):
        if not valuelist or not valuelist[0]:
            return
        self.data = parsing.day(valuelist[0], self.earliest)
        if self.data is None:
            raise ValueError(
                _(
                    "A date as YYYY-MM-DD, from %(first)s to %(last)s.",
                    first=self.earliest.year,
                    last=parsing.LAST_DAY.year,
                )
            )


class BirthDayField(DayField):
    """A date of birth: from 1900 on."""

    earliest = parsing.EARLIEST_BIRTH


def valid_month(_form, field) -> None:
    """A month as YYYY-MM within the office's years."""
    if parsing.month(field.data or "") is None:
        raise ValidationError(_("A month as YYYY-MM."))


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
