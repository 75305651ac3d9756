"""The field forms' rules (issue 16): a home visit is to a household, household search across
all the officer's wards, likely duplicates warned before a household is added, and money typed
with the reader's thousands separators."""

import re
from datetime import UTC, datetime, timedelta

import pytest
from babel.numbers import format_decimal, get_group_symbol
from hypothesis import given
from hypothesis import strategies as st
from sqlalchemy import func, select

from tests.factories import make_area, make_city, make_household, make_officer, make_user
from tracker import parsing
from tracker.dates import local_today
from tracker.errors import RuleBroken
from tracker.extensions import db
from tracker.models import Contact, Enrollment, Household
from tracker.services import households as household_service
from tracker.services.contacts import ContactInput, log_contact


@pytest.fixture
def wards(app):
    _, city = make_city()
    kim_tan, coc_leu = make_area("Kim Tân", parent=city), make_area("Cốc Lếu", parent=city)
    other_ward = make_area("Bắc Cường", parent=city)
    lan = make_officer("lan", areas=[kim_tan, coc_leu], full_name="Lan")
    binh = make_officer("binh", areas=[other_ward])
    for user in (lan, binh):
        user.created_at = datetime(2023, 1, 1, tzinfo=UTC)
    db.session.commit()
    hai = make_household(coc_leu, "Vũ Ngọc Hải", address="Số 12, Nguyễn Huệ", phone="0912345678")
    stranger = make_household(other_ward, "Vũ Ngọc Hải", address="Tổ 1, Bắc Cường")
    return kim_tan, coc_leu, other_ward, lan, hai, stranger


def selected(html: str, name: str) -> str:
    """The option a select shows: the one marked selected, else its first."""
    select_tag = re.search(rf'<select[^>]*name="{name}"[^>]*>(.*?)</select>', html, re.S)[1]
    chosen = re.search(r'<option selected value="([^"]*)"', select_tag)
    return (chosen or re.search(r'<option[^>]* value="([^"]*)"', select_tag))[1]


def invalid_feedback(html: str) -> str:
    return " ".join(re.findall(r'class="invalid-feedback">([^<]*)<', html))


def count(model) -> int:
    return db.session.scalar(select(func.count()).select_from(model))


def form(area, **values) -> dict:
    data = {
        "client_token": values.pop("client_token", "tok-1"),
        "area_id": str(area.id),
        "contacted_on": (local_today() - timedelta(days=1)).isoformat(),
        "channel": "home_visit",
        "outcome": "informed",
        "people_reached": "1",
    }
    data.update({k: str(v) for k, v in values.items()})
    return data


def body(area, **extra) -> dict:
    return {
        "client_token": "c-1",
        "area": area.id,
        "contacted_on": local_today().isoformat(),
        "channel": "home_visit",
        "outcome": "informed",
        "people_reached": 1,
        **extra,
    }


# A home visit is to a household ------------------------------------------------------------


def test_service_refuses_a_home_visit_to_nobody(wards):
    kim_tan, *_, lan, _hai, _stranger = wards
    data = ContactInput("t", kim_tan.id, local_today(), "home_visit", "informed", 1)
    with pytest.raises(RuleBroken) as refused:
        log_contact(lan, data)
    assert set(refused.value.fields) == {"household"}
    assert count(Contact) == 0


@pytest.mark.parametrize("channel", ["phone", "ward_meeting", "awareness_session", "message"])
def test_other_channels_may_have_no_household(wards, channel):
    kim_tan, *_, lan, _hai, _stranger = wards
    contact, created = log_contact(
        lan, ContactInput("t", kim_tan.id, local_today(), channel, "informed", 1)
    )
    assert created and contact.household_id is None


def test_an_untouched_form_shows_the_error_on_the_household_field(wards, client, auth):
    kim_tan, *_ = wards
    auth.login("lan")
    page = client.get("/contacts/new").get_data(as_text=True)
    assert selected(page, "channel") == "home_visit"
    response = client.post("/contacts/new", data=form(kim_tan))
    assert response.status_code == 422
    html = response.get_data(as_text=True)
    assert re.search(r'<input[^>]*class="[^"]*is-invalid[^"]*"[^>]*id="household_query"', html)
    assert "Đến tận nhà là đến một hộ" in invalid_feedback(html)
    assert count(Contact) == 0


