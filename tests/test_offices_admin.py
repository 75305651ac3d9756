"""Administration › Offices through the Flask client: the list, a new office, an edit, the areas
it covers read by code as they were on a day, and who may not."""

from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy import func, select

from tests.factories import make_area, make_office, make_user
from tracker.extensions import db
from tracker.models import AuditEvent, Office

DAY = date(2025, 7, 1)


@pytest.fixture
def units(app):
    """Old Lào Cai city and Kim Tân until 2025-06-30; phường Lào Cai (Kim Tân's code again)
    and phường Cam Đường after."""
    province = make_area("Tỉnh Lào Cai", "province", code="15")
    city = make_area("Thành phố Lào Cai", "city", parent=province, code="080", valid_to=DAY)
    kim_tan = make_area("Phường Kim Tân", parent=city, code="02647", valid_to=DAY)
    lao_cai = make_area("Phường Lào Cai", parent=province, code="02647", valid_from=DAY)
    cam_duong = make_area("Phường Cam Đường", parent=province, code="02674", valid_from=DAY)
    return {"city": city, "kim_tan": kim_tan, "lao_cai": lao_cai, "cam_duong": cam_duong}


@pytest.fixture
def admin(units, auth):
    make_user("boss", "admin")
    auth.login("boss")


def office_named(code: str) -> Office | None:
    return db.session.scalar(select(Office).where(Office.code == code))


def offices_count() -> int:
    return db.session.scalar(select(func.count()).select_from(Office))


def test_the_list_shows_each_office_with_its_areas(units, admin, client):
    make_office("BHXH khu vực Lào Cai", covers=[units["city"], units["lao_cai"]], code="LC")
    page = client.get("/admin/offices").get_data(as_text=True)
    listed = page.split('data-test="offices"')[1].split("</table>")[0]
    assert "BHXH khu vực Lào Cai" in listed and "LC" in listed
    assert "Thành phố Lào Cai" in listed and "30/06/2025" in listed  # its last day
    assert "Phường Lào Cai" in listed


def test_a_new_office_covers_the_units_its_codes_name_today(units, admin, client):
    response = client.post(
        "/admin/offices/new",
        data={
            "code": "BHXH-LC",
            "name": "BHXH khu vực Lào Cai",
            "active": "y",
            "add_codes": "02647, 02674",
        },
    )
    assert response.status_code == 302 and response.location.endswith("/admin/offices")
    office = office_named("BHXH-LC")
    assert office.active and {a.id for a in office.areas} == {
        units["lao_cai"].id,
        units["cam_duong"].id,
    }
    event = db.session.scalar(select(AuditEvent).where(AuditEvent.entity == "office"))
    assert (event.action, event.entity_id, event.before) == ("create", office.id, None)
    assert event.after["area_ids"] == sorted(a.id for a in office.areas)


def test_codes_are_read_as_they_were_on_the_day_given(units, admin, client):
    data = {"code": "TP", "name": "BHXH thành phố", "add_codes": "080 02647"}
    data["add_on"] = "2024-06-01"
    assert client.post("/admin/offices/new", data=data).status_code == 302
    office = office_named("TP")
    assert {a.id for a in office.areas} == {units["city"].id, units["kim_tan"].id}
    assert not office.active  # the box was not ticked


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (
            {"code": "LC", "name": "Khác", "add_codes": "02647 99999"},
            "Không có đơn vị nào mang các mã này vào ngày đó: 99999.",
        ),
        (
            {"code": "LC", "name": "Khác", "add_codes": "080", "add_on": "2025-07-01"},
            "Không có đơn vị nào mang các mã này vào ngày đó: 080.",  # the city had ended
        ),
        ({"code": "OLD", "name": "Trùng mã"}, "Một cơ quan khác đã dùng mã này."),
    ],
)
def test_a_bad_office_is_refused_on_its_field(units, admin, client, data, message):
    make_office("BHXH cũ", code="OLD")
    refused = client.post("/admin/offices/new", data=data)
    assert refused.status_code == 422 and message in refused.get_data(as_text=True)
    assert offices_count() == 1


def test_an_edit_keeps_the_areas_left_ticked_and_adds_new_ones(units, admin, client):
    office = make_office("BHXH thành phố", covers=[units["city"], units["kim_tan"]], code="TP")
    form = client.get(f"/admin/offices/{office.id}").get_data(as_text=True)
    for area in (units["city"], units["kim_tan"]):
        assert f'value="{area.id}" selected' in form or f'selected value="{area.id}"' in form
    saved = client.post(
        f"/admin/offices/{office.id}",
        data={
            "code": "TP",
            "name": "BHXH khu vực Lào Cai",
            "active": "y",
            "keep": [str(units["city"].id)],
            "add_codes": "02647",  # today: phường Lào Cai, not Kim Tân
        },
    )
    assert saved.status_code == 302
    office = db.session.get(Office, office.id)
    assert office.name == "BHXH khu vực Lào Cai"
    assert {a.id for a in office.areas} == {units["city"].id, units["lao_cai"].id}
    event = db.session.scalar(
        select(AuditEvent).where(AuditEvent.entity == "office", AuditEvent.action == "update")
    )
    assert event.before["area_ids"] == sorted([units["city"].id, units["kim_tan"].id])
    assert event.after["area_ids"] == sorted([units["city"].id, units["lao_cai"].id])


def test_an_unknown_office_is_not_found(units, admin, client):
    assert client.get("/admin/offices/999").status_code == 404


@pytest.mark.parametrize("role", ["officer", "supervisor", "leader"])
def test_only_an_administrator_may_see_or_change_offices(units, client, auth, role):
    office = make_office("BHXH thành phố", covers=[units["city"]], code="TP")
    make_user("someone", role)
    auth.login("someone")
    data = {"code": "NEW", "name": "Mới", "active": "y", "add_codes": "02647"}
    for path in ("/admin/offices", "/admin/offices/new", f"/admin/offices/{office.id}"):
        assert client.get(path).status_code == 403
    assert client.post("/admin/offices/new", data=data).status_code == 403
    assert client.post(f"/admin/offices/{office.id}", data=data).status_code == 403
    assert offices_count() == 1 and office_named("TP").name == "BHXH thành phố"


def test_anonymous_is_asked_to_sign_in(units, client):
    response = client.post("/admin/offices/new", data={"code": "NEW", "name": "Mới"})
    assert response.status_code == 302 and "/login" in response.location
    assert offices_count() == 0
