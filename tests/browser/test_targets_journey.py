"""The supervisor sets a monthly target for the demo officer; the officer sees it at home."""

from datetime import datetime
from zoneinfo import ZoneInfo

from playwright.sync_api import expect


def test_supervisor_sets_month_target_officer_sees_it(page, live_server, sign_in, screenshot):
    today = datetime.now(ZoneInfo("Asia/Ho_Chi_Minh")).date()
    sign_in("supervisor")
    page.goto(f"{live_server}/targets/team?year={today.year}")
    cell = page.get_by_label(f"Phạm Thị Lan · {today:%m/%Y}", exact=True)
    cell.fill("37")
    screenshot("targets-team")
    page.get_by_role("button", name="Lưu bảng chỉ tiêu").click()
    expect(page.locator(".alert-success")).to_be_visible()
    expect(page.get_by_label(f"Phạm Thị Lan · {today:%m/%Y}", exact=True)).to_have_value("37")

    page.goto(f"{live_server}/team")
    expect(page.locator("[data-test=team-table]")).to_contain_text("Phạm Thị Lan")
    screenshot("team")

    page.click("[data-test=user-menu]")
    page.get_by_role("button", name="Đăng xuất").click()
    expect(page).to_have_url(f"{live_server}/login")
    sign_in("officer")
    expect(page.locator("[data-test=progress-month] [data-test=target]")).to_have_text("37")
    screenshot("home-officer-target")


def test_supervisor_previews_a_spread_then_saves_it(page, live_server, sign_in, screenshot):
    """Spreading next year's targets shows every officer and month, old → new, and writes
    nothing until "Save" is pressed; then exactly the preview is saved."""
    year = datetime.now(ZoneInfo("Asia/Ho_Chi_Minh")).year + 1
    sign_in("supervisor")
    page.goto(f"{live_server}/targets/team?year={year}")
    page.get_by_label("Chọn tất cả cán bộ").check()
    yearly = page.locator(f"input[name^='cell-'][name$='-{year}']")
    for index in range(yearly.count()):
        yearly.nth(index).fill(str(120 + 12 * index))
    page.get_by_role("button", name="Xem trước phân bổ chỉ tiêu năm").click()
    preview = page.locator("[data-test=plan-preview]")
    expect(preview).to_be_visible()
    expect(preview.get_by_role("status")).to_contain_text("chỉ tiêu sẽ thay đổi")
    expect(preview.locator("[data-test=plan-table] tbody tr")).to_have_count(yearly.count())
    expect(preview.locator("[data-test=plan-table] tbody tr").first).to_contain_text("— → 10")
    lan_march = page.get_by_label(f"Phạm Thị Lan · 03/{year}", exact=True)
    expect(lan_march).to_have_value("")  # nothing written yet
    screenshot("targets-spread-preview")
    count = 13 * yearly.count()
    page.get_by_role("button", name=f"Lưu {count} chỉ tiêu này").click()
    expect(page.locator(".alert-success")).to_contain_text(f"Đã lưu {count} chỉ tiêu.")
    expect(page.locator("[data-test=plan-preview]")).to_have_count(0)
    expect(page.get_by_label(f"Phạm Thị Lan · 03/{year}", exact=True)).not_to_have_value("")
    history = page.get_by_role("link", name=f"Lịch sử chỉ tiêu: Phạm Thị Lan · 03/{year}")
    expect(history).to_have_text("Lịch sử")
    screenshot("targets-spread-saved")
