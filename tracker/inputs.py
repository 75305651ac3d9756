"""The one filter every request's text passes on its way in: query strings, form fields, file
names, JSON strings and the path.

- Text is normalised to NFC. Vietnamese can be typed as composed letters ("ệ", one code point)
  or decomposed ones ("e" and two combining marks): phones and spreadsheets send both, and the
  two would never match in search, duplicate checks or unique keys.
- Text holding a NUL character or a lone surrogate (valid JSON, "\\ud800") is refused before any
  view runs: PostgreSQL refuses to store NUL, neither database driver can encode a surrogate,
  and both errors used to surface as 500s after half a request had run.
Views and services therefore only ever see clean text (imports clean their cells with `clean`).
"""

from __future__ import annotations

import json
import re
import unicodedata
from typing import Any

from flask import Flask, abort, current_app, request
from flask import Request as FlaskRequest
from flask_babel import gettext as _
from werkzeug.datastructures import FileStorage, ImmutableMultiDict

from .errors import json_error

_UNSTORABLE = re.compile("[\x00\ud800-\udfff]")


def nfc(text: str) -> str:
    return text if unicodedata.is_normalized("NFC", text) else unicodedata.normalize("NFC", text)


def storable(text: str) -> bool:
    """False for text neither database can hold: NUL, or half of a UTF-16 surrogate pair."""
    return _UNSTORABLE.search(text) is None


def clean(value: Any) -> Any:
    """NFC for a string, and for every string inside lists and dicts (keys too)."""
    if isinstance(value, str):
        return nfc(value)
    if isinstance(value, list):
        return [clean(item) for item in value]
    if isinstance(value, dict):
        return {clean(key): clean(item) for key, item in value.items()}
    return value


class TextParameters(ImmutableMultiDict):
    """Werkzeug builds args, form and files with this class (`parameter_storage_class`), from
    a list of (name, value) pairs: names and text values arrive normalised."""

    def __init__(self, mapping=None):
        if isinstance(mapping, list):
            mapping = [
                (nfc(key) if isinstance(key, str) else key, clean(value)) for key, value in mapping
            ]
        super().__init__(mapping)


class _BodyJSON:
    """How Request.get_json reads a body: strings normalised; nesting too deep to walk is
    malformed JSON (a 400), not a RecursionError."""

    @staticmethod
    def loads(data, **kwargs):
        try:
            return clean(json.loads(data, **kwargs))
        except RecursionError as error:
            raise ValueError("JSON nested too deeply") from error


UPLOAD_LIMIT = "upload_limit"


def uploads_up_to(size: int):
    """A view whose uploads may be larger than MAX_CONTENT_LENGTH (the insurer's list). The
    limit must hold before anything reads the body, and the checks above read it before any
    view runs, so the request asks its view for it."""

    def decorator(view):
        setattr(view, UPLOAD_LIMIT, size)
        return view

    return decorator


class Request(FlaskRequest):
    parameter_storage_class = TextParameters

    @property
    def max_content_length(self) -> int | None:
        view = current_app.view_functions.get(self.endpoint) if self.endpoint else None
        limit = getattr(view, UPLOAD_LIMIT, None)
        return limit if limit is not None else super().max_content_length

    @max_content_length.setter
    def max_content_length(self, value: int | None) -> None:
        FlaskRequest.max_content_length.fset(self, value)

    @property
    def json_module(self):
        return _BodyJSON

    @json_module.setter
    def json_module(self, _provider) -> None:
        """Flask hands each request the app's JSON provider; bodies are read as above."""


def form_json(text: str) -> Any:
    """JSON carried inside one form field (a preview's rows sent back to be applied), read as a
    JSON body is: NFC, and None when it is malformed or holds what no database stores. The
    filter above sees the field's text, where a NUL or a lone surrogate is only an escape
    ("\\u0000"); here they become characters, so they are refused here."""
    try:
        value = _BodyJSON.loads(text)
    except ValueError:
        return None
    return value if _first_unstorable(value, "") is None else None


def _first_unstorable(value: Any, name: str) -> str | None:
    """The name (a dotted path into JSON) of the first value that cannot be stored."""
    if isinstance(value, str):
        return None if storable(value) else name
    if isinstance(value, FileStorage):
        return _first_unstorable(value.filename or "", name)
    if isinstance(value, list):
        for index, item in enumerate(value):
            if found := _first_unstorable(item, f"{name}[{index}]"):
                return found
    if isinstance(value, dict):
        for key, item in value.items():
            child = f"{name}.{key}" if name else str(key)
            if not storable(str(key)):
                return child
            if found := _first_unstorable(item, child):
                return found
    return None


def _refuse_unstorable():
    """Before any view: a request carrying unstorable text is refused, and nothing runs."""
    found = None if storable(request.path) else "path"
    for source in (request.args, request.form, request.files):
        for key, values in source.lists():
            found = found or _first_unstorable({key: values[0] if len(values) == 1 else values}, "")
    if request.is_json:
        found = found or _first_unstorable(request.get_json(silent=True), "")
    if found is None:
        return None
    message = _("Text cannot hold a NUL character or broken Unicode (a lone surrogate).")
    if request.path.startswith("/api/"):
        abort(json_error(422, _("Some fields are not valid."), "invalid", {found: message}))
    abort(400, description=message)


def init_app(app: Flask) -> None:
    app.request_class = Request
    app.before_request(_refuse_unstorable)
