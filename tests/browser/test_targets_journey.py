"""The supervisor sets a monthly target for the demo officer; the officer sees it at home."""

from datetime import datetime
from zoneinfo import ZoneInfo

from playwright.sync_api import expect


def test_supervisor_sets_month_target_officer_sees_it(page, live_server, sign_in, screenshot):
    today = datetime.now(ZoneInfo("Asia/Ho_Chi_Minh")).date()
    sign_in("supervisor")
    page.goto(f"{live_server}/targets/team?year={today.year}")
    cell = page.get_by_label(f"Phạm Thị Lan · {today:%m/%Y}")
    cell.fill("37")
    screenshot("targets-team")
    page.get_by_role("button", name="Lưu bảng chỉ tiêu").click()
    expect(page.locator(".alert-success")).to_be_visible()
    expect(page.get_by_label(f"Phạm Thị Lan · {today:%m/%Y}")).to_have_value("37")

    page.goto(f"{live_server}/team")
    expect(page.locator("[data-test=team-table]")).to_contain_text("Phạm Thị Lan")
    screenshot("team")

    page.click("[data-test=user-menu]")
    page.get_by_role("button", name="Đăng xuất").click()
    expect(page).to_have_url(f"{live_server}/login")
    sign_in("officer")
    expect(page.locator("[data-test=progress-month] [data-test=target]")).to_have_text("37")
    screenshot("home-officer-target")