def test_a_home_visit_with_a_household_or_a_new_one_is_saved(wards, client, auth):
    kim_tan, coc_leu, _, _, hai, _ = wards
    auth.login("lan")
    assert client.post("/contacts/new", data=form(coc_leu, household_id=hai.id)).status_code == 302
    new = form(
        kim_tan,
        client_token="tok-2",
        create_household="y",
        new_head_name="Đỗ Thị Mai",
        new_category="trader",
    )
    assert client.post("/contacts/new", data=new).status_code == 302
    assert count(Contact) == 2


def test_api_answers_422_on_the_household_field(wards, client, auth):
    kim_tan, *_ = wards
    auth.login("lan")
    response = client.post("/api/v1/contacts", json=body(kim_tan))
    assert response.status_code == 422
    error = response.json["error"]
    assert error["code"] == "invalid" and set(error["fields"]) == {"household"}
    assert count(Contact) == 0
    assert client.post("/api/v1/contacts", json=body(kim_tan, channel="phone")).status_code == 201


@pytest.mark.parametrize(
    "locale,shown,not_shown", [("vi", "10.000", "10,000"), ("en", "10,000", "10.000")]
)
def test_people_range_error_in_the_readers_number_format(
    wards, client, auth, locale, shown, not_shown
):
    kim_tan, *_, lan, _hai, _stranger = wards
    lan.locale = locale
    db.session.commit()
    auth.login("lan")
    response = client.post(
        "/contacts/new", data=form(kim_tan, channel="phone", people_reached="10001")
    )
    error = invalid_feedback(response.get_data(as_text=True))
    assert shown in error and not_shown not in error


# Household search across the officer's wards -------------------------------------------------


def test_search_finds_a_household_of_the_officers_other_ward(wards):
    kim_tan, coc_leu, _, lan, hai, stranger = wards
    found = household_service.search(lan, "vu ngoc hai")
    assert found == [hai]  # Cốc Lếu's, while the form may show Kim Tân; never Bắc Cường's
    assert household_service.search(lan, "vu ngoc hai", kim_tan.id) == []  # asked for one ward


def test_api_search_covers_all_wards_and_names_each_result_s_ward(wards, client, auth):
    *_, hai, stranger = wards
    auth.login("lan")
    households = client.get("/api/v1/households?q=V%C5%A9+ng%E1%BB%8Dc+h%E1%BA%A3i").json[
        "households"
    ]
    assert [(h["id"], h["area_name"]) for h in households] == [(hai.id, "Cốc Lếu")]
    mine = client.get("/api/v1/households/mine").json["households"]
    assert {h["area_name"] for h in mine} == {"Cốc Lếu"} and stranger.id not in {
        h["id"] for h in mine
    }


# Likely duplicates before a household is added ----------------------------------------------


def new_household(area, name="Vũ Ngọc Hải", **extra) -> dict:
    return form(
        area,
        create_household="y",
        new_head_name=name,
        new_category="trader",
        **extra,
    )


def test_likely_duplicates_by_name_phone_and_numbered_address(wards):
    kim_tan, coc_leu, _, lan, hai, stranger = wards
    tu = make_household(kim_tan, "Lê Văn Tư", address="Tổ 3, Kim Tân")
    by_name = household_service.likely_duplicates(lan, "  VU ngoc  HAI ", area_id=kim_tan.id)
    assert [(d.household, d.reasons) for d in by_name] == [(hai, ("name",))]  # not Bắc Cường's
    by_phone = household_service.likely_duplicates(lan, "Ai Khác", "0912 345 678")
    assert [(d.household, d.reasons) for d in by_phone] == [(hai, ("phone",))]
    by_address = household_service.likely_duplicates(
        lan, "Ai Khác", address="số 12, nguyen hue", area_id=coc_leu.id
    )
    assert [d.household for d in by_address] == [hai]
    # the same address in another ward, or a neighbourhood group without a house number, is not
    assert (
        household_service.likely_duplicates(
            lan, "Ai Khác", address="Số 12, Nguyễn Huệ", area_id=kim_tan.id
        )
        == []
    )
    assert (
        household_service.likely_duplicates(lan, "Ai", address="Tổ 3, Kim Tân", area_id=kim_tan.id)
        == []
    )
    assert tu.id and household_service.likely_duplicates(lan, "", "") == []
    both = household_service.likely_duplicates(lan, "Vũ Ngọc Hải", "0912345678")
    assert both[0].reasons == ("name", "phone")


