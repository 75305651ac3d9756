"""Bad input never breaks anything: random and hostile values for every API write and the
main forms answer 4xx with a message (never a 500), and a refusal changes no row counts.
Stored <script> comes back escaped everywhere it appears."""

from __future__ import annotations

import json
from datetime import UTC, date, datetime

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import func, select

from tests import hostile
from tests.factories import make_area, make_household, make_officer, make_user
from tracker.extensions import db


@pytest.fixture(autouse=True)
def _before_2024(targets_today):
    """These tests set the targets of 2023 and 2024: the target rules see the day before."""
    targets_today(date(2023, 1, 1))


# The older classes, and the probe's (tests/hostile.py: Unicode digits, ids beyond 64 bits, NUL,
# lone surrogates, dates near year 1, periods of centuries).
HOSTILE_TEXT = st.one_of(
    st.sampled_from(
        [
            "<script>alert(1)</script>",
            "'; DROP TABLE contacts; --",
            "\x00\x01\x02",
            "9" * 400,
            "2024-02-30",
            "-1",
            "1e308",
            "NaN",
            "../../etc/passwd",
            "{{7*7}}",
            "%s%s%s",
            "",
            "Nguyễn Văn A",
            '=HYPERLINK("x")',
            "\u202e",
            " " * 50,
        ]
    ),
    hostile.HOSTILE_TEXT,
)
VALUES = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(min_value=-(10**20), max_value=10**20),
    st.floats(allow_nan=True, allow_infinity=True),
    HOSTILE_TEXT,
    st.text(max_size=60),
    st.lists(st.integers(), max_size=3),
    st.dictionaries(st.text(max_size=5), st.integers(), max_size=2),
    hostile.JSON_VALUE,
)
SETTINGS = settings(
    max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)


def counts() -> tuple[int, ...]:
    """Rows of every table (the readiness check's own row aside)."""
    db.session.expire_all()
    return tuple(
        db.session.scalar(select(func.count()).select_from(table))
        for table in db.metadata.sorted_tables
        if table.name != "health_checks"
    )


@pytest.fixture
def signed_in(app, client):
    ward = make_area("Kim Tân")
    chief = make_user("chief", "supervisor")
    officer = make_officer("lan", supervisor=chief, areas=[ward])
    officer.created_at = datetime(2023, 1, 1, tzinfo=UTC)
    make_household(ward)
    db.session.commit()
    client.post("/login", data={"username": "chief", "password": "correct-horse-9"})
    return client, ward, officer


def assert_refused_cleanly(response, before):
    assert response.status_code < 500, response.get_data(as_text=True)[:500]
    if response.status_code >= 400:
        if response.is_json:
            assert response.json["error"]["message"]
        assert counts() == before


CONTACT_FIELDS = [
    "client_token",
    "area",
    "household",
    "contacted_on",
    "channel",
    "outcome",
    "people_reached",
    "follow_up_on",
    "notes",
    "session",
    "new_household",
]
ENROLLMENT_FIELDS = [
    "client_token",
    "area",
    "household",
    "participant_name",
    "enrolled_on",
    "scheme",
    "category",
    "citizen_id",
    "income_basis",
    "payment_period",
    "months_paid",
    "collection_org",
    "session",
]
TARGET_FIELDS = ["subject", "id", "metric", "period", "value", "note"]


@pytest.mark.parametrize(
    "path,fields,method",
    [
        ("/api/v1/contacts", CONTACT_FIELDS, "POST"),
        ("/api/v1/enrollments", ENROLLMENT_FIELDS, "POST"),
        ("/api/v1/targets", TARGET_FIELDS, "PUT"),
    ],
)
def test_api_writes_survive_hostile_json(signed_in, path, fields, method):
    client, ward, officer = signed_in

    @SETTINGS
    @given(st.fixed_dictionaries({}, optional={name: VALUES for name in fields}))
    def attempt(body):
        before = counts()
        response = client.open(path, method=method, json=body)
        assert_refused_cleanly(response, before)

    attempt()


@pytest.mark.parametrize(
    "raw",
    [
        b"{",
        b"[]",
        b"null",
        b"\xff\xfe",
        b'{"a":' * 1000,
        b'{"notes": "' + b"x" * (1024 * 1024) + b'"}',
    ],
)
def test_api_malformed_and_huge_bodies(signed_in, raw):
    client, *_ = signed_in
    before = counts()
    response = client.post("/api/v1/contacts", data=raw, content_type="application/json")
    assert 400 <= response.status_code < 500
    assert response.json["error"]["message"]
    assert counts() == before


@pytest.mark.parametrize(
    "path,fields",
    [
        (
            "/contacts/new",
            [
                "client_token",
                "area_id",
                "household_id",
                "contacted_on",
                "channel",
                "outcome",
                "people_reached",
                "follow_up_on",
                "notes",
                "session_id",
                "create_household",
                "new_head_name",
                "new_category",
            ],
        ),
        (
            "/enrollments/new",
            [
                "client_token",
                "area_id",
                "participant_name",
                "citizen_id",
                "enrolled_on",
                "scheme",
                "category",
                "income_basis",
                "payment_period",
                "lump_sum_years",
                "collection_org_id",
            ],
        ),
        (
            "/targets/team?year=2024",
            [
                "action",
                "spread_method",
                "weights",
                "bulk_value",
                "bulk_period",
                "officer",
                "cell-3-2024",
                "cell-3-2024-01",
            ],
        ),
        ("/login", ["username", "password", "next"]),
    ],
)
def test_forms_survive_hostile_input(signed_in, path, fields):
    client, *_ = signed_in
    strings = st.one_of(HOSTILE_TEXT, st.text(max_size=40), st.integers().map(str))

    @SETTINGS
    @given(st.fixed_dictionaries({}, optional={name: strings for name in fields}))
    def attempt(data):
        before = counts()
        response = client.post(
            path, data=hostile.form_body(data), content_type="application/x-www-form-urlencoded"
        )
        assert_refused_cleanly(response, before)

    attempt()


def test_stored_script_is_escaped_everywhere(signed_in, app):
    client, ward, officer = signed_in
    evil = "<script>alert('x')</script>"
    household = make_household(ward, evil, address=evil)
    client.post("/logout")
    client.post("/login", data={"username": "lan", "password": "correct-horse-9"})
    response = client.post(
        "/api/v1/contacts",
        json={
            "client_token": "x1",
            "area": ward.id,
            "household": household.id,
            "contacted_on": datetime.now(UTC).date().isoformat(),
            "channel": "phone",
            "outcome": "enrolled",
            "people_reached": 1,
            "notes": evil,
        },
    )
    assert response.status_code in (201, 422)
    officer.full_name = evil
    db.session.commit()
    for path in (
        "/",
        "/records",
        f"/households/{household.id}",
        "/households?q=script",
        "/boards/officers",
        "/dashboard",
        f"/officers/{officer.id}",
    ):
        page = client.get(path).get_data(as_text=True)
        assert "<script>alert" not in page, path
    chart_page = client.get(f"/officers/{officer.id}").get_data(as_text=True)
    assert json.dumps(evil) not in chart_page  # the chart JSON carries it escaped
    assert "&lt;script&gt;" in chart_page.replace("\\u0026", "&")
