"""Helpers shared by the FlaskForm classes that live beside their blueprints."""

from __future__ import annotations

from collections.abc import Iterable, Mapping

from flask_babel import gettext as _
from wtforms import IntegerField
from wtforms.fields.choices import SelectChoice


def choices(options: Mapping | Iterable[tuple]) -> list[SelectChoice]:
    """Select options from a vocabulary dict or (value, label) pairs."""
    pairs = options.items() if isinstance(options, Mapping) else options
    return [SelectChoice(value, label) for value, label in pairs]


def optional_int(value) -> int | None:
    """Coerce a select's value to an id, with the empty choice meaning None."""
    return int(value) if value not in (None, "", "None") else None


class WholeNumberField(IntegerField):
    """An IntegerField that refuses absurdly large numbers while reading the form, before any
    validator runs (WTForms' NumberRange cannot compare an int too large for a float)."""

    LIMIT = 10**15

    def process_formdata(self, valuelist):
        super().process_formdata(valuelist)
        if self.data is not None and abs(self.data) > self.LIMIT:
            self.data = None
            raise ValueError(_("A whole number, please."))