def test_a_likely_duplicate_is_refused_until_the_officer_says_different(wards, client, auth):
    kim_tan, *_ = wards
    auth.login("lan")
    before = count(Household)
    refused = client.post("/contacts/new", data=new_household(kim_tan))
    assert refused.status_code == 422
    html = refused.get_data(as_text=True)
    assert "Vũ Ngọc Hải (Cốc Lếu, Số 12, Nguyễn Huệ)" in invalid_feedback(html)
    assert 'id="duplicate-warning"' in html and not re.search(
        r'id="duplicate-warning"[^>]*\shidden', html, re.S
    )
    assert count(Household) == before and count(Contact) == 0
    confirmed = client.post("/contacts/new", data=new_household(kim_tan, new_different_person="y"))
    assert confirmed.status_code == 302
    assert count(Household) == before + 1 and count(Contact) == 1


def test_api_duplicates_and_override(wards, client, auth):
    kim_tan, coc_leu, other_ward, lan, hai, stranger = wards
    auth.login("lan")
    found = client.get(
        "/api/v1/households/duplicates", query_string={"name": "vu ngoc hai", "area": kim_tan.id}
    ).json["households"]
    assert [(h["id"], h["area_name"], h["reasons"]) for h in found] == [
        (hai.id, "Cốc Lếu", ["name"])
    ]
    # another officer's ward is never probed, whatever `area` says
    probe = client.get(
        "/api/v1/households/duplicates",
        query_string={"name": "x", "address": "Tổ 1, Bắc Cường", "area": other_ward.id},
    )
    assert probe.json["households"] == []
    new = {"head_name": "Vũ Ngọc Hải", "address": "", "category": "other"}
    refused = client.post("/api/v1/contacts", json=body(kim_tan, new_household=new))
    assert refused.status_code == 422
    assert set(refused.json["error"]["fields"]) == {"new_household.different_person"}
    assert refused.json["error"]["code"] == "invalid"
    new["different_person"] = True
    assert client.post("/api/v1/contacts", json=body(kim_tan, new_household=new)).status_code == 201


def test_duplicates_api_needs_a_field_officer(wards, client, auth):
    make_user("leader", "leader")
    auth.login("leader")
    assert client.get("/api/v1/households/duplicates?name=a").status_code == 403
    auth.logout()
    assert client.get("/api/v1/households/duplicates?name=a").status_code in (401, 302)


# Money with the reader's thousands separators ------------------------------------------------


@pytest.mark.parametrize(
    "text,group,expected",
    [
        ("3.000.000", ".", 3_000_000),
        ("3,000,000", ",", 3_000_000),
        ("3000000", ".", 3_000_000),
        ("3000000", ",", 3_000_000),
        (" 3 000 000 ", ".", 3_000_000),
        ("3\u00a0000\u00a0000", ",", 3_000_000),
        ("1.500", ".", 1_500),
        ("3,000,000", ".", None),  # a decimal comma in Vietnamese: not a whole number
        ("3.000.000", ",", None),  # a decimal point in English
        ("3,5", ".", None),
        ("30.00", ".", None),
        ("3.0000", ".", None),
        (".000", ".", None),
        ("3..000", ".", None),
        ("", ".", None),
        ("٣.٠٠٠", ".", None),  # Arabic-Indic digits
        ("99.999.999.999", ".", None),  # more than the database holds
        ("-3.000", ".", None),
    ],
)
def test_grouped_number(text, group, expected):
    assert parsing.grouped_number(text, group) == expected


