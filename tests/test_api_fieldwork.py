"""POST /api/v1/contacts and /enrollments: 201, replays, field errors, roles, tokens."""

from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import func, select

from tests.factories import make_area, make_household, make_officer, make_user
from tracker.dates import local_today
from tracker.extensions import db
from tracker.models import ApiToken, Contact, Enrollment


@pytest.fixture
def officer(app):
    ward = make_area("Kim Tân")
    lan = make_officer("lan", areas=[ward], full_name="Lan")
    lan.created_at = datetime(2023, 1, 1, tzinfo=UTC)
    db.session.commit()
    return lan, ward, make_household(ward, "Nguyễn Văn A")


def contact_body(ward, **extra):
    return {
        "client_token": "c-1",
        "area": ward.id,
        "contacted_on": local_today().isoformat(),
        "channel": "phone",
        "outcome": "informed",
        "people_reached": 1,
        "notes": "",
        **extra,
    }


def count(model):
    return db.session.scalar(select(func.count()).select_from(model))


def test_post_contact_then_replay(officer, client, auth):
    lan, ward, home = officer
    auth.login("lan")
    first = client.post("/api/v1/contacts", json=contact_body(ward, household=home.id))
    assert first.status_code == 201
    assert first.json["household_status"] == "contacted" and first.json["id"]
    replay = client.post("/api/v1/contacts", json=contact_body(ward, household=home.id))
    assert replay.status_code == 200 and replay.json["id"] == first.json["id"]
    assert count(Contact) == 1


@pytest.mark.parametrize(
    "change,field",
    [
        ({"area": "1"}, "area"),
        ({"people_reached": 0}, "people_reached"),
        ({"people_reached": 1.5}, "people_reached"),
        ({"contacted_on": "2024-02-30"}, "contacted_on"),
        ({"contacted_on": "yesterday"}, "contacted_on"),
        ({"channel": None}, "channel"),
        ({"follow_up_on": "2000-01-01"}, "follow_up_on"),
        ({"client_token": "x" * 65}, "client_token"),
        ({"household": 99999}, "household"),
        ({"notes": ["a"]}, "notes"),
        ({"new_household": {"head_name": ""}}, "new_household.head_name"),
    ],
)
def test_post_contact_invalid(officer, client, auth, change, field):
    _, ward, _ = officer
    auth.login("lan")
    response = client.post("/api/v1/contacts", json=contact_body(ward, **change))
    assert response.status_code == 422
    assert field in response.json["error"]["fields"]
    assert count(Contact) == 0


def test_post_enrollment_and_replay(officer, client, auth):
    _, ward, home = officer
    auth.login("lan")
    body = {
        "client_token": "e-1",
        "area": ward.id,
        "household": home.id,
        "participant_name": "Nguyễn Văn A",
        "enrolled_on": local_today().isoformat(),
        "scheme": "voluntary_si",
        "category": "near_poor",
    }
    first = client.post("/api/v1/enrollments", json=body)
    assert first.status_code == 201
    assert first.json["income_basis"] == first.json["monthly_contribution"] * 100 // 22
    assert first.json["months_paid"] == 1 and first.json["supported_months"] == 1
    assert first.json["amount_due"] == (
        first.json["monthly_contribution"] - first.json["monthly_state_support"]
    )
    assert client.post("/api/v1/enrollments", json=body).status_code == 200
    assert count(Enrollment) == 1


def test_malformed_and_wrong_shape(officer, client, auth):
    auth.login("lan")
    response = client.post("/api/v1/contacts", data="{", content_type="application/json")
    assert response.status_code == 400
    assert client.post("/api/v1/contacts", json=[1, 2]).status_code == 422


def test_leader_cannot_post(officer, client, auth):
    _, ward, _ = officer
    make_user("leader", "leader")
    auth.login("leader")
    assert client.post("/api/v1/contacts", json=contact_body(ward)).status_code == 403
    assert count(Contact) == 0


def test_anonymous_gets_401(officer, client):
    _, ward, _ = officer
    assert client.post("/api/v1/contacts", json=contact_body(ward)).status_code == 401


def test_personal_token_shown_once_stored_hashed_and_revocable(officer, client, auth, make_app):
    _, ward, _ = officer
    auth.login("lan")
    page = client.post("/account/tokens", data={"name": "Điện thoại"}).get_data(as_text=True)
    token = page.split('data-test="new-token">')[1].split("<")[0]
    stored = db.session.scalar(select(ApiToken))
    assert (
        token.startswith("ot_")
        and stored.token_hash != token
        and token not in str(stored.token_hash)
    )
    assert token not in client.get("/account/tokens").get_data(as_text=True)
    auth.logout()
    bearer = {"Authorization": f"Bearer {token}"}
    # a bearer write needs no CSRF token, even where CSRF is enforced
    strict = make_app(WTF_CSRF_ENABLED=True).test_client()
    response = strict.post("/api/v1/contacts", json=contact_body(ward), headers=bearer)
    assert response.status_code == 201
    assert (
        strict.post("/api/v1/contacts", json=contact_body(ward, client_token="c-2")).status_code
        == 401
    )
    auth.login("lan")
    client.post(f"/account/tokens/{stored.id}/revoke")
    auth.logout()
    assert strict.get("/api/v1/me", headers=bearer).status_code == 401


