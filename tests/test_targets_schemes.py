"""The target grids are of one scheme at a time: a household health insurance (HI) target set
in a grid never shows in the voluntary social insurance (VSI) grid, nor the other way round;
outreach targets are of every scheme (`all`), the same whichever grid shows them."""

import re
from datetime import date

import pytest
from sqlalchemy import select

from tests.factories import make_area, make_city, make_officer, make_org, make_user
from tests.plans import confirm_plan
from tracker.extensions import db
from tracker.models import Target


@pytest.fixture(autouse=True)
def _in_2024(targets_today):
    targets_today(date(2024, 1, 1))


@pytest.fixture
def office(app):
    _, city = make_city()
    ward = make_area("Kim Tân", parent=city)
    chief = make_user("chief", "supervisor")
    lan = make_officer("lan", supervisor=chief, areas=[ward], full_name="Lan")
    make_user("leader", "leader")
    return city, ward, chief, lan


def cell_value(page: str, name: str) -> str:
    found = re.search(rf'name="{re.escape(name)}"\s[^>]*value="([^"]*)"', page)
    assert found, name
    return found.group(1)


def stored() -> set[tuple]:
    rows = db.session.execute(
        select(Target.subject, Target.metric, Target.scheme, Target.value).where(
            Target.replaced_at.is_(None)
        )
    )
    return set(rows)


def test_team_grid_keeps_each_scheme_to_itself(office, client, auth):
    *_, lan = office
    year, march = f"cell-{lan.id}-2024", f"cell-{lan.id}-2024-03"
    auth.login("chief")
    hi_grid = "/targets/team?year=2024&scheme=household_hi"
    assert client.post(hi_grid, data={year: "40", march: "4"}).status_code == 302
    assert client.post("/targets/team?year=2024", data={year: "120"}).status_code == 302
    assert stored() == {
        ("officer", "new_participants", "household_hi", 40),
        ("officer", "new_participants", "household_hi", 4),
        ("officer", "new_participants", "voluntary_si", 120),
    }
    vsi_page = client.get("/targets/team?year=2024").get_data(as_text=True)
    hi_page = client.get(hi_grid).get_data(as_text=True)
    assert cell_value(vsi_page, year) == "120" and cell_value(vsi_page, march) == ""
    assert cell_value(hi_page, year) == "40" and cell_value(hi_page, march) == "4"
    assert 'value="household_hi" selected' in hi_page
    # Spreading and applying a value in the HI grid write HI targets only.
    confirm_plan(
        client,
        hi_grid,
        {
            "action": "apply",
            "officer": str(lan.id),
            "bulk_value": "7",
            "bulk_period": "2024-05",
        },
    )
    may = f"cell-{lan.id}-2024-05"
    assert cell_value(client.get(hi_grid).get_data(as_text=True), may) == "7"
    assert cell_value(client.get("/targets/team?year=2024").get_data(as_text=True), may) == ""
    # The officer's progress in each scheme reads its own target.
    hi = client.get(f"/api/v1/progress?officer={lan.id}&period=2024&scheme=household_hi").json
    vsi = client.get(f"/api/v1/progress?officer={lan.id}&period=2024").json
    assert hi["metrics"]["new_participants"]["target"] == 40
    assert vsi["metrics"]["new_participants"]["target"] == 120


def test_outreach_targets_are_the_same_in_either_grid(office, client, auth):
    *_, lan = office
    year = f"cell-{lan.id}-2024"
    auth.login("chief")
    client.post("/targets/team?year=2024&metric=contacts&scheme=household_hi", data={year: "300"})
    assert stored() == {("officer", "contacts", "all", 300)}
    for scheme in ("voluntary_si", "household_hi"):
        page = client.get(f"/targets/team?year=2024&metric=contacts&scheme={scheme}")
        assert cell_value(page.get_data(as_text=True), year) == "300"


def test_area_and_organization_grid_keep_each_scheme_to_itself(office, client, auth):
    city, ward, *_ = office
    org = make_org()
    auth.login("leader")
    hi_grid = "/targets/areas?year=2024&scheme=household_hi"
    city_cell, org_cell = f"cell-{city.id}-2024", f"org-cell-{org.id}-2024"
    assert client.post(hi_grid, data={city_cell: "900", org_cell: "30"}).status_code == 302
    vsi_page = client.get("/targets/areas?year=2024").get_data(as_text=True)
    assert cell_value(vsi_page, city_cell) == "" and cell_value(vsi_page, org_cell) == ""
    client.post("/targets/areas?year=2024", data={city_cell: "4400", org_cell: "150"})
    hi_page = client.get(hi_grid).get_data(as_text=True)
    assert cell_value(hi_page, city_cell) == "900" and cell_value(hi_page, org_cell) == "30"
    vsi_page = client.get("/targets/areas?year=2024").get_data(as_text=True)
    assert cell_value(vsi_page, city_cell) == "4400" and cell_value(vsi_page, org_cell) == "150"
    assert stored() == {
        ("area", "participants_total", "household_hi", 900),
        ("area", "participants_total", "voluntary_si", 4400),
        ("collection_org", "new_participants", "household_hi", 30),
        ("collection_org", "new_participants", "voluntary_si", 150),
    }
    hi_board = client.get("/api/v1/leaderboard/areas?period=2024&scheme=household_hi").json
    assert hi_board["total"]["target"] == 900


def test_a_grid_refuses_an_unknown_scheme(office, client, auth):
    auth.login("leader")
    assert client.get("/targets/areas?year=2024&scheme=both").status_code == 400
    auth.logout()
    auth.login("chief")
    assert client.get("/targets/team?year=2024&scheme=both").status_code == 400
