"""The scheme a page counts is kept: by its scheme selector, its period selector, its links to
other pages and its exports, the supervisor's filtered export included."""

from __future__ import annotations

import csv
import io

from openpyxl import load_workbook

from tests import schemes_world
from tests.schemes_world import move_household_health_insurance

world, in_2024 = schemes_world.world, schemes_world.in_2024  # the fixtures


def test_a_supervisors_export_keeps_the_scheme_of_the_board(world, client, auth):
    """The supervisor's export holds the team's rows only, rebuilt from the board: of the
    board's scheme, named after it."""
    city, kim_tan, coc_leu, chief, lan, minh, org = world
    move_household_health_insurance(kim_tan, coc_leu, lan, minh)
    auth.login("chief")
    response = client.get("/boards/officers.csv?period=2024&scheme=household_hi")
    disposition = response.headers["Content-Disposition"]
    assert 'filename="bang-xep-hang-can-bo-bhyt-ho-gia-dinh-2024.csv"' in disposition

    def officers(response) -> dict[str, str]:
        """Name → actual of the officer rows: after the title, the header and before the
        total, a blank row and the note (tracker/exports.py)."""
        text = io.StringIO(response.data.decode("utf-8-sig"))
        rows = list(csv.reader(text, delimiter=";"))
        return {row[1]: row[5] for row in rows[4:-3]}

    assert officers(response) == {"Lan": "1", "Minh": "1"}  # HI enrollments of 2024, not VSI
    assert officers(client.get("/boards/officers.csv?period=2024")) == {"Lan": "2", "Minh": "1"}
    sheet = load_workbook(
        io.BytesIO(client.get("/boards/officers.xlsx?period=2024&scheme=household_hi").data)
    ).active
    assert sorted((sheet.cell(r, 2).value, sheet.cell(r, 6).value) for r in (5, 6)) == [
        ("Lan", 1),
        ("Minh", 1),
    ]


def test_selectors_and_links_keep_the_scheme(world, client, auth):
    city, kim_tan, coc_leu, chief, lan, minh, org = world
    auth.login("leader")
    pages = [
        "/boards/officers?period=2024&scheme=household_hi",
        "/boards/orgs?period=2024&scheme=household_hi",
        f"/team?period=2024&supervisor={chief.id}&scheme=household_hi",
        f"/officers/{lan.id}?period=2024&scheme=household_hi",
        f"/boards/areas/{kim_tan.id}?period=2024&scheme=household_hi",
        f"/orgs/{org.id}?period=2024&scheme=household_hi",
        "/boards/areas?period=2024&scheme=household_hi",
        "/dashboard?period=2024&scheme=household_hi",
    ]
    for url in pages:
        page = client.get(url).get_data(as_text=True)
        assert 'value="household_hi" selected' in page, url  # the scheme selector
        selector = page[page.index("data-period-selector") :]
        selector = selector[: selector.index("</form>")]
        assert 'name="scheme" value="household_hi"' in selector, url  # the period selector
    board = client.get("/boards/officers?period=2024&scheme=household_hi").get_data(as_text=True)
    assert f"/officers/{lan.id}?period=2024&amp;scheme=household_hi" in board
    areas = client.get("/boards/areas?period=2024&scheme=household_hi").get_data(as_text=True)
    assert f"/boards/areas/{kim_tan.id}?period=2024&amp;scheme=household_hi" in areas
    plain = client.get("/boards/areas?period=2024").get_data(as_text=True)
    assert "scheme=voluntary_si" not in plain  # the default keeps the addresses it had
    for url in ("/boards/officers?scheme=both", "/boards/orgs?scheme=both", "/team?scheme=both"):
        assert client.get(url).status_code == 400, url
