"""The long lists (renewals, prospects, duplicate households): paged and counted in SQL, filtered
only within what the role sees, in Vietnamese order, and calm before hostile filter values."""

import re
from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import event

from tests.factories import (
    make_area,
    make_city,
    make_contact,
    make_enrollment,
    make_household,
    make_officer,
    make_user,
)
from tracker.dates import local_today
from tracker.extensions import db
from tracker.outreach import renewals as renewal_views
from tracker.outreach import reviews as review_views


@pytest.fixture
def office(app):
    _, city = make_city()
    kim_tan = make_area("Phường Kim Tân", parent=city, code="KT")
    coc_leu = make_area("Phường Cốc Lếu", parent=city, code="CL")
    far = make_area("Phường Bắc Cường", parent=city, code="BC")
    chief = make_user("chief", "supervisor", full_name="Trần Văn Bình")
    lan = make_officer("lan", supervisor=chief, areas=[kim_tan], full_name="Phạm Thị Lan")
    minh = make_officer("minh", supervisor=chief, areas=[coc_leu], full_name="Đỗ Văn Minh")
    chief2 = make_user("chief2", "supervisor")
    binh = make_officer("binh", supervisor=chief2, areas=[far], full_name="Lê Thị Bình")
    for user in (chief, lan, minh, chief2, binh):
        user.created_at = datetime(2023, 1, 1, tzinfo=UTC)
    db.session.commit()
    make_user("boss", "admin")
    make_user("leader", "leader")
    return {"kim_tan": kim_tan, "coc_leu": coc_leu, "far": far}, {
        "chief": chief,
        "lan": lan,
        "minh": minh,
        "binh": binh,
    }


def rows(page: str, marker: str) -> int:
    return page.count(f'data-test="{marker}"')


def text(page: str) -> str:
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", page))


def due_on(officer, area, days: int, name: str, scheme: str = "voluntary_si"):
    today = local_today()
    return make_enrollment(
        officer,
        area,
        today - timedelta(days=400),
        paid_through_on=today + timedelta(days=days),
        participant_name=name,
        scheme=scheme,
    )


# Renewals ----------------------------------------------------------------------------------


def test_renewals_come_a_page_at_a_time_counted_in_sql(office, client, auth, monkeypatch):
    areas, people = office
    for number in range(renewal_views.PER_PAGE + 5):
        due_on(people["lan"], areas["kim_tan"], -200 - number, f"Người {number:02d}")
    auth.login("chief")
    first = client.get("/renewals?status=lapsed").get_data(as_text=True)
    assert rows(first, "renewal-row") == renewal_views.PER_PAGE
    assert f"1–{renewal_views.PER_PAGE} trên tổng số 30" in text(first)
    second = client.get("/renewals?status=lapsed&page=2").get_data(as_text=True)
    assert rows(second, "renewal-row") == 5
    assert "26–30 trên tổng số 30" in text(second)
    # The pages' links keep the filter.
    assert "status=lapsed" in second[second.index('data-test="pagination"') :]

    statements = []
    engine = db.engine
    listen = lambda *args: statements.append(args[2])  # noqa: E731
    event.listen(engine, "before_cursor_execute", listen)
    try:
        client.get("/renewals?status=lapsed&page=2")
    finally:
        event.remove(engine, "before_cursor_execute", listen)
    paged = [s for s in statements if "FROM enrollments" in s and "LIMIT" in s.upper()]
    assert paged, "the page is cut in SQL"
    assert any("count(" in s.lower() for s in statements), "and counted in SQL"


def test_renewals_order_who_can_still_be_kept_first(office, client, auth):
    areas, people = office
    lan, ward = people["lan"], areas["kim_tan"]
    due_on(lan, ward, -400, "Ngừng Lâu")
    due_on(lan, ward, -100, "Ngừng Gần")
    due_on(lan, ward, 3, "Sắp Đến Hạn")
    due_on(lan, ward, -5, "Quá Hạn")
    due_on(lan, ward, 200, "Còn Lâu")  # beyond the window
    auth.login("lan")
    page = text(client.get("/renewals").get_data(as_text=True))
    order = [page.index(name) for name in ("Quá Hạn", "Sắp Đến Hạn", "Ngừng Gần", "Ngừng Lâu")]
    assert order == sorted(order)
    assert "Còn Lâu" not in page
    assert "quá hạn" in page and "ngừng đóng" in page and "đến hạn" in page


