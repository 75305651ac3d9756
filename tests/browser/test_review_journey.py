"""The supervisor reviews the month's prospects, hands some to a collection organization and
downloads its list."""

import csv
import io

from playwright.sync_api import expect


def test_supervisor_hands_prospects_to_an_org(page, live_server, sign_in, screenshot):
    sign_in("supervisor")
    page.goto(f"{live_server}/prospects")
    page.select_option("#area", label="Phường Lào Cai")
    page.locator("[data-test=filters] button").click()
    page.wait_for_url("**area=**")
    boxes = page.locator("[data-test=prospects] tbody input[type=checkbox]")
    expect(boxes.first).to_be_visible()
    names = []
    for index in range(3):
        boxes.nth(index).check()
        names.append(boxes.nth(index).get_attribute("aria-label"))
    page.select_option("#collection_org_id", label="Bưu điện thành phố Lào Cai")
    page.fill("#note", "Rà soát tháng này")
    screenshot("prospect-review")
    page.locator("[data-test=record-review]").click()
    expect(page.locator(".alert-success")).to_be_visible()
    for name in names:
        expect(page.locator("[data-test=handover]")).to_contain_text(name)
    screenshot("handover-list")
    with page.expect_download() as download_info:
        page.locator("[data-test=export-csv]").click()
    content = open(download_info.value.path(), encoding="utf-8-sig").read()
    rows = list(csv.reader(io.StringIO(content), delimiter=";"))
    assert rows[0] == ["Danh sách bàn giao"] and rows[3][0] == "STT"
    assert {row[2] for row in rows[4:7]} == set(names)
    assert rows[7][1] == "Tổng cộng: 3 hộ"


def test_import_preview_screenshot(page, live_server, sign_in, screenshot, tmp_path):
    sign_in("admin")
    page.goto(f"{live_server}/imports")
    sample = tmp_path / "ho.csv"
    sample.write_text(
        "ward_code,head_name,address,phone,category\n"
        "02647,Hoàng Văn Mới,Số 900 Hoàng Liên,,trader\n"
        "02647,,Số 901,,farmer\n",
        encoding="utf-8",
    )
    page.set_input_files("#file", str(sample))
    page.get_by_role("button", name="Xem trước").click()
    expect(page.locator("[data-test=problems]")).to_have_text("1")
    screenshot("import-preview")
