"""Friendly error pages for browsers, JSON errors for the API (docs/design.md, "The API"), and
the one error a service raises when input breaks a rule (RuleBroken), with its two renderers:
on a form's fields, and as the API's error JSON."""

from __future__ import annotations

from flask import Flask, Response, current_app, jsonify, render_template, request
from flask_babel import gettext as _
from flask_wtf.csrf import CSRFError
from werkzeug.exceptions import HTTPException

from .error_messages import MESSAGES
from .extensions import db
from .health import storage_failure


class RuleBroken(Exception):
    """Input that breaks a rule: {field: code} (codes are error_messages.MESSAGES' keys), the
    values the messages interpolate, and the HTTP status the API answers (422, or 403/404).
    A field's code may come as (code, {params}) when its values are its own (two fields too
    long, each with its maximum)."""

    def __init__(
        self, field: str | dict[str, str], code: str | None = None, *, status=422, **params
    ):
        given = dict(field) if isinstance(field, dict) else {field: code}
        self.fields = {f: c[0] if isinstance(c, tuple) else c for f, c in given.items()}
        self.field_params = {f: c[1] for f, c in given.items() if isinstance(c, tuple)}
        self.params, self.status = params, status
        super().__init__(self.fields)

    @property
    def field(self) -> str:
        return next(iter(self.fields))

    @property
    def code(self) -> str:
        return self.fields[self.field]

    def messages(self) -> dict[str, str]:
        return {
            field: message(code, **{**self.params, **self.field_params.get(field, {})})
            for field, code in self.fields.items()
        }

    def text(self) -> str:
        """Every message in one line, for a flash or a page's single error."""
        return " ".join(self.messages().values())


def message(code: str, **params) -> str:
    """The translated text of a code (a code that has none is shown as itself)."""
    text = MESSAGES.get(code)
    if text is None:
        return code
    return str(text) % params if params else str(text)


def on_form(form, error: RuleBroken, names: dict[str, str] | None = None) -> None:
    """Show each broken rule under its field, or above the form when the form has no such
    field; `names` maps a service's field name to the form's where they differ."""
    for field, text in error.messages().items():
        target = getattr(form, (names or {}).get(field, field), None) if field != "form" else None
        (target.errors if hasattr(target, "errors") else form.form_errors).append(text)


def rule_json(error: RuleBroken) -> Response:
    """The API's answer: 422 names each field with its message; 403 and 404 say why."""
    if error.status == 403:
        return json_error(403, message(error.code, **error.params), "forbidden")
    if error.status == 404:
        fields = dict.fromkeys(error.fields, "")
        return json_error(404, message(error.code, **error.params), "not_found", fields)
    return json_error(error.status, _("Some fields are not valid."), "invalid", error.messages())


def _handle_rule_broken(error: RuleBroken):
    """A rule a view did not put on a form: JSON for the API, else the error page."""
    db.session.rollback()
    if _wants_json():
        return rule_json(error)
    return render_template("error.html", status=error.status, message=error.text()), error.status


def _messages() -> dict[int, str]:
    return {
        400: _("The request could not be understood."),
        401: _("Sign in first."),
        403: _("You are not allowed to do this."),
        404: _("There is nothing here."),
        405: _("This action is not allowed here."),
        413: _("What you sent is too large."),
        422: _("Some fields are not valid."),
        429: _("Too many attempts. Please wait a few minutes and try again."),
        500: _("Something went wrong on our side. Nothing was saved; please try again."),
    }


def json_error(status: int, message: str, code: str | None = None, fields=None) -> Response:
    """The API's error shape (docs/design.md): {"error": {"code", "message", "fields"}}."""
    body = {"error": {"code": code or str(status), "message": message, "fields": fields or {}}}
    response = jsonify(body)
    response.status_code = status
    return response


def _wants_json() -> bool:
    return request.path.startswith("/api/") or request.path == "/healthz"


def _handle_http_error(error: HTTPException):
    status = error.code or 500
    message = _messages().get(status, error.description or "")
    custom = error.description and error.description != type(error).description
    if custom and status in (400, 403, 404, 422):
        message = error.description  # a view's own, already translated explanation
    if isinstance(error, CSRFError):
        message = _("The form has expired or was sent from elsewhere. Please try again.")
    if _wants_json():
        code = error.name.lower().replace(" ", "_") if error.name else str(status)
        return json_error(status, message, code)
    return render_template("error.html", status=status, message=message), status


def _storage_message() -> str:
    return _(
        "The server cannot save anything right now: its disk is full or read-only. "
        "Nothing was saved. Please tell your administrator."
    )


def _handle_unexpected(error: Exception):
    """Roll back whatever the request had half-written, log it, and apologise; a full or
    read-only disk is said as such to the user and logged CRITICAL for whoever runs the server."""
    db.session.rollback()
    failure = storage_failure(error)
    if failure is not None:
        current_app.logger.critical(
            "STORAGE FAILURE (%s) on %s %s: nothing can be written",
            failure,
            request.method,
            request.path,
            exc_info=error,
        )
        if _wants_json():
            return json_error(503, _storage_message(), "storage_unavailable")
        return render_template("error.html", status=503, message=_storage_message()), 503
    if current_app.testing:
        raise error  # tests see the real traceback, not a friendly page
    current_app.logger.exception("unhandled error", exc_info=error)
    message = _messages()[500]
    if _wants_json():
        return json_error(500, message, "internal_error")
    return render_template("error.html", status=500, message=message), 500


def init_app(app: Flask) -> None:
    app.register_error_handler(HTTPException, _handle_http_error)
    app.register_error_handler(RuleBroken, _handle_rule_broken)
    app.register_error_handler(Exception, _handle_unexpected)