@pytest.mark.parametrize(
    ("query", "shown", "hidden"),
    [
        ("status=overdue", {"Quá Hạn"}, {"Sắp Đến Hạn", "Ngừng Gần", "Của Minh", "Y Tế"}),
        ("status=due", {"Sắp Đến Hạn"}, {"Quá Hạn", "Ngừng Gần"}),
        ("status=lapsed", {"Ngừng Gần"}, {"Quá Hạn", "Sắp Đến Hạn"}),
        ("window=7", {"Sắp Đến Hạn", "Quá Hạn"}, {"Trong Hai Tháng"}),
        ("window=60", {"Trong Hai Tháng"}, set()),
        ("scheme=household_hi", {"Y Tế"}, {"Quá Hạn", "Của Minh"}),
        ("officer={minh}", {"Của Minh"}, {"Quá Hạn", "Y Tế"}),
        ("area={coc_leu}", {"Của Minh"}, {"Quá Hạn", "Sắp Đến Hạn"}),
    ],
)
def test_renewals_filters(office, client, auth, query, shown, hidden):
    areas, people = office
    lan, ward = people["lan"], areas["kim_tan"]
    due_on(lan, ward, -5, "Quá Hạn")
    due_on(lan, ward, 3, "Sắp Đến Hạn")
    due_on(lan, ward, -100, "Ngừng Gần")
    due_on(lan, ward, 45, "Trong Hai Tháng")
    due_on(lan, ward, 10, "Y Tế", scheme="household_hi")
    due_on(people["minh"], areas["coc_leu"], 12, "Của Minh")
    auth.login("chief")
    url = "/renewals?" + query.format(minh=people["minh"].id, coc_leu=areas["coc_leu"].id)
    page = text(client.get(url).get_data(as_text=True))
    assert all(name in page for name in shown), shown
    assert not any(name in page for name in hidden), hidden


def test_renewal_filters_never_widen_what_a_role_sees(office, client, auth):
    areas, people = office
    due_on(people["binh"], areas["far"], -5, "Người Đội Khác")
    due_on(people["minh"], areas["coc_leu"], -5, "Người Của Minh")
    auth.login("chief")
    for query in (f"officer={people['binh'].id}", f"area={areas['far'].id}", ""):
        page = client.get(f"/renewals?{query}").get_data(as_text=True)
        assert "Người Đội Khác" not in page
    auth.logout()
    auth.login("lan")  # an officer sees only their own, whatever the filter names
    page = client.get(f"/renewals?officer={people['minh'].id}").get_data(as_text=True)
    assert "Người Của Minh" not in page and 'id="officer"' not in page


def test_a_renewal_sends_the_officer_back_to_the_same_page(office, client, auth):
    areas, people = office
    person = due_on(people["lan"], areas["kim_tan"], -5, "Quá Hạn")
    auth.login("lan")
    page = client.get("/renewals?status=overdue&window=7").get_data(as_text=True)
    assert f"/renewals/{person.id}?window=7&amp;status=overdue" in page
    response = client.post(
        f"/renewals/{person.id}?window=7&status=overdue",
        data={"renewed_on": local_today().isoformat(), "months": "3", "client_token": "b-1"},
    )
    assert response.status_code == 302
    assert response.location.endswith("/renewals?window=7&status=overdue")


# Prospects ---------------------------------------------------------------------------------