@given(st.integers(0, parsing.DB_INT_MAX), st.sampled_from(["vi", "en"]))
def test_grouped_number_reads_what_babel_writes(amount, locale):
    written = format_decimal(amount, locale=locale)
    assert parsing.grouped_number(written, get_group_symbol(locale)) == amount


@given(st.text(max_size=20), st.sampled_from([".", ","]))
def test_grouped_number_never_breaks(text, group):
    number = parsing.grouped_number(text, group)
    assert number is None or 0 <= number <= parsing.DB_INT_MAX


def enrollment(area, **values) -> dict:
    data = {
        "client_token": values.pop("client_token", "enr-1"),
        "area_id": str(area.id),
        "participant_name": "Vũ Ngọc Hải",
        "enrolled_on": "2025-07-01",
        "scheme": "voluntary_si",
        "category": "poor",
        "payment_period": "3",
        "collection_org_id": "None",
    }
    data.update({k: str(v) for k, v in values.items()})
    return data


@pytest.mark.parametrize("locale,typed", [("vi", "1.500.000"), ("en", "1,500,000")])
def test_income_typed_grouped_in_the_readers_locale(wards, client, auth, locale, typed):
    kim_tan, *_, lan, _hai, _stranger = wards
    lan.locale = locale
    db.session.commit()
    auth.login("lan")
    assert (
        client.post("/enrollments/new", data=enrollment(kim_tan, income_basis=typed)).status_code
        == 302
    )
    saved = db.session.scalar(select(Enrollment))
    assert saved.income_basis == 1_500_000
    page = client.get(f"/enrollments/{saved.id}/edit").get_data(as_text=True)
    assert f'value="{typed}"' in page  # shown grouped again


@pytest.mark.parametrize(
    "locale,typed,message",
    [
        ("en", "1.500.000", "A whole number of đồng, such as 3,000,000."),
        ("vi", "1,500,000", "Một số nguyên đồng, ví dụ 3.000.000."),
        ("en", "-1,000", "From 0 to 2,147,483,647 đồng."),
        ("vi", "-1.000", "Từ 0 đến 2.147.483.647 đồng."),
        ("en", "99,000,000", "From 1,500,000 to 46,800,000 đồng a month on this date."),
    ],
)
def test_income_errors_in_the_readers_number_format(wards, client, auth, locale, typed, message):
    kim_tan, *_, lan, _hai, _stranger = wards
    lan.locale = locale
    db.session.commit()
    auth.login("lan")
    response = client.post("/enrollments/new", data=enrollment(kim_tan, income_basis=typed))
    assert response.status_code == 422
    html = response.get_data(as_text=True)
    assert message in invalid_feedback(html)
    assert f'value="{typed}"' in html  # what was typed stays, to correct
    assert count(Enrollment) == 0


def test_enrollment_form_shows_the_amount_due_for_the_period_server_side(wards, client, auth):
    kim_tan, *_ = wards
    auth.login("lan")
    data = enrollment(kim_tan, income_basis="1.500.000", payment_period="3", participant_name="")
    html = client.post("/enrollments/new", data=data).get_data(as_text=True)
    due = re.search(r'id="calc-due"[^>]*>([^<]*)<', html)[1]
    assert due == "495.000 đ"  # (330.000 − 165.000) × 3 months, before any script runs
    assert "(3 tháng)" in html
    page = client.get("/enrollments/new").get_data(as_text=True)
    assert re.search(r'id="calc-due"[^>]*>([^<]*)<', page)[1] != "—"  # the minimum, monthly


@pytest.mark.parametrize(
    "change",
    [
        {"payment_period": "²"},
        {"category": "rich"},
        {"payment_period": "lump_sum", "lump_sum_years": "x"},
    ],
)
def test_the_amount_due_never_breaks_on_bad_choices(wards, client, auth, change):
    kim_tan, *_ = wards
    auth.login("lan")
    response = client.post("/enrollments/new", data=enrollment(kim_tan, **change))
    assert response.status_code == 422
    assert re.search(r'id="calc-due"[^>]*>([^<]*)<', response.get_data(as_text=True))[1] == "—"
