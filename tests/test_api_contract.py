"""The API's published contract (tracker/api/spec.py): a valid OpenAPI 3.1 document, signed-in
readers only, and every operation fuzzed by schemathesis against the live app (its WSGI app, on
SQLite and PostgreSQL alike) with a personal token: no 5xx, nothing outside its declaration.

No stateful run: no operation takes what another answers (there is no GET by id), so the
document has no links to follow."""

from __future__ import annotations

import re

import pytest
import schemathesis
from hypothesis import HealthCheck, settings
from openapi_spec_validator import validate
from schemathesis.checks import (
    content_type_conformance,
    not_a_server_error,
    response_schema_conformance,
    status_code_conformance,
)
from sqlalchemy import select

from tests.conftest import BASE_CONFIG
from tests.factories import make_area, make_household, make_officer, make_org, make_user
from tracker import create_app
from tracker.api.spec import document as document_of_the_api
from tracker.dates import local_today
from tracker.extensions import db
from tracker.models import Area, User
from tracker.services import tokens

OPERATIONS = {
    ("GET", "/api/v1/me"),
    ("GET", "/api/v1/progress"),
    ("PUT", "/api/v1/targets"),
    ("GET", "/api/v1/leaderboard/officers"),
    ("GET", "/api/v1/leaderboard/areas"),
    ("GET", "/api/v1/areas"),
    ("GET", "/api/v1/contribution"),
    ("POST", "/api/v1/contacts"),
    ("POST", "/api/v1/enrollments"),
    ("GET", "/api/v1/households"),
    ("GET", "/api/v1/households/mine"),
    ("GET", "/api/v1/households/duplicates"),
}
CHECKS = [
    not_a_server_error,
    status_code_conformance,
    content_type_conformance,
    response_schema_conformance,
]


@pytest.fixture
def token(app) -> str:
    """An administrator's personal token (every API operation is open to that role), over a
    ward with an officer, a household and an organization, so some generated ids are real ones."""
    ward = make_area("Kim Tân")
    admin = make_user("admin", role="admin", areas=[ward])
    make_officer("lan", areas=[ward])
    make_household(ward, "Nguyễn Văn A")
    make_org()
    made = tokens.create(admin, "schemathesis")
    db.session.commit()
    return made


@pytest.fixture
def bearer(token) -> dict:
    # Schemathesis reads the body as sent: the contract is the content, not its compression
    # (tests/test_fresh.py holds that answers are compressed).
    return {"Authorization": f"Bearer {token}", "Accept-Encoding": "identity"}


@pytest.fixture
def document(app, client, bearer) -> dict:
    response = client.get("/api/v1/openapi.json", headers=bearer)
    assert response.status_code == 200
    return response.json


def test_the_document_is_valid_openapi_and_declares_every_operation(document):
    validate(document)
    assert document["openapi"].startswith("3.1")
    declared = {
        (method.upper(), path) for path, item in document["paths"].items() for method in item
    }
    assert declared == OPERATIONS
    for path, item in document["paths"].items():
        for method, operation in item.items():
            errors = {"401", "403", "422"}
            assert errors <= set(operation["responses"]), (method, path)


def test_every_api_route_is_declared(app):
    """A new /api/v1 route that is not declared would be missing from the document."""
    routes = {
        (method, rule.rule)
        for rule in app.url_map.iter_rules()
        if rule.rule.startswith("/api/v1/") and rule.endpoint not in ("api.openapi", "api.docs")
        for method in rule.methods - {"HEAD", "OPTIONS"}
    }
    assert routes == OPERATIONS


def test_the_document_and_its_page_are_for_signed_in_users(client, bearer):
    assert client.get("/api/v1/openapi.json").status_code == 401
    assert client.get("/api/v1/docs").status_code == 401
    page = client.get("/api/v1/docs", headers=bearer)
    text = page.get_data(as_text=True)
    assert page.status_code == 200
    bundle = re.search(r'src="(/static/vendor/swagger-ui/swagger-ui-bundle[.\w]*\.js)"', text)
    assert bundle, "the page loads Swagger UI from our own static files"
    assert "http" not in text.split("<body>")[1]  # nothing from elsewhere
    assert client.get(bundle[1]).status_code == 200


def _published_document() -> dict:
    """The document as the app publishes it (building it reads the routes, not the database:
    schemathesis's lazy loader does not run under this pytest, so the schema is loaded here and
    each case is sent to the test's own app)."""
    app = create_app({**BASE_CONFIG, "SQLALCHEMY_DATABASE_URI": "sqlite://"})
    with app.test_request_context():
        return document_of_the_api()


schema = schemathesis.openapi.from_dict(_published_document())


@schema.parametrize()
@settings(
    max_examples=25,
    deadline=None,
    derandomize=True,
    suppress_health_check=list(HealthCheck),
)
def test_every_operation_keeps_its_contract(case, app, bearer):
    case.call_and_validate(app=app, headers=bearer, checks=CHECKS)


def test_writes_that_succeed_keep_their_contract(app, token, bearer):
    """Random bodies seldom name a real ward: a contact, an enrollment (and their replays) and
    a target that are written, each held to its declared answer."""
    ward = db.session.scalar(select(Area).where(Area.name == "Kim Tân"))
    lan = db.session.scalar(select(User).where(User.username == "lan"))
    today = local_today().isoformat()
    contact = {
        "client_token": "c-1",
        "area": ward.id,
        "contacted_on": today,
        "channel": "phone",
        "outcome": "informed",
        "people_reached": 1,
        "new_household": {"head_name": "Trần Thị B", "address": "Số 1", "phone": "0912345678"},
    }
    enrollment = {
        "client_token": "e-1",
        "area": ward.id,
        "participant_name": "Nguyễn Văn A",
        "enrolled_on": today,
        "scheme": "voluntary_si",
        "category": "near_poor",
    }
    target = {
        "subject": "officer",
        "id": lan.id,
        "metric": "new_participants",
        "period": str(local_today().year + 1),
        "value": 12,
    }
    writes = [
        ("/api/v1/contacts", "POST", contact, 201),
        ("/api/v1/contacts", "POST", contact, 200),
        ("/api/v1/enrollments", "POST", enrollment, 201),
        ("/api/v1/enrollments", "POST", enrollment, 200),
        ("/api/v1/targets", "PUT", target, 200),
    ]
    for path, method, body, status in writes:
        case = schema[path][method].Case(body=body, media_type="application/json")
        response = case.call_and_validate(app=app, headers=bearer, checks=CHECKS)
        assert response.status_code == status, (path, response.json())
