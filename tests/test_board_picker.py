"""The officer board's picker (tracker/services/picker.py, GET /api/v1/boards/picker): names
matched without accents or case, units of the day only, at most 20 of each kind in Vietnamese
order, an office's own areas and teams, the same for every role (boards are unscoped), and the
board's selects bounded to one office when there are several."""

from datetime import date

import pytest

from tests.factories import make_area, make_office, make_officer, make_user
from tracker.access import rule_of
from tracker.collation import sort_key
from tracker.extensions import db
from tracker.services import picker

BEFORE = date(2024, 3, 1)  # the city and its wards exist
AFTER = date(2026, 1, 1)  # since 2025-07-01 wards sit under the province


@pytest.fixture
def country(app):
    lao_cai = make_area("Lào Cai", "province")
    city = make_area("Thành phố Lào Cai", "district", parent=lao_cai, valid_to=date(2025, 7, 1))
    kim_tan = make_area("Phường Kim Tân", parent=city, valid_to=date(2025, 7, 1))
    coc_leu = make_area("Phường Cốc Lếu", parent=city, valid_to=date(2025, 7, 1))
    tan_lap_lc = make_area("Xã Tân Lập", "commune", parent=city, valid_to=date(2025, 7, 1))
    new_ward = make_area("Phường Lào Cai", parent=lao_cai, valid_from=date(2025, 7, 1))
    yen_bai = make_area("Yên Bái", "province")
    tan_lap_yb = make_area("Xã Tân Lập", "commune", parent=yen_bai)
    lc = make_office("BHXH tỉnh Lào Cai", covers=[lao_cai], code="LC")
    yb = make_office("BHXH tỉnh Yên Bái", covers=[yen_bai], code="YB")
    closed = make_office("BHXH Tân Cũ", covers=[], code="OLD")
    closed.active = False
    binh = make_user("binh", "supervisor", full_name="Trần Văn Bình")
    tan = make_user("tan", "supervisor", full_name="Đỗ Thị Tân")
    gone = make_user("gone", "supervisor", full_name="Lê Tân Cũ", active=False)
    lan = make_officer("lan", supervisor=binh, areas=[kim_tan], full_name="Phạm Thị Lan")
    binh.office_id = gone.office_id = lan.office_id = lc.id
    tan.office_id = yb.id
    make_user("leader", "leader")
    make_user("admin", "admin")
    db.session.commit()
    return {
        "kim_tan": kim_tan,
        "coc_leu": coc_leu,
        "tan_lap_lc": tan_lap_lc,
        "tan_lap_yb": tan_lap_yb,
        "new_ward": new_ward,
        "lc": lc,
        "yb": yb,
        "closed": closed,
        "binh": binh,
        "tan": tan,
    }


def names(items) -> list[str]:
    return [item.name for item in items]


# The service ---------------------------------------------------------------------------------


@pytest.mark.parametrize("query", ["kim tan", "KIM TÂN", "Kim Tân", "  kim   tân ", "tan"])
def test_names_match_without_accents_or_case(country, query):
    found = picker.search(query, BEFORE)
    assert "Phường Kim Tân" in names(found.areas)
    kim_tan = next(item for item in found.areas if item.name == "Phường Kim Tân")
    assert (kim_tan.office_id, kim_tan.office_name) == (country["lc"].id, "BHXH tỉnh Lào Cai")


def test_a_query_matches_at_the_start_of_a_word(country):
    assert picker.search("im t", BEFORE) == picker.Found([], [], [])
    assert picker.search("   ", BEFORE) == picker.Found([], [], [])
    found = picker.search("tân", BEFORE)
    assert names(found.teams) == ["Đỗ Thị Tân"]  # not the inactive Lê Tân Cũ
    assert names(found.offices) == []  # BHXH Tân Cũ is closed
    assert names(found.areas) == ["Phường Kim Tân", "Xã Tân Lập", "Xã Tân Lập"]