def test_session_write_needs_csrf_header(officer, make_app):
    _, ward, _ = officer
    app = make_app(WTF_CSRF_ENABLED=True)
    client = app.test_client()
    login_page = client.get("/login").get_data(as_text=True)
    csrf = login_page.split('name="csrf-token" content="')[1].split('"')[0]
    client.post(
        "/login", data={"username": "lan", "password": "correct-horse-9", "csrf_token": csrf}
    )
    refused = client.post("/api/v1/contacts", json=contact_body(ward))
    assert refused.status_code == 400 and refused.json["error"]["code"]
    page = client.get("/").get_data(as_text=True)
    csrf = page.split('name="csrf-token" content="')[1].split('"')[0]
    accepted = client.post(
        "/api/v1/contacts", json=contact_body(ward), headers={"X-CSRFToken": csrf}
    )
    assert accepted.status_code == 201


def test_old_date_before_account_is_refused(officer, client, auth):
    lan, ward, _ = officer
    auth.login("lan")
    old = (datetime(2022, 12, 31)).date().isoformat()
    response = client.post("/api/v1/contacts", json=contact_body(ward, contacted_on=old))
    assert "contacted_on" in response.json["error"]["fields"]
    future = (local_today() + timedelta(days=1)).isoformat()
    response = client.post("/api/v1/contacts", json=contact_body(ward, contacted_on=future))
    assert "contacted_on" in response.json["error"]["fields"]


def _signed_in_strict_client(make_app, username="lan"):
    """A browser: CSRF enforced, signed in through the real form."""
    client = make_app(WTF_CSRF_ENABLED=True).test_client()
    page = client.get("/login").get_data(as_text=True)
    csrf = page.split('name="csrf-token" content="')[1].split('"')[0]
    client.post(
        "/login", data={"username": username, "password": "correct-horse-9", "csrf_token": csrf}
    )
    assert client.get("/").status_code == 200
    return client


@pytest.mark.parametrize("header", ["Bearer junk", "Bearer ", "Bearer", "Basic bGFuOng=", "x"])
def test_any_authorization_header_makes_a_token_request(officer, make_app, header):
    """A session cookie with a made-up Authorization header used to skip the CSRF check and
    write (201): a request is a token request (a valid token, the session ignored) or a
    session request (CSRF required), never a mix."""
    _, ward, _ = officer
    client = _signed_in_strict_client(make_app)
    response = client.post(
        "/api/v1/contacts", json=contact_body(ward), headers={"Authorization": header}
    )
    assert response.status_code == 401
    assert response.json["error"]["code"] == "invalid_token"
    assert client.get("/api/v1/me", headers={"Authorization": header}).status_code == 401
    assert count(Contact) == 0


def test_a_valid_token_ignores_the_session_riding_along(officer, make_app):
    from tracker.services import tokens

    lan, ward, _ = officer
    other = make_officer("other", areas=[ward])
    token = tokens.create(other, "phone")
    browser = _signed_in_strict_client(make_app)  # signed in as lan
    bearer = {"Authorization": f"Bearer {token}"}
    assert browser.get("/api/v1/me", headers=bearer).json["username"] == "other"
    response = browser.post("/api/v1/contacts", json=contact_body(ward), headers=bearer)
    assert response.status_code == 201 and response.json["officer"] == other.id
    assert browser.get("/api/v1/me").json["username"] == "lan"  # the session still works alone


def test_a_valid_token_works_with_an_anonymous_session_cookie(officer, make_app):
    """Flask-Login's strong session protection used to wipe an anonymous cookie (one holding
    a CSRF token or a language) and answer 401 to a valid token."""
    from tracker.services import tokens

    lan, ward, _ = officer
    token = tokens.create(lan, "phone")
    client = make_app(WTF_CSRF_ENABLED=True).test_client()
    client.get("/login")  # the anonymous session now holds a CSRF token
    client.post("/language", data={"locale": "en"})
    bearer = {"Authorization": f"Bearer {token}"}
    assert client.get("/api/v1/me", headers=bearer).status_code == 200
    response = client.post("/api/v1/contacts", json=contact_body(ward), headers=bearer)
    assert response.status_code == 201


@pytest.mark.parametrize(
    "change,field",
    [
        ({"social_insurance_number": "15000"}, "social_insurance_number"),
        ({"social_insurance_number": "١٥٠٠٠٠٠٠٠١"}, "social_insurance_number"),
        ({"birth_date": "1850-01-01"}, "birth_date"),
        ({"birth_date": "2099-01-01"}, "birth_date"),
    ],
)
def test_enrollment_identity_for_the_insurers_list(officer, client, auth, change, field):
    """A date of birth and a social insurance number, optional, are what the insurer's list is
    matched on beside the citizen ID."""
    _, ward, _home = officer
    auth.login("lan")
    body = {
        "client_token": "e-2",
        "area": ward.id,
        "participant_name": "Lê Thị Hoa",
        "enrolled_on": local_today().isoformat(),
        "scheme": "voluntary_si",
        "category": "other",
        "birth_date": "1980-05-17",
        "social_insurance_number": "1500000001",
    }
    refused = client.post("/api/v1/enrollments", json={**body, **change})
    assert refused.status_code == 422 and field in refused.json["error"]["fields"]
    assert count(Enrollment) == 0
    stored = client.post("/api/v1/enrollments", json=body)
    assert stored.status_code == 201
    assert (stored.json["birth_date"], stored.json["social_insurance_number"]) == (
        "1980-05-17",
        "1500000001",
    )
    assert db.session.scalar(select(Enrollment.name_key)) == "le thi hoa"
