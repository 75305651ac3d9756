"""Limits of the law on payments: a lump sum at most 60 months ahead, back-payment of months
missed only, renewals at the rules of their date with their amounts, and 120 months of state
support per person across an enrollment and its renewals (shown on the pages)."""

from datetime import UTC, date, datetime, timedelta

import pytest
from sqlalchemy import select

from tests.factories import make_area, make_city, make_enrollment, make_officer, make_user
from tracker.dates import local_today
from tracker.errors import RuleBroken
from tracker.extensions import db
from tracker.models import AuditEvent, Enrollment, Renewal
from tracker.services import contributions, support_cap
from tracker.services import renewals as renewal_service
from tracker.services.enrollments import EnrollmentInput, record_enrollment


@pytest.fixture
def lan(app):
    _, city = make_city()
    ward = make_area("Kim Tân", parent=city)
    chief = make_user("chief", "supervisor")
    officer = make_officer("lan", supervisor=chief, areas=[ward])
    officer.created_at = datetime(2017, 1, 1, tzinfo=UTC)
    db.session.commit()
    return officer, ward


def enroll(officer, ward, **values) -> Enrollment:
    data = EnrollmentInput(
        client_token=values.pop("client_token", "e-1"),
        area_id=ward.id,
        participant_name="Nguyễn Thị Bình",
        enrolled_on=values.pop("enrolled_on", date(2025, 7, 1)),
        category=values.pop("category", "other"),
        **values,
    )
    enrollment, _ = record_enrollment(officer, data)
    return enrollment


def renew(officer, enrollment, on, method, months=None, token="r-1", basis=None) -> Renewal:
    data = renewal_service.RenewalInput(on, method, months, basis, token)
    return renewal_service.record(officer, enrollment, data)


def test_a_lump_sum_pays_at_most_60_months_ahead(lan):
    officer, ward = lan
    with pytest.raises(RuleBroken) as refused:
        enroll(officer, ward, payment_period="lump_sum", months_paid=600)
    assert "months_paid" in refused.value.fields
    with pytest.raises(RuleBroken):
        enroll(officer, ward, payment_period="lump_sum", months_paid=61)
    enrollment = enroll(officer, ward, payment_period="lump_sum", months_paid=60)
    assert enrollment.paid_through_on == date(2030, 6, 30)
    assert enrollment.supported_months == 60
    assert enrollment.amount_due == 60 * 264_000  # other, from 2025-07-01: 330,000 − 66,000


def test_lump_sum_years_on_the_form(lan, client, auth):
    officer, ward = lan
    auth.login("lan")
    data = {
        "client_token": "f-1",
        "area_id": str(ward.id),
        "participant_name": "Lò Văn Sáu",
        "enrolled_on": "2025-07-01",
        "scheme": "voluntary_si",
        "category": "poor",
        "payment_period": "lump_sum",
        "lump_sum_years": "6",
        "collection_org_id": "None",
    }
    response = client.post("/enrollments/new", data=data)
    assert response.status_code == 422
    assert "12 đến 60 tháng" in response.get_data(as_text=True)
    assert client.post("/enrollments/new", data={**data, "lump_sum_years": "5"}).status_code == 302


def test_the_api_refuses_600_months(lan, client, auth):
    officer, ward = lan
    auth.login("lan")
    body = {
        "client_token": "a-1",
        "area": ward.id,
        "participant_name": "Giàng A Páo",
        "enrolled_on": "2025-07-01",
        "scheme": "voluntary_si",
        "category": "ethnic_minority",
        "payment_period": "lump_sum",
        "months_paid": 600,
    }
    response = client.post("/api/v1/enrollments", json=body)
    assert response.status_code == 422
    assert "months_paid" in response.json["error"]["fields"]


def test_120_months_of_support_across_an_enrollment_and_its_renewals(lan, client, auth):
    officer, ward = lan
    enrollment = enroll(
        officer,
        ward,
        enrolled_on=date(2018, 1, 2),
        category="poor",
        citizen_id="012345678901",
        payment_period="lump_sum",
        months_paid=60,
    )
    assert enrollment.supported_months == 60 and enrollment.monthly_state_support == 46_200
    assert support_cap.remaining(enrollment) == 60
    second = renew(officer, enrollment, date(2022, 12, 20), "lump_sum", 48, "r-1")
    assert (second.monthly_contribution, second.monthly_state_support) == (
        154_000 * 0 + 330_000,
        99_000,
    )
    assert second.supported_months == 48 and support_cap.remaining(enrollment) == 12
    third = renew(officer, enrollment, date(2026, 11, 20), "12", token="r-2")
    assert third.paid_through_before == date(2027, 1, 1)
    assert third.supported_months == 12 and third.monthly_state_support == 165_000
    assert support_cap.remaining(enrollment) == 0
    fourth = renew(officer, enrollment, date(2026, 11, 21), "6", token="r-3")
    assert fourth.supported_months == 0
    assert fourth.amount_due == 6 * 330_000  # the cap is reached: the whole contribution
    assert support_cap.used(enrollment) == 120
    auth.login("lan")
    page = client.get(f"/enrollments/{enrollment.id}/edit").get_data(as_text=True)
    assert 'data-support-used="60"' in page  # the renewals' 60 months, without its own


