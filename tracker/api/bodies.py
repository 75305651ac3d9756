"""A JSON body read by its declared pydantic model (tracker/api/schemas.py): the declaration
is the validation, and each bad field gets the message the contract has always given."""

from __future__ import annotations

from flask_babel import gettext as _
from pydantic import BaseModel, ValidationError


def _message(model: type[BaseModel], name: str) -> str:
    """What the field must be, from its declared type."""
    field = model.model_fields.get(name)
    if field is None:
        return _("Some fields are not valid.")
    required, kind = field.is_required(), str(field.annotation)
    if "date" in kind:
        return _("A date as YYYY-MM-DD.")
    if "int" in kind:
        return _("Required, as a whole number.") if required else _("A whole number, if given.")
    return _("Required, as text.") if required else _("Text, if given.")


def read(model: type[BaseModel], body: dict):
    """(the model, {}) when the body fits; (None, {field: message}) when it does not. Strict:
    true is not 1 and 1 is not "1", as before."""
    try:
        return model.model_validate(body, strict=True), {}
    except ValidationError as error:
        fields = {}
        for problem in error.errors():
            name = str(problem["loc"][0]) if problem["loc"] else "body"
            fields.setdefault(name, _message(model, name))
        return None, fields
