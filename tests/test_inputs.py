"""The one way in for numbers, dates and text (tracker.parsing, tracker.inputs, tracker.routing):
Unicode digits, ids beyond the database's integer, NUL bytes, lone surrogates and dates near
year 1 are refused cleanly; Vietnamese text is stored composed (NFC)."""

from __future__ import annotations

import unicodedata
from datetime import date, datetime
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import select

from tests.factories import make_area, make_enrollment, make_officer, make_user
from tracker import parsing, periods
from tracker.extensions import db
from tracker.models import Contact, Household, Renewal

# The office's day, not the server's: between 17:00 and 24:00 UTC they differ, and a contact
# dated the server's day came before the account the test had just created.
TODAY = datetime.now(ZoneInfo("Asia/Ho_Chi_Minh")).date().isoformat()


@pytest.mark.parametrize(
    "text,expected",
    [
        ("12", 12),
        (" 12 ", 12),
        ("²", None),
        ("١٢", None),
        ("１２", None),
        ("1_0", None),
        ("-1", None),
        ("2147483647", 2147483647),
        ("2147483648", None),
        ("9" * 20, None),
        ("", None),
        (12.0, 12),
        (12.5, None),
        (True, None),
        (None, None),
    ],
)
def test_whole_numbers_are_ascii_and_bounded(text, expected):
    assert parsing.whole_number(text) == expected


@pytest.mark.parametrize(
    "text", ["0001-01-01", "9999-12-31", "1999-12-31", "2101-01-01", "٢٠٢٤-٠١-٠١", "20240101"]
)
def test_dates_outside_the_office_years_or_not_ascii_are_refused(text):
    assert parsing.day(text) is None


@pytest.mark.parametrize(
    "text,expected",
    [
        ("2025-07-01", date(2025, 7, 1)),
        ("01/07/2025", date(2025, 7, 1)),
        ("1/7/2025", date(2025, 7, 1)),
        (date(2025, 7, 1), date(2025, 7, 1)),
        ("01/01/0001", None),
        ("0001-01-01", None),
        ("31/12/9999", None),
        ("١/٧/٢٠٢٥", None),
        ("1/7/2025/1", None),
        ("", None),
        (20250701, None),
    ],
)
def test_written_days_are_read_one_way_within_the_office_years(text, expected):
    """Imports and reorganisation mappings read dd/mm/yyyy too, within the same bounds (a
    mapping dated in year 1 made a 500)."""
    assert parsing.written_day(text) == expected


def test_api_dates_near_year_one_are_refused(app, client):
    make_user("leader", "leader")
    client.post("/login", data={"username": "leader", "password": "correct-horse-9"})
    for path in ("/api/v1/areas?on=0001-01-01", "/api/v1/contribution?on=0001-01-01"):
        response = client.get(path)
        assert response.status_code == 422, path
        assert "on" in response.json["error"]["fields"]
    assert client.get("/api/v1/areas?on=2025-07-01").status_code == 200


def test_dates_and_months_within_range():
    assert parsing.day("2024-02-29") == date(2024, 2, 29)
    assert parsing.month("2024-03") == date(2024, 3, 1)
    assert parsing.month("0001-01") is None
    assert parsing.month("2024-13") is None


def test_custom_periods_are_capped():
    assert periods.parse(start="2024-01-01", end="2028-12-31").days > 1800
    for start, end in (("2000-01-01", "2100-12-31"), ("0001-01-01", "2024-01-01")):
        with pytest.raises(periods.PeriodError):
            periods.parse(start=start, end=end)


@pytest.fixture
def officer_client(app, client):
    ward = make_area("Kim Tân")
    officer = make_officer("lan", areas=[ward])
    client.post("/login", data={"username": "lan", "password": "correct-horse-9"})
    return client, ward, officer


def contact_body(ward, **extra):
    return {
        "client_token": extra.pop("client_token", "t1"),
        "area": ward.id,
        "contacted_on": TODAY,
        "channel": "phone",
        "outcome": "informed",
        "people_reached": 1,
        **extra,
    }


@pytest.mark.parametrize(
    "extra,field",
    [
        ({"area": 2**31}, "area"),
        ({"area": 10**20}, "area"),
        ({"household": 2**63}, "household"),
        ({"session": -(2**70)}, "session"),
        ({"notes": "a\x00b"}, "notes"),
        ({"notes": "\ud800"}, "notes"),
        ({"new_household": {"head_name": "x", "phone": "<script>"}}, "new_household.phone"),
        ({"new_household": {"head_name": "x", "phone": "٠٩١٢٣٤٥٦٧٨"}}, "new_household.phone"),
        ({"contacted_on": "0001-01-01"}, "contacted_on"),
    ],
)
def test_api_refuses_what_the_database_cannot_hold(officer_client, extra, field):
    client, ward, _officer = officer_client
    response = client.post("/api/v1/contacts", json=contact_body(ward, **extra))
    assert response.status_code == 422, response.json
    assert field in response.json["error"]["fields"]
    assert db.session.scalar(select(Contact.id)) is None