def test_a_code_finds_its_office_and_punctuation_splits_words(country):
    assert names(picker.search("yb", BEFORE).offices) == ["BHXH tỉnh Yên Bái"]
    make_area("Phường 1 (Quận 3)", parent=country["tan_lap_yb"].parent)
    assert names(picker.search("quan 3", BEFORE).areas) == ["Phường 1 (Quận 3)"]
    assert names(picker.search("(Quận 3)", BEFORE).areas) == ["Phường 1 (Quận 3)"]


def test_only_the_units_of_the_day_and_only_wards_and_communes(country):
    assert names(picker.search("lao cai", BEFORE).areas) == []  # the province and city are not
    assert names(picker.search("lao cai", AFTER).areas) == ["Phường Lào Cai"]
    assert names(picker.search("kim tan", AFTER).areas) == []  # gone on 2025-07-01


def test_an_office_narrows_areas_and_teams_but_not_offices(country):
    found = picker.search("tan", BEFORE, country["yb"])
    assert [(i.id, i.office_id) for i in found.areas] == [
        (country["tan_lap_yb"].id, country["yb"].id)
    ]
    assert names(found.teams) == ["Đỗ Thị Tân"]
    assert names(picker.search("bhxh", BEFORE, country["yb"]).offices) == [
        "BHXH tỉnh Lào Cai",
        "BHXH tỉnh Yên Bái",
    ]
    assert picker.search("binh", BEFORE, country["yb"]).teams == []


def test_teams_and_areas_of_an_office(country):
    assert [user.full_name for user in picker.teams_for(country["lc"])] == ["Trần Văn Bình"]
    assert names(picker.areas_for(country["lc"], BEFORE)) == [
        "Phường Cốc Lếu",
        "Phường Kim Tân",
        "Xã Tân Lập",
    ]
    assert names(picker.areas_for(country["lc"], AFTER)) == ["Phường Lào Cai"]
    assert names(picker.areas_for(country["yb"], AFTER)) == ["Xã Tân Lập"]


def test_at_most_twenty_of_each_kind_in_vietnamese_order(country):
    province = db.session.get(type(country["kim_tan"]), country["tan_lap_yb"].parent_id)
    words = ["An", "Ân", "Ấn", "Bình", "Dương", "Đông", "Đức", "Á", "Ba", "Bắc", "Bảo", "Cường"]
    for first in words:
        for second in ("Hòa", "Hưng"):
            make_area(f"Phường Tân {first} {second}", parent=province)
    for index in range(25):
        make_user(f"s{index}", "supervisor", full_name=f"Tân {words[index % 12]} {index}")
    found = picker.search("tan", BEFORE)
    assert len(found.areas) == len(found.teams) == picker.LIMIT == 20
    every = sorted(
        [f"Phường Tân {a} {b}" for a in words for b in ("Hòa", "Hưng")]
        + ["Phường Kim Tân", "Xã Tân Lập", "Xã Tân Lập"],
        key=sort_key,
    )
    assert names(found.areas) == every[:20]
    assert names(found.areas)[:4] == [
        "Phường Kim Tân",
        "Phường Tân Á Hòa",
        "Phường Tân Á Hưng",
        "Phường Tân An Hòa",
    ]
    assert names(found.teams) == sorted(names(found.teams), key=sort_key)


# The API -------------------------------------------------------------------------------------


def test_the_route_declares_view_boards(app):
    assert rule_of(app.view_functions["api.board_picker"]) == "view_boards"


@pytest.mark.parametrize("persona", ["lan", "binh", "leader", "admin"])
def test_every_role_gets_what_the_board_offers(country, client, auth, persona):
    """Boards are unscoped (docs/design.md, "Roles"): an officer picks among what a leader does."""
    auth.login(persona)
    response = client.get("/api/v1/boards/picker?q=kim+tan&on=2024-03-01")
    assert response.status_code == 200
    body = response.json
    assert body["q"] == "kim tan" and body["on"] == "2024-03-01" and body["office"] is None
    assert body["areas"] == [
        {
            "kind": "area",
            "id": country["kim_tan"].id,
            "name": "Phường Kim Tân",
            "code": country["kim_tan"].code,
            "office": country["lc"].id,
            "office_name": "BHXH tỉnh Lào Cai",
        }
    ]
    assert body["offices"] == body["teams"] == []


