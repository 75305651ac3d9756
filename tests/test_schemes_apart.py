"""No voluntary social insurance (VSI) figure moves when household health insurance (HI) moves
(docs/design.md, "Schemes, lapses and net growth"): every board page, the dashboard, Today,
every export (CSV and XLSX) and the API read the same before and after an HI enrollment, an HI
return and an HI lapse in the period, volatile bits (CSRF tokens, clock times) left out."""

from __future__ import annotations

import csv
import io
import re

from openpyxl import load_workbook

from tests import schemes_world
from tests.schemes_world import move_household_health_insurance

world, in_2024 = schemes_world.world, schemes_world.in_2024  # the fixtures


def pages(city, kim_tan, chief, lan, org) -> list[str]:
    boards = [
        "/dashboard?period=2024",
        "/dashboard?period=2024&units=current",
        "/dashboard?period=2024-Q2",
        "/boards/areas?period=2024",
        "/boards/areas?period=2024&units=current",
        f"/boards/areas?period=2024&parent={city.id}",
        f"/boards/areas/{city.id}?period=2024",
        f"/boards/areas/{kim_tan.id}?period=2024",
        f"/boards/areas/{kim_tan.id}?period=2024&metric=net_growth",
        "/boards/orgs?period=2024",
        f"/orgs/{org.id}?period=2024",
        f"/team?period=2024&supervisor={chief.id}",
        f"/officers/{lan.id}?period=2024",
        "/targets/areas?year=2024",
        "/",
    ]
    for metric in ("new_participants", "net_growth", "returned", "lapsed", "contacts"):
        boards += [
            f"/boards/officers?period=2024&metric={metric}",
            f"/boards/areas?period=2024&metric={metric}",
            f"/team?period=2024&metric={metric}&supervisor={chief.id}",
        ]
    exports = [
        f"/boards/{kind}.{extension}?period=2024{extra}"
        for kind in ("officers", "areas", "orgs")
        for extension in ("csv", "xlsx")
        for extra in ("", "&metric=net_growth", "&metric=lapsed")
        if not (kind == "orgs" and extra)
    ]
    api = [
        f"/api/v1/progress?officer={lan.id}&period=2024",
        f"/api/v1/progress?officer={lan.id}&period=2024-Q2",
        "/api/v1/leaderboard/areas?period=2024&units=current",
        "/api/v1/leaderboard/areas?period=2024&parent=KT",
    ]
    for metric in ("new_participants", "net_growth", "returned", "lapsed"):
        api += [
            f"/api/v1/leaderboard/officers?period=2024&metric={metric}",
            f"/api/v1/leaderboard/areas?period=2024&metric={metric}",
        ]
    return boards + exports + api


VOLATILE = [
    re.compile(r'name="csrf_token"[^>]*>|<meta name="csrf-token"[^>]*>'),
    re.compile(r'"csrf[^"]*"\s*:\s*"[^"]*"'),
    re.compile(r"\d{2}:\d{2}(:\d{2})?"),  # clock times
]


def without_clock(value):
    """An export's title row says when it was exported: not a figure."""
    return VOLATILE[-1].sub("", value) if isinstance(value, str) else value


def body(response):
    """What a response says, without what changes between two reads of it."""
    if response.is_json:
        return response.json
    if response.mimetype.endswith("spreadsheetml.sheet"):
        sheet = load_workbook(io.BytesIO(response.data)).active
        rows = [[cell.value for cell in row] for row in sheet.iter_rows()]
        return [[without_clock(value) for value in row] for row in rows]
    if response.mimetype == "text/csv":
        text = without_clock(response.data.decode("utf-8-sig"))
        return list(csv.reader(io.StringIO(text), delimiter=";"))
    text = response.get_data(as_text=True)
    for pattern in VOLATILE:
        text = pattern.sub("", text)
    return text


# What a supervisor reads that a leader does not: the team's target grid, and the exports
# filtered to the team.
AS_SUPERVISOR = [
    "/targets/team?year=2024",
    "/targets/team?year=2024&metric=net_growth",
    "/boards/officers.csv?period=2024",
    "/boards/officers.xlsx?period=2024&metric=lapsed",
    "/team?period=2024&metric=returned",
]


def read(client, auth, urls, officer) -> dict:
    found = {}
    for username, wanted in (("leader", urls), ("chief", AS_SUPERVISOR), (officer.username, ["/"])):
        auth.login(username)  # the officer's home page is Today
        for url in wanted:
            response = client.get(url)
            assert response.status_code == 200, (username, url)
            found[username, url] = body(response)
        auth.logout()
    return found


def test_no_voluntary_figure_moves_when_household_health_insurance_does(world, client, auth):
    city, kim_tan, coc_leu, chief, lan, minh, org = world
    urls = pages(city, kim_tan, chief, lan, org)
    before = read(client, auth, urls, lan)
    assert read(client, auth, urls, lan) == before  # nothing volatile is left in
    hi_before = client_totals(client, auth)
    move_household_health_insurance(kim_tan, coc_leu, lan, minh)
    after = read(client, auth, urls, lan)
    assert [url for url in before if after[url] != before[url]] == []
    # The HI pages did see all three.
    moved = client_totals(client, auth)
    assert {code: moved[code] - hi_before[code] for code in moved} == {
        "new_participants": 2,
        "returned": 1,
        "lapsed": 1,
    }


def client_totals(client, auth) -> dict[str, int]:
    auth.login("leader")
    found = {}
    for metric in ("new_participants", "returned", "lapsed"):
        url = f"/api/v1/leaderboard/officers?period=2024&metric={metric}&scheme=household_hi"
        found[metric] = client.get(url).json["total"]["actual"]
    auth.logout()
    return found
