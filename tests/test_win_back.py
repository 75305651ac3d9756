"""Who to call (services/lifecycle.to_win_back): Today lists an officer's own participants who
lapsed or lapse within 30 days, the team page the whole team's; by the day they lapse,
earliest first, ties in Vietnamese order; who renewed is not there."""

from __future__ import annotations

from datetime import date

import pytest
from flask_babel import force_locale

from tests.factories import make_area, make_city, make_enrollment, make_officer, make_user
from tracker.extensions import db
from tracker.services import lifecycle, renewals

TODAY = date(2024, 6, 15)  # grace 30: paid through 2024-05-15 or before has lapsed by today


@pytest.fixture
def team(app, monkeypatch):
    for module in ("tracker.main.views", "tracker.team.views"):
        monkeypatch.setattr(f"{module}.local_today", lambda: TODAY)
    _, city = make_city()
    ward = make_area("Phường Kim Tân", parent=city)
    chief = make_user("chief", "supervisor")
    lan = make_officer("lan", supervisor=chief, areas=[ward], full_name="Lan")
    binh = make_officer("binh", supervisor=chief, areas=[ward], full_name="Hà Minh")

    def person(officer, name, paid_through, scheme="voluntary_si"):
        enrollment = make_enrollment(
            officer, ward, date(2023, 1, 1), participant_name=name, months_paid=3, scheme=scheme
        )
        enrollment.paid_through_on = paid_through
        db.session.commit()
        return enrollment

    people = {
        "longest": person(lan, "Trần Văn Cũ", date(2023, 12, 31)),  # lapsed 2024-01-31
        # two lapsed the same day: Vietnamese order puts Bắc before Bình (code points do not)
        "binh": person(lan, "Nguyễn Văn Bình", date(2024, 3, 31)),
        "bac": person(lan, "Nguyễn Văn Bắc", date(2024, 3, 31)),
        "soon": person(lan, "Lê Thị Sắp", date(2024, 6, 1)),  # lapses 2024-07-02
        "later": person(lan, "Phạm Văn Xa", date(2024, 6, 30)),  # lapses 2024-07-31: not yet
        "renewed": person(lan, "Hoàng Văn Đóng", date(2024, 3, 31)),
        "health": person(lan, "Vũ Thị Bảo Hiểm", date(2024, 3, 31), "household_hi"),
        "binhs": person(binh, "Đinh Văn Khác", date(2024, 4, 30)),  # lapsed 2024-05-31
    }
    renewals.record(
        lan, people["renewed"], renewals.RenewalInput(date(2024, 6, 10), "3", client_token="r1")
    )
    db.session.commit()
    return chief, lan, binh, people


def lapses_card(page: str) -> str:
    start = page.index('data-test="lapses"')
    return page[start : page.index("card-footer", start)]


def names_in_order(page: str, people: dict, keys) -> list[str]:
    found = [(page.find(people[key].participant_name), key) for key in keys]
    assert all(position >= 0 for position, _key in found), found
    return [key for _position, key in sorted(found)]


def test_the_service_lists_who_lapsed_and_who_will_by_urgency(team):
    _, lan, _, people = team
    listed = lifecycle.to_win_back([lan.id], TODAY, "voluntary_si")
    assert [e.participant_name for e in listed.rows] == [
        "Trần Văn Cũ",
        "Nguyễn Văn Bắc",
        "Nguyễn Văn Bình",
        "Lê Thị Sắp",
    ]
    assert [listed.has_lapsed(e) for e in listed.rows] == [True, True, True, False]
    assert listed.lapsed_on(people["soon"]) == date(2024, 7, 2)
    with force_locale("vi"):
        assert listed.label(people["bac"]) == "ngừng từ 01/05/2024"
        assert listed.label(people["soon"]) == "sẽ ngừng từ 02/07/2024 nếu chưa đóng"
    shown_two = lifecycle.to_win_back([lan.id], TODAY, "voluntary_si", shown=2)
    assert len(shown_two.rows) == 2 and shown_two.more == 2
    health = lifecycle.to_win_back([lan.id], TODAY, "household_hi")
    assert [e.participant_name for e in health.rows] == ["Vũ Thị Bảo Hiểm"]


def test_today_lists_the_officers_own(team, client, auth):
    _, _, _, people = team
    auth.login("lan")
    page = client.get("/").get_data(as_text=True)
    section = lapses_card(page)
    assert names_in_order(section, people, ["soon", "binh", "longest", "bac"]) == [
        "longest",
        "bac",
        "binh",
        "soon",
    ]
    for key in ("renewed", "later", "health", "binhs"):
        assert people[key].participant_name not in section, key


def test_the_team_page_lists_the_whole_teams(team, client, auth):
    _, _, _, people = team
    auth.login("chief")
    page = client.get("/team").get_data(as_text=True)
    section = lapses_card(page)
    assert names_in_order(section, people, ["soon", "binhs", "bac", "longest", "binh"]) == [
        "longest",
        "bac",
        "binh",
        "binhs",
        "soon",
    ]
    assert "Hà Minh" in section  # whose participant it is
    for key in ("renewed", "later", "health"):
        assert people[key].participant_name not in section, key