def test_the_api_narrows_to_an_office(country, client, auth):
    auth.login("leader")
    office = country["yb"].id
    body = client.get(f"/api/v1/boards/picker?q=t%C3%A2n+l%E1%BA%ADp&office={office}").json
    assert [(item["id"], item["office_name"]) for item in body["areas"]] == [
        (country["tan_lap_yb"].id, "BHXH tỉnh Yên Bái")
    ]
    assert body["office"] == office


def test_signed_out_readers_get_401_json(country, client):
    response = client.get("/api/v1/boards/picker?q=kim")
    assert response.status_code == 401
    assert response.json["error"]["code"]


@pytest.mark.parametrize(
    ("query", "status", "field"),
    [
        ("q=kim&on=2024-02-30", 422, "on"),
        ("q=kim&on=yesterday", 422, "on"),
        ("q=kim&office=abc", 422, "office"),
        ("q=kim&office=-1", 422, "office"),
        ("q=" + "a" * 101, 422, "q"),
        ("q=kim&office=999999", 404, "office"),
    ],
)
def test_bad_input_is_answered_in_json(country, client, auth, query, status, field):
    auth.login("leader")
    response = client.get(f"/api/v1/boards/picker?{query}")
    assert response.status_code == status
    assert field in response.json["error"]["fields"]


def test_an_empty_query_finds_nothing(country, client, auth):
    auth.login("lan")
    body = client.get("/api/v1/boards/picker").json
    assert body["offices"] == body["areas"] == body["teams"] == []


# The board's selects without script ----------------------------------------------------------


def select_options(html: str, name: str) -> list[str]:
    start = html.index(f'id="{name}" name="{name}"')
    block = html[start : html.index("</select>", start)]
    return [part.split(">", 1)[1].split("<", 1)[0] for part in block.split("<option")[1:]]


def test_with_several_offices_the_selects_list_one_offices(country, client, auth):
    auth.login("leader")
    html = client.get("/boards/officers?period=2024").get_data(as_text=True)
    assert select_options(html, "team") == ["Tất cả"]
    assert select_options(html, "area") == ["Tất cả"]
    assert 'data-test="choose-office"' in html
    assert 'data-test="board-picker"' in html
    lc = country["lc"].id
    html = client.get(f"/boards/officers?period=2024&office={lc}").get_data(as_text=True)
    assert select_options(html, "team") == ["Tất cả", "Trần Văn Bình"]
    assert select_options(html, "area") == [
        "Tất cả",
        "Phường Cốc Lếu",
        "Phường Kim Tân",
        "Xã Tân Lập",
    ]
    assert 'data-test="choose-office"' not in html


def test_a_chosen_team_or_area_stays_in_its_select(country, client, auth):
    auth.login("leader")
    area, team = country["tan_lap_yb"].id, country["binh"].id
    html = client.get(f"/boards/officers?period=2024&area={area}&team={team}").get_data(
        as_text=True
    )
    assert select_options(html, "area") == ["Tất cả", "Xã Tân Lập"]
    assert select_options(html, "team") == ["Tất cả", "Trần Văn Bình"]


def test_a_single_office_keeps_its_full_lists(country, client, auth):
    country["yb"].active = False
    db.session.commit()
    auth.login("leader")
    html = client.get("/boards/officers?period=2024").get_data(as_text=True)
    assert select_options(html, "team") == ["Tất cả", "Đỗ Thị Tân", "Trần Văn Bình"]
    assert "Xã Tân Lập" in select_options(html, "area")
    assert 'data-test="choose-office"' not in html
