"""Logging contacts and enrollments: every rule, idempotency, edits, deletes, visibility."""

from datetime import UTC, date, datetime, timedelta

import pytest
from sqlalchemy import func, select

from tests.factories import make_area, make_city, make_household, make_officer, make_user
from tracker.dates import local_today
from tracker.extensions import db
from tracker.models import AuditEvent, Contact, Enrollment, Household


@pytest.fixture
def field(app):
    _, city = make_city()
    kim_tan, coc_leu = make_area("Kim Tân", parent=city), make_area("Cốc Lếu", parent=city)
    other_ward = make_area("Bắc Cường", parent=city)
    chief = make_user("chief", "supervisor")
    lan = make_officer("lan", supervisor=chief, areas=[kim_tan, coc_leu], full_name="Lan")
    binh = make_officer("binh", supervisor=make_user("other", "supervisor"), areas=[other_ward])
    # accounts created a while ago, so past dates are allowed
    for user in (lan, binh, chief):
        user.created_at = datetime(2023, 1, 1, tzinfo=UTC)
    db.session.commit()
    home = make_household(kim_tan, "Nguyễn Văn An", address="Số 5, Hoàng Liên, Kim Tân")
    make_user("leader", "leader")
    return kim_tan, coc_leu, other_ward, lan, binh, home


def count(model) -> int:
    return db.session.scalar(select(func.count()).select_from(model))


def contact_form(area, **values):
    data = {
        "client_token": values.pop("client_token", "tok-1"),
        "area_id": str(area.id),
        "contacted_on": (local_today() - timedelta(days=1)).isoformat(),
        "channel": "phone",  # a home visit needs a household (tests/test_field_forms.py)
        "outcome": "interested",
        "people_reached": "2",
        "notes": "Quan tâm, hẹn quay lại",
    }
    data.update({k: str(v) for k, v in values.items()})
    return data


def test_log_contact_moves_the_household_in_the_same_transaction(field, client, auth):
    kim_tan, *_, home = field
    auth.login("lan")
    follow = local_today() + timedelta(days=3)
    response = client.post(
        "/contacts/new",
        data=contact_form(kim_tan, household_id=home.id, follow_up_on=follow.isoformat()),
    )
    assert response.status_code == 302 and response.location == "/"
    db.session.refresh(home)
    assert home.status == "interested" and home.next_follow_up_on == follow
    assert home.officer.username == "lan"
    assert count(Contact) == 1


def test_double_submit_creates_one_contact(field, client, auth):
    kim_tan, *_ = field
    auth.login("lan")
    first = client.post("/contacts/new", data=contact_form(kim_tan))
    second = client.post("/contacts/new", data=contact_form(kim_tan))
    assert first.status_code == second.status_code == 302
    assert count(Contact) == 1


def test_contact_enrolled_leads_to_prefilled_enrollment(field, client, auth):
    kim_tan, *_, home = field
    auth.login("lan")
    response = client.post(
        "/contacts/new", data=contact_form(kim_tan, household_id=home.id, outcome="enrolled")
    )
    contact = db.session.scalar(select(Contact))
    assert response.location == f"/enrollments/new?contact={contact.id}"
    page = client.get(response.location).get_data(as_text=True)
    assert 'value="Nguyễn Văn An"' in page and f'value="{home.id}"' in page


def test_new_household_created_inline(field, client, auth):
    kim_tan, *_ = field
    auth.login("lan")
    client.post(
        "/contacts/new",
        data=contact_form(
            kim_tan,
            create_household="y",
            new_head_name="Trần Thị Bích",
            new_address="Tổ 3",
            new_category="trader",
        ),
    )
    household = db.session.scalar(select(Household).where(Household.head_name == "Trần Thị Bích"))
    assert household.area_id == kim_tan.id and household.status == "interested"
    assert db.session.scalar(select(Contact.household_id)) == household.id


TOMORROW = (date.today() + timedelta(days=2)).isoformat()


@pytest.mark.parametrize(
    "change,field_name",
    [
        ({"contacted_on": TOMORROW}, "contacted_on"),
        ({"contacted_on": "2022-06-01"}, "contacted_on"),  # before the account existed
        ({"follow_up_on": "2020-01-01"}, "follow_up_on"),
        ({"people_reached": "0"}, "people_reached"),
        ({"people_reached": "10001"}, "people_reached"),
        ({"notes": "x" * 2001}, "notes"),
        ({"channel": "pigeon"}, "channel"),
        ({"outcome": "maybe"}, "outcome"),
    ],
)
def test_invalid_contact_creates_nothing(field, client, auth, change, field_name):
    kim_tan, *_ = field
    auth.login("lan")
    response = client.post("/contacts/new", data=contact_form(kim_tan, **change))
    assert response.status_code == 422
    assert "invalid-feedback" in response.get_data(as_text=True)
    assert count(Contact) == 0


