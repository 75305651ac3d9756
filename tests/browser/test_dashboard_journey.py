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
    # Named by their titles before plotly.js arrives (it loads when a chart nears the screen)
    expect(page.locator("[data-chart=wards] [role=figure]")).to_have_attribute(
        "aria-label", "Xã/phường/thị trấn so với chỉ tiêu"
    )
    for index in range(4):
        charts.nth(index).scroll_into_view_if_needed()
        expect(charts.nth(index)).to_have_attribute("data-drawn", "true")
        expect(charts.nth(index).locator("svg.main-svg").first).to_be_visible()
    # The toolbar shows on hover, in Vietnamese; the funnel is bars of the cartesian bundle
    page.locator("[data-chart=burnup] .chart-area").hover()
    reset = page.locator("[data-chart=burnup] .modebar-btn[data-title='Đặt lại trục']")
    expect(reset).to_have_count(1)
    expect(page.locator("[data-chart=funnel] g.barlayer .point")).to_have_count(3)
    expect(page.locator("[data-test=target]")).to_have_text("4.600")
    screenshot("dashboard")

    page.locator("[data-test=area-board] a", has_text="Phường Kim Tân").first.click()
    expect(page.locator("h1")).to_have_text("Phường Kim Tân")
    page.locator("[data-chart=burnup]").scroll_into_view_if_needed()
    expect(page.locator("[data-chart=burnup] svg.main-svg").first).to_be_visible()
    page.locator("[data-test=area-officers] a", has_text="Phạm Thị Lan").first.click()
    expect(page.locator("h1")).to_have_text("Phạm Thị Lan")
    page.locator("[data-chart=calendar]").scroll_into_view_if_needed()
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
    page.locator("[data-chart=wards]").scroll_into_view_if_needed()
    expect(page.locator("[data-chart=wards] svg.main-svg").first).to_be_visible()
    expect(page.locator("[data-test=area-board] tbody tr")).to_have_count(1 + 17)
    screenshot("board-areas")
    page.select_option("[data-test=units]", "current")  # 2024 in today's units
    page.wait_for_url("**units=current**")
    lao_cai = page.locator("[data-test=area-board] tr", has_text="Phường Lào Cai")
    expect(lao_cai.locator("[data-test=predecessors]")).to_contain_text("Phường Kim Tân")
    expect(page.locator("[data-test=area-board] tbody tr")).to_have_count(1 + 5)
    screenshot("board-areas-current-units")


def test_charts_on_a_phone_have_no_toolbar_over_their_titles(page, live_server, sign_in):
    page.set_viewport_size({"width": 390, "height": 844})
    sign_in("leader")
    page.goto(f"{live_server}/dashboard?period=2024")
    chart = page.locator("[data-chart=burnup]")
    chart.scroll_into_view_if_needed()
    expect(chart).to_have_attribute("data-drawn", "true")
    chart.locator(".chart-area").hover()
    expect(page.locator(".modebar-btn")).to_have_count(0)


def test_pages_without_charts_never_fetch_plotly(page, live_server, sign_in):
    fetched = []
    page.on("request", lambda request: fetched.append(request.url))
    sign_in("leader")
    page.goto(f"{live_server}/boards/officers?period=2024")
    page.wait_for_load_state("networkidle")
    assert fetched and not [url for url in fetched if "plotly" in url]