def test_prospects_are_paged_in_vietnamese_order(office, client, auth):
    areas, people = office
    names = ["Đỗ Văn Em", "Bùi Thị Ánh", "Dương Văn Dũng", "Ánh Dương", "Bạch Văn Ba"]
    for name in names:
        make_household(areas["kim_tan"], name)
    for number in range(review_views.PER_PAGE):
        make_household(areas["coc_leu"], f"Hộ {number:02d}")  # Cốc Lếu fills the first page
    auth.login("chief")
    first = client.get("/prospects").get_data(as_text=True)
    assert rows(first, "prospect-row") == review_views.PER_PAGE
    assert f"1–{review_views.PER_PAGE} trên tổng số {review_views.PER_PAGE + 5}" in text(first)
    second = text(client.get("/prospects?page=2").get_data(as_text=True))
    # Phường Cốc Lếu comes before Phường Kim Tân; in Kim Tân, a < ă < â < b and d < đ.
    shown = [name for name in sorted(names, key=second.find) if name in second]
    assert shown == ["Ánh Dương", "Bạch Văn Ba", "Bùi Thị Ánh", "Dương Văn Dũng", "Đỗ Văn Em"]


@pytest.mark.parametrize(
    ("query", "shown", "hidden"),
    [
        ("q=nguyen van", {"Nguyễn Văn An"}, {"Trần Thị Bé", "Lò Văn Cả"}),
        ("q=HOANG LIEN", {"Nguyễn Văn An"}, {"Trần Thị Bé"}),
        ("status=interested", {"Trần Thị Bé"}, {"Nguyễn Văn An"}),
        ("category=farmer", {"Lò Văn Cả"}, {"Nguyễn Văn An", "Trần Thị Bé"}),
        ("officer={minh}", {"Lò Văn Cả"}, {"Nguyễn Văn An"}),
        ("area={coc_leu}", {"Lò Văn Cả"}, {"Nguyễn Văn An", "Trần Thị Bé"}),
        ("status=enrolled", {"Nguyễn Văn An", "Lò Văn Cả"}, {"Đã Tham Gia"}),  # ignored
    ],
)
def test_prospect_filters(office, client, auth, query, shown, hidden):
    areas, people = office
    make_household(areas["kim_tan"], "Nguyễn Văn An", address="Số 5, Hoàng Liên")
    make_household(areas["kim_tan"], "Trần Thị Bé", status="interested")
    make_household(areas["kim_tan"], "Đã Tham Gia", status="enrolled")
    make_household(areas["coc_leu"], "Lò Văn Cả", category="farmer", officer_id=people["minh"].id)
    auth.login("chief")
    url = "/prospects?" + query.format(minh=people["minh"].id, coc_leu=areas["coc_leu"].id)
    page = text(client.get(url).get_data(as_text=True))
    assert all(name in page for name in shown), shown
    assert not any(name in page for name in hidden), hidden


def test_prospect_filters_never_widen_the_supervisors_wards(office, client, auth):
    areas, people = office
    make_household(areas["far"], "Hộ Đội Khác", officer_id=people["binh"].id)
    auth.login("chief")
    for query in (f"area={areas['far'].id}", f"officer={people['binh'].id}", "q=doi khac"):
        assert "Hộ Đội Khác" not in client.get(f"/prospects?{query}").get_data(as_text=True)


def test_a_recorded_review_keeps_its_filters_on_error(office, client, auth):
    areas, _ = office
    make_household(areas["kim_tan"], "Nguyễn Văn An")
    auth.login("chief")
    response = client.post(f"/prospects?area={areas['kim_tan'].id}", data={"month": "2026-11"})
    assert response.status_code == 422
    assert "Nguyễn Văn An" in response.get_data(as_text=True)


# Duplicate households ----------------------------------------------------------------------