def test_area_must_be_the_officers_and_household_in_it(field, client, auth):
    kim_tan, coc_leu, other_ward, *_, home = field
    auth.login("lan")
    assert client.post("/contacts/new", data=contact_form(other_ward)).status_code == 422
    response = client.post("/contacts/new", data=contact_form(coc_leu, household_id=home.id))
    assert response.status_code == 422
    assert count(Contact) == 0


def enrollment_form(area, **values):
    data = {
        "client_token": values.pop("client_token", "enr-1"),
        "area_id": str(area.id),
        "participant_name": "Nguyễn Văn An",
        "enrolled_on": "2025-07-01",
        "scheme": "voluntary_si",
        "category": "poor",
        "income_basis": "1500000",
        "payment_period": "3",
        "collection_org_id": "None",
    }
    data.update({k: str(v) for k, v in values.items()})
    return data


def test_enrollment_stores_the_contribution_and_paid_through(field, client, auth):
    kim_tan, *_, home = field
    auth.login("lan")
    response = client.post(
        "/enrollments/new",
        data=enrollment_form(kim_tan, household_id=home.id, citizen_id="001234567890"),
    )
    assert response.status_code == 302
    enrollment = db.session.scalar(select(Enrollment))
    assert enrollment.monthly_contribution == 330_000
    assert enrollment.monthly_state_support == 165_000  # poor, from 2025-07-01: 50 %
    assert enrollment.paid_through_on == date(2025, 9, 30)
    db.session.refresh(home)
    assert home.status == "enrolled"


def test_enrollment_lump_sum(field, client, auth):
    kim_tan, *_ = field
    auth.login("lan")
    client.post(
        "/enrollments/new",
        data=enrollment_form(
            kim_tan, payment_period="lump_sum", lump_sum_years="5", enrolled_on="2024-03-10"
        ),
    )
    enrollment = db.session.scalar(select(Enrollment))
    assert enrollment.months_paid == 60 and enrollment.paid_through_on == date(2029, 3, 9)


@pytest.mark.parametrize(
    "change,field_name",
    [
        ({"citizen_id": "12345"}, "citizen_id"),
        ({"citizen_id": "00123456789a"}, "citizen_id"),
        ({"income_basis": "1000000"}, "income_basis"),
        ({"income_basis": "99000000"}, "income_basis"),
        ({"participant_name": ""}, "participant_name"),
        ({"scheme": "life"}, "scheme"),
        ({"category": "rich"}, "category"),
        ({"payment_period": "lump_sum"}, "lump_sum_years"),
        ({"enrolled_on": TOMORROW}, "enrolled_on"),
    ],
)
def test_invalid_enrollment_creates_nothing(field, client, auth, change, field_name):
    kim_tan, *_ = field
    auth.login("lan")
    response = client.post("/enrollments/new", data=enrollment_form(kim_tan, **change))
    assert response.status_code == 422
    assert count(Enrollment) == 0


def test_citizen_id_enrolled_once(field, client, auth):
    kim_tan, *_ = field
    auth.login("lan")
    client.post("/enrollments/new", data=enrollment_form(kim_tan, citizen_id="001234567890"))
    response = client.post(
        "/enrollments/new",
        data=enrollment_form(kim_tan, citizen_id="001234567890", client_token="enr-2"),
    )
    assert response.status_code == 422
    assert "Người này đã tham gia loại bảo hiểm này rồi.".encode() in response.data
    assert count(Enrollment) == 1


def test_citizen_id_is_unique_per_scheme_on_create_and_restore(field, client, auth):
    """One person may hold voluntary social insurance and household health insurance: the
    same citizen ID is accepted in the other scheme, when enrolling and when restoring, and
    refused in the same scheme, when enrolling and when restoring."""
    kim_tan, *_ = field
    auth.login("lan")
    person = {"citizen_id": "001234567890"}
    first = client.post("/enrollments/new", data=enrollment_form(kim_tan, **person))
    assert first.status_code == 302
    voluntary = db.session.scalar(select(Enrollment))
    health = enrollment_form(kim_tan, scheme="household_hi", client_token="enr-2", **person)
    assert client.post("/enrollments/new", data=health).status_code == 302
    assert count(Enrollment) == 2
    client.post(f"/enrollments/{voluntary.id}/delete")
    client.post(f"/enrollments/{voluntary.id}/restore")  # beside the HI enrollment: accepted
    db.session.refresh(voluntary)
    assert voluntary.deleted_at is None
    client.post(f"/enrollments/{voluntary.id}/delete")
    again = enrollment_form(kim_tan, client_token="enr-3", **person)
    assert client.post("/enrollments/new", data=again).status_code == 302
    response = client.post(f"/enrollments/{voluntary.id}/restore", follow_redirects=True)
    assert "Người này đã tham gia loại bảo hiểm này rồi." in response.get_data(as_text=True)
    db.session.refresh(voluntary)
    assert voluntary.deleted_at is not None  # the same scheme: refused
    twice = enrollment_form(kim_tan, client_token="enr-4", **person)
    assert client.post("/enrollments/new", data=twice).status_code == 422


