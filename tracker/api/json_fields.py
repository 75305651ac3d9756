"""How the API reads a JSON body, and its fields: each as the type it must be, or a message."""

from __future__ import annotations

from datetime import date

from flask import abort, request
from flask_babel import gettext as _

from .. import parsing
from ..errors import json_error


def json_body() -> dict:
    """The request's JSON object; malformed JSON is a 400, a non-object a 422."""
    try:
        body = request.get_json(silent=True)
    except RecursionError:  # absurdly nested JSON: malformed as far as we are concerned
        body = None
    if body is None:
        abort(json_error(400, _("The body is not valid JSON."), "malformed_json"))
    if not isinstance(body, dict):
        abort(json_error(422, _("The body must be a JSON object."), "invalid"))
    return body


class JSONFields:
    """Read typed fields from a JSON object, collecting a message per bad field: a field is
    only used once it is known to be text, a whole number the database holds, or a day (a list
    where text was expected once reached a dictionary lookup and made a 500)."""

    def __init__(self, body: dict):
        self.body, self.errors = body, {}

    def text(self, name: str, required: bool = False) -> str | None:
        value = self.body.get(name)
        if value is None and not required:
            return None
        if not isinstance(value, str):
            self.errors[name] = _("Required, as text.") if required else _("Text, if given.")
            return None
        return value

    def integer(self, name: str, required: bool = False) -> int | None:
        """A JSON number that is whole and fits the database (ids and counts alike)."""
        value = self.body.get(name)
        if value is None and not required:
            return None
        number = parsing.whole_number(value) if isinstance(value, int) else None
        if number is None:
            self.errors[name] = (
                _("Required, as a whole number.") if required else _("A whole number, if given.")
            )
        return number

    def day(
        self, name: str, required: bool = False, earliest: date = parsing.FIRST_DAY
    ) -> date | None:
        """YYYY-MM-DD within the office's years (a date of birth passes an earlier day)."""
        value = self.body.get(name)
        if value is None and not required:
            return None
        parsed = parsing.day(value, earliest) if isinstance(value, str) else None
        if parsed is None:
            self.errors[name] = _("A date as YYYY-MM-DD.")
        return parsed