def test_duplicate_groups_are_scored_filtered_and_paged(office, client, auth, monkeypatch):
    areas, _ = office
    kim_tan, coc_leu = areas["kim_tan"], areas["coc_leu"]
    make_household(kim_tan, "Nguyễn Văn An", phone="0911000001")
    make_household(kim_tan, "NGUYEN VAN AN", phone="0911000001")  # name and phone
    make_household(kim_tan, "Trần Thị Bé", phone="0911000002")
    make_household(kim_tan, "Tran Thi Be", phone="0911000003")  # the name only
    make_household(coc_leu, "Lò Văn Cả", phone="0911000004")
    make_household(coc_leu, "Lò Thị Dung", phone="0911000004")  # the phone only
    auth.login("chief")
    page = client.get("/households/duplicates").get_data(as_text=True)
    assert rows(page, "duplicate-group") == 3
    matches = re.findall(r'data-test="match">([^<]*)<', page)
    assert [m.split(" · ")[0] for m in matches] == [
        "Trùng tên và số điện thoại",
        "Trùng tên",
        "Trùng số điện thoại, khác tên",
    ]
    only_phone = client.get("/households/duplicates?match=phone").get_data(as_text=True)
    assert rows(only_phone, "duplicate-group") == 1 and "Lò Thị Dung" in only_phone
    in_kim_tan = client.get(f"/households/duplicates?area={kim_tan.id}").get_data(as_text=True)
    assert rows(in_kim_tan, "duplicate-group") == 2 and "Lò Văn Cả" not in in_kim_tan

    monkeypatch.setattr("tracker.households.duplicates.PER_PAGE", 2)
    second = client.get("/households/duplicates?page=2").get_data(as_text=True)
    assert rows(second, "duplicate-group") == 1 and "Lò Thị Dung" in second
    assert "3–3 trên tổng số 3" in text(second)


def test_the_household_with_more_history_is_offered_to_keep(office, client, auth):
    areas, people = office
    empty = make_household(areas["kim_tan"], "Nguyễn Văn An")
    busy = make_household(areas["kim_tan"], "Nguyen Van An")
    make_contact(people["lan"], areas["kim_tan"], local_today(), household=busy)
    auth.login("chief")
    page = client.get("/households/duplicates").get_data(as_text=True)
    assert f'name="keep" value="{busy.id}"' in page
    assert f'name="remove" value="{empty.id}"' in page
    assert "1 lượt tuyên truyền, vận động" in text(page)


def test_duplicate_filters_never_widen_and_a_merge_comes_back_filtered(office, client, auth):
    areas, _ = office
    make_household(areas["far"], "Hộ Trùng")
    make_household(areas["far"], "Ho Trung")
    keep = make_household(areas["kim_tan"], "Nguyễn Văn An")
    copy = make_household(areas["kim_tan"], "Nguyen Van An")
    auth.login("chief")
    page = client.get(f"/households/duplicates?area={areas['far'].id}").get_data(as_text=True)
    assert rows(page, "duplicate-group") == 0 and "Hộ Trùng" not in page
    response = client.post(
        f"/households/merge?area={areas['kim_tan'].id}&match=name",
        data={"keep": keep.id, "remove": copy.id},
    )
    assert response.location.endswith(
        f"/households/duplicates?area={areas['kim_tan'].id}&match=name"
    )


# Hostile filter values ---------------------------------------------------------------------

HOSTILE = [
    "window=-1&status=%27;drop%20table&area=99999999999&officer=abc&scheme=x&page=0",
    "window=99999999999999999999&area=-5&officer=%C2%B2&page=-1",
    "status=due&status=lapsed&area=1&area=x",
    "page=99999999999999999999",
    "page=5000",
    "q=" + "%25" * 300 + "&status=%5Cx&category=%3Cscript%3E",
    "match=%27%20OR%201%3D1&area=1e9",
    "scheme=" + "x" * 5000,
]


@pytest.mark.parametrize("path", ["/renewals", "/prospects", "/households/duplicates"])
@pytest.mark.parametrize("query", HOSTILE)
def test_hostile_filter_values_are_ignored_never_a_500(office, client, auth, path, query):
    auth.login("chief")
    response = client.get(f"{path}?{query}")
    assert response.status_code < 500
    assert response.status_code in (200, 400)
    assert "<script>" not in response.get_data(as_text=True)


def test_a_page_past_the_end_says_so(office, client, auth):
    areas, people = office
    due_on(people["lan"], areas["kim_tan"], -5, "Quá Hạn")
    auth.login("lan")
    page = client.get("/renewals?page=40").get_data(as_text=True)
    assert "Trang này nằm ngoài danh sách." in page and "Về trang đầu" in page