def test_renewals_are_computed_at_the_rules_of_their_date(lan):
    officer, ward = lan
    enrollment = enroll(
        officer,
        ward,
        enrolled_on=date(2025, 3, 3),
        category="near_poor",
        income_basis=2_000_000,
        payment_period="3",
    )
    assert enrollment.monthly_state_support == 82_500  # 25 % until 2025-06-30
    renewal = renew(officer, enrollment, date(2025, 7, 2), "3")
    assert renewal.income_basis == 2_000_000  # the last basis carries on
    assert renewal.monthly_contribution == 440_000
    assert renewal.monthly_state_support == 132_000  # 40 % from 2025-07-01
    assert renewal.amount_due == 3 * (440_000 - 132_000)
    audit = db.session.scalar(select(AuditEvent).where(AuditEvent.action == "renew"))
    assert audit.after["monthly_state_support"] == 132_000 and audit.after["months"] == 3


def test_from_2027_the_last_basis_rises_to_the_new_minimum(lan):
    officer, ward = lan
    enrollment = enroll(officer, ward, enrolled_on=date(2026, 10, 1))
    assert enrollment.income_basis == 1_500_000
    assert renewal_service.default_basis(enrollment, date(2026, 12, 31)) == 1_500_000
    assert renewal_service.default_basis(enrollment, date(2027, 1, 1)) == 2_200_000
    enrollment.income_basis = 50_000_000  # above 20 × the base salary: lowered to it
    assert renewal_service.default_basis(enrollment, date(2027, 1, 1)) == 46_800_000


def test_back_payment_covers_only_the_months_missed(lan):
    officer, ward = lan
    enrollment = enroll(officer, ward, enrolled_on=date(2026, 1, 1), payment_period="3")
    assert enrollment.paid_through_on == date(2026, 3, 31)
    with pytest.raises(RuleBroken) as refused:
        renew(officer, enrollment, date(2026, 7, 15), "back_payment", 4)
    assert "at most 3" in refused.value.messages()["months"]  # no request: English
    db.session.rollback()
    paid = renew(officer, enrollment, date(2026, 7, 15), "back_payment", 3)
    assert paid.paid_through_after == date(2026, 6, 30)
    assert paid.method == "back_payment" and paid.amount_due == 3 * 264_000
    with pytest.raises(RuleBroken) as nothing:
        renew(officer, enrollment, date(2026, 6, 20), "back_payment", 1, token="r-2")
    assert "method" in nothing.value.fields


@pytest.mark.parametrize(
    "method,months,field",
    [("lump_sum", 61, "months"), ("lump_sum", None, "months"), ("weekly", 1, "method")],
)
def test_renewals_outside_the_law_are_refused(lan, method, months, field):
    officer, ward = lan
    enrollment = enroll(officer, ward)
    with pytest.raises(RuleBroken) as refused:
        renew(officer, enrollment, date(2025, 9, 1), method, months)
    assert field in refused.value.fields


def test_a_renewal_with_no_rule_in_force_says_so(lan):
    officer, ward = lan
    enrollment = make_enrollment(officer, ward, date(2024, 1, 2), paid_through_on=date(2024, 1, 31))
    from tracker.models import IncomeBasisRule

    db.session.execute(IncomeBasisRule.__table__.delete())
    with pytest.raises(RuleBroken) as refused:
        renew(officer, enrollment, date(2024, 2, 1), "1")
    assert "renewed_on" in refused.value.fields
    db.session.rollback()


def test_the_renewals_page_shows_the_support_left(lan, client, auth):
    officer, ward = lan
    today = local_today()
    lapsed = make_enrollment(
        officer,
        ward,
        today - timedelta(days=400),
        months_paid=100,
        monthly_contribution=330_000,
        monthly_state_support=66_000,  # written without supported_months: all 100 count
        paid_through_on=today - timedelta(days=3),
        participant_name="Trễ Hạn",
    )
    auth.login("lan")
    page = client.get("/renewals").get_data(as_text=True)
    assert "Trễ Hạn" in page and "20 tháng" in page
    response = client.post(
        f"/renewals/{lapsed.id}",
        data={
            "renewed_on": today.isoformat(),
            "method": "lump_sum",
            "months": "24",
            "client_token": "p-1",
        },
    )
    assert response.status_code == 302
    renewal = db.session.scalar(select(Renewal))
    assert renewal.supported_months == 20 and renewal.months == 24
    assert support_cap.remaining(lapsed) == 0
    flashed = client.get("/renewals").get_data(as_text=True)
    # 24 months at today's minimum less 20 supported months (6,600,000 in 2026)
    figures = contributions.compute(today, "other")
    due = 24 * figures.monthly_contribution - 20 * figures.monthly_state_support
    assert f"NSNN hỗ trợ 20 tháng: phải nộp {due:,} đồng".replace(",", ".") in flashed
    assert "Trễ Hạn" not in client.get("/renewals").get_data(as_text=True)  # paid ahead now
