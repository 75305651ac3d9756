"""The API's published contract: every /api/v1 operation declared with spectree (pydantic v2
models, OpenAPI 3.1), served as /api/v1/openapi.json with a Swagger UI page at /api/v1/docs
whose script and styles the app serves itself (static/vendor/swagger-ui/), so it opens offline.

spectree over flask-smorest or APIFlask: it decorates the plain Flask views and blueprint we
have, with no re-architecture and no second serialization layer, and speaks pydantic v2 natively.
Requests are not re-validated by spectree: the views keep reading their input with the field
messages the contract promises (docs/design.md, "The API"); the tests hold views and models to
each other (openapi-spec-validator, schemathesis)."""

from __future__ import annotations

from flask import jsonify, render_template
from spectree import Response, SpecTree

from ..access import signed_in
from . import bp
from .schemas import ErrorResponse

spec = SpecTree(
    "flask",
    title="Outreach Tracker API",
    version="1",
    description='Errors are always {"error": {"code", "message", "fields"}}.',
    mode="strict",
    annotations=False,
)

# Every operation can answer these: not signed in, not allowed, a queue of another user's
# records (X-Expected-User), and invalid input.
COMMON_ERRORS = (401, 403, 409, 422)


def declare(*, ok: type | None = None, status: int = 200, errors=(), tags=(), **models):
    """Declare an operation: its query or json model, its answer on success, and the error
    statuses it may give beyond the common ones (always in the ErrorResponse shape)."""
    answers = {f"HTTP_{status}": ok}
    if status == 201:
        answers["HTTP_200"] = ok  # a replay of the same client_token answers the first record
    for code in sorted({*COMMON_ERRORS, *errors}):
        answers[f"HTTP_{code}"] = ErrorResponse
    return spec.validate(resp=Response(**answers), tags=tags, skip_validation=True, **models)


# A personal token (Authorization: Bearer) or the browser session; spectree 3.0 cannot emit
# security schemes given to it (it loses their type), so the document adds them itself.
SECURITY = {
    "components": {
        "token": {"type": "http", "scheme": "bearer"},
        "session": {"type": "apiKey", "in": "cookie", "name": "session"},
    },
    "security": [{"token": []}, {"session": []}],
}


def document() -> dict:
    """The OpenAPI 3.1 document, with how a client signs in."""
    built = dict(spec.spec)
    built["components"] = {**built["components"], "securitySchemes": SECURITY["components"]}
    built["security"] = SECURITY["security"]
    return built


@bp.route("/openapi.json")
@signed_in
def openapi():
    return jsonify(document())


@bp.route("/docs")
@signed_in
def docs():
    return render_template("api/docs.html")