def test_form_refuses_unicode_digits_and_huge_ids(officer_client):
    client, ward, _officer = officer_client
    for area in ("²", "٣", "9" * 20, str(2**31)):
        data = {"area_id": area, "contacted_on": TODAY, "channel": "phone", "outcome": "informed"}
        response = client.post("/contacts/new", data={**data, "people_reached": "1"})
        assert response.status_code == 422
    response = client.post("/contacts/new", data={"area_id": ward.id, "people_reached": "١"})
    assert response.status_code == 422
    assert db.session.scalar(select(Contact.id)) is None


@pytest.mark.parametrize(
    "path",
    [
        "/records?area=²&officer=99999999999999999999&page=99999999999999999999",
        "/households?area=٣&org=" + "9" * 30 + "&page=²",
        "/api/v1/households?q=a&area=99999999999999999999",
        "/api/v1/progress?officer=99999999999999999999",
        "/boards/officers?period=2024-01-01..2100-01-01",
        "/boards/officers?from=0001-01-01&to=0001-12-31",
        "/contacts/99999999999999999999/edit",
        "/handovers/1/²",
    ],
)
def test_query_strings_and_paths_never_break(officer_client, path):
    client, *_ = officer_client
    assert client.get(path).status_code < 500


def test_nul_in_a_form_or_query_is_refused_before_the_view(officer_client):
    client, ward, _officer = officer_client
    response = client.post(
        "/contacts/new",
        data={"area_id": ward.id, "contacted_on": TODAY, "channel": "phone", "notes": "a\x00"},
    )
    assert response.status_code == 400
    assert client.get("/households?q=%00").status_code == 400
    assert db.session.scalar(select(Contact.id)) is None


def test_vietnamese_is_stored_composed(officer_client):
    client, ward, _officer = officer_client
    decomposed = unicodedata.normalize("NFD", "Nguyễn Thị Ánh")
    assert decomposed != "Nguyễn Thị Ánh"
    response = client.post(
        "/api/v1/contacts",
        json=contact_body(ward, notes=decomposed, new_household={"head_name": decomposed}),
    )
    assert response.status_code == 201, response.json
    client.post(
        "/contacts/new",
        data={
            "client_token": "form-1",
            "area_id": ward.id,
            "contacted_on": TODAY,
            "channel": "phone",
            "outcome": "informed",
            "people_reached": "1",
            "create_household": "y",
            "new_head_name": unicodedata.normalize("NFD", "Trần Văn Đức"),
            "new_category": "other",
        },
    )
    names = set(db.session.scalars(select(Household.head_name)))
    assert names == {"Nguyễn Thị Ánh", "Trần Văn Đức"}
    assert db.session.scalar(select(Contact.notes).where(Contact.client_token == "t1")) == (
        "Nguyễn Thị Ánh"
    )


def test_citizen_id_needs_ascii_digits(officer_client):
    client, ward, _officer = officer_client
    for citizen_id in ("٠٠١٢٣٤٥٦٧٨٩٠", "¹²³⁴⁵⁶⁷⁸⁹⁰¹²", "００１２３４５６７８９０"):
        response = client.post(
            "/api/v1/enrollments",
            json={
                "client_token": citizen_id,
                "area": ward.id,
                "participant_name": "A",
                "enrolled_on": TODAY,
                "scheme": "voluntary_si",
                "category": "other",
                "citizen_id": citizen_id,
            },
        )
        assert response.status_code == 422
        assert "citizen_id" in response.json["error"]["fields"]


def test_renewal_before_the_enrollment_or_near_year_one_is_refused(app, client):
    ward = make_area("Kim Tân")
    officer = make_officer("lan", areas=[ward])
    enrollment = make_enrollment(officer, ward, date(2024, 1, 10), paid_through_on=date(2024, 2, 9))
    client.post("/login", data={"username": "lan", "password": "correct-horse-9"})
    for day in ("0001-01-01", "2023-12-31"):
        client.post(
            f"/renewals/{enrollment.id}",
            data={"client_token": day, "renewed_on": day, "months": "3"},
        )
    assert db.session.scalar(select(Renewal.id)) is None


def test_review_month_near_year_one_is_refused(app, client):
    make_user("chief", "supervisor")
    client.post("/login", data={"username": "chief", "password": "correct-horse-9"})
    for month in ("0001-01", "٢٠٢٤-01"):
        response = client.post("/prospects", data={"month": month, "household": "1"})
        assert response.status_code == 422
