"""The leader opens the dashboard: every chart draws, a ward drills down to an officer, and
the leaderboard downloads as XLSX and as CSV in the Vietnamese dialect."""

import csv
import io

from openpyxl import load_workbook
from playwright.sync_api import expect


def test_leader_dashboard_drill_down_and_export(page, live_server, sign_in, screenshot):
    sign_in("leader")
    page.goto(f"{live_server}/dashboard?period=2024")
    charts = page.locator("[data-chart]")
    expect(charts).to_have_count(4)
    for index in range(4):
        expect(charts.nth(index)).to_have_attribute("data-drawn", "true")
        expect(charts.nth(index).locator("svg.main-svg").first).to_be_visible()
    expect(page.locator("[data-test=target]")).to_have_text("4.600")
    screenshot("dashboard")

    page.locator("[data-test=area-board] a", has_text="Phường Kim Tân").first.click()
    expect(page.locator("h1")).to_have_text("Phường Kim Tân")
    expect(page.locator("[data-chart=burnup] svg.main-svg").first).to_be_visible()
    page.locator("[data-test=area-officers] a", has_text="Phạm Thị Lan").first.click()
    expect(page.locator("h1")).to_have_text("Phạm Thị Lan")
    expect(page.locator("[data-chart=calendar] svg.main-svg").first).to_be_visible()

    page.goto(f"{live_server}/boards/officers?period=2024")
    screenshot("board-officers")
    with page.expect_download() as download_info:
        page.get_by_role("link", name="Tải về Excel").click()
    download = download_info.value
    assert download.suggested_filename == "bảng-xếp-hạng-cán-bộ-2024.xlsx"  # from filename*
    book = load_workbook(io.BytesIO(open(download.path(), "rb").read()))
    sheet = book["Bảng xếp hạng cán bộ"]
    assert sheet["A1"].value == "Bảng xếp hạng cán bộ" and sheet["B4"].value == "Cán bộ"
    assert sheet["A5"].value == 1 and isinstance(sheet["F5"].value, int)
    with page.expect_download() as download_info:
        page.locator("[data-test=export-csv]").click()
    download = download_info.value
    assert download.suggested_filename == "bảng-xếp-hạng-cán-bộ-2024.csv"
    text = open(download.path(), encoding="utf-8-sig").read()
    rows = list(csv.reader(io.StringIO(text), delimiter=";"))  # Vietnamese Excel's dialect
    assert rows[0] == ["Bảng xếp hạng cán bộ"] and rows[3][1] == "Cán bộ"
    assert rows[4][6].endswith("%") and "," in rows[4][6]  # 138,2%: a decimal comma
    assert rows[-3][1].startswith("Tổng cộng")

    page.goto(f"{live_server}/boards/areas?period=2024")
    expect(page.locator("[data-chart=wards] svg.main-svg").first).to_be_visible()
    expect(page.locator("[data-test=area-board] tbody tr")).to_have_count(1 + 17)
    screenshot("board-areas")
    page.select_option("[data-test=units]", "current")  # 2024 in today's units
    page.wait_for_url("**units=current**")
    lao_cai = page.locator("[data-test=area-board] tr", has_text="Phường Lào Cai")
    expect(lao_cai.locator("[data-test=predecessors]")).to_contain_text("Phường Kim Tân")
    expect(page.locator("[data-test=area-board] tbody tr")).to_have_count(1 + 5)
    screenshot("board-areas-current-units")