def test_edit_delete_and_undo_own_contact_within_seven_days(field, client, auth):
    kim_tan, *_, home = field
    auth.login("lan")
    client.post("/contacts/new", data=contact_form(kim_tan, household_id=home.id))
    contact = db.session.scalar(select(Contact))
    response = client.post(
        f"/contacts/{contact.id}/edit",
        data=contact_form(kim_tan, household_id=home.id, outcome="declined"),
    )
    assert response.status_code == 302
    db.session.refresh(home)
    assert home.status == "declined"
    client.post(f"/contacts/{contact.id}/delete")
    db.session.refresh(contact)
    db.session.refresh(home)
    assert contact.deleted_at is not None and home.status == "prospect"
    client.post(f"/contacts/{contact.id}/restore")
    db.session.refresh(contact)
    assert contact.deleted_at is None
    actions = db.session.scalars(
        select(AuditEvent.action).where(AuditEvent.entity == "contact").order_by(AuditEvent.id)
    ).all()
    assert actions == ["update", "delete", "restore"]


def test_no_edit_after_seven_days(field, client, auth):
    kim_tan, *_ = field
    auth.login("lan")
    client.post("/contacts/new", data=contact_form(kim_tan))
    contact = db.session.scalar(select(Contact))
    contact.created_at = datetime.now(UTC) - timedelta(days=8)
    db.session.commit()
    response = client.post(
        f"/contacts/{contact.id}/edit", data=contact_form(kim_tan, notes="changed")
    )
    assert response.status_code == 422
    client.post(f"/contacts/{contact.id}/delete")
    db.session.refresh(contact)
    assert contact.notes != "changed" and contact.deleted_at is None


@pytest.mark.parametrize("username", ["binh", "chief", "leader"])
def test_others_cannot_change_a_contact(field, client, auth, username):
    kim_tan, *_ = field
    auth.login("lan")
    client.post("/contacts/new", data=contact_form(kim_tan))
    contact = db.session.scalar(select(Contact))
    auth.logout()
    auth.login(username)
    assert client.get(f"/contacts/{contact.id}/edit").status_code == 403
    assert client.post(f"/contacts/{contact.id}/delete").status_code == 403
    db.session.refresh(contact)
    assert contact.deleted_at is None


def test_records_visibility(field, client, auth):
    kim_tan, coc_leu, other_ward, lan, binh, home = field
    auth.login("lan")
    client.post("/contacts/new", data=contact_form(kim_tan, notes="ghi chú của Lan"))
    auth.logout()
    auth.login("binh")
    client.post("/contacts/new", data=contact_form(other_ward, notes="ghi chú của Bình"))
    page = client.get("/records").get_data(as_text=True)
    assert "ghi chú của Bình" in page and "ghi chú của Lan" not in page
    auth.logout()
    auth.login("chief")
    page = client.get("/records").get_data(as_text=True)
    assert "ghi chú của Lan" in page and "ghi chú của Bình" not in page
    auth.logout()
    auth.login("leader")
    page = client.get("/records").get_data(as_text=True)
    assert "ghi chú của Lan" in page and "ghi chú của Bình" in page
    assert "Xóa" not in page  # read only


@pytest.mark.parametrize("query", ["kim tan", "KIM TAN", "Kim Tân", "ng van an", "NGUYEN"])
def test_household_search_ignores_diacritics_and_case(field, client, auth, query):
    auth.login("lan")
    body = client.get(f"/api/v1/households?q={query}").json
    assert [h["head_name"] for h in body["households"]] == ["Nguyễn Văn An"]


def test_household_search_sees_only_allowed_wards(field, client, auth):
    *_, home = field
    auth.login("binh")
    assert client.get("/api/v1/households?q=nguyen").json["households"] == []
    assert client.get(f"/households/{home.id}").status_code == 403
    auth.logout()
    auth.login("chief")
    assert client.get(f"/households/{home.id}").status_code == 200


def test_household_page_timeline(field, client, auth):
    kim_tan, *_, home = field
    auth.login("lan")
    client.post(
        "/contacts/new", data=contact_form(kim_tan, household_id=home.id, notes="Lần đầu gặp")
    )
    client.post(
        "/enrollments/new",
        data=enrollment_form(kim_tan, household_id=home.id, enrolled_on=local_today().isoformat()),
    )
    page = client.get(f"/households/{home.id}").get_data(as_text=True)
    assert "Lần đầu gặp" in page and page.index("✔") < page.index("Lần đầu gặp")


def test_today_numbers_move_with_an_enrollment(field, client, auth):
    kim_tan, *_ = field
    auth.login("lan")

    def month_actual():
        page = client.get("/").get_data(as_text=True)
        block = page.split('data-test="progress-month"')[1]
        return int(block.split('data-test="actual">')[1].split("<")[0])

    before = month_actual()
    client.post(
        "/enrollments/new", data=enrollment_form(kim_tan, enrolled_on=local_today().isoformat())
    )
    assert month_actual() == before + 1
