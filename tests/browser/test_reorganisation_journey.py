"""The administrator merges two communes from the admin screen: describes the change, reads
the preview, applies it, sees the new unit on the API's list of the day, and undoes it."""

from playwright.sync_api import expect


def test_admin_applies_a_merge_and_undoes_it(page, live_server, sign_in, screenshot):
    sign_in("admin")
    page.goto(f"{live_server}/admin/reorganisations")
    page.locator("[data-test=new-reorganisation]").click()
    page.select_option("#kind", "merge")
    page.select_option("#old", label=["Xã Khao Mang", "Xã Lao Chải"])
    page.fill("#new_code", "99001")
    page.fill("#new_name", "Xã Khao Mang Lao Chải")
    page.select_option("#parent", label="Tỉnh Lào Cai")
    page.fill("#source", "Nghị quyết thử nghiệm")
    screenshot("reorganisation-form")
    page.locator("[data-test=preview]").click()
    expect(page.locator("[data-test=ending]")).to_have_text("2")
    expect(page.locator("[data-test=beginning]")).to_have_text("1")
    expect(page.locator("[data-test=successions]")).to_contain_text("Xã Khao Mang Lao Chải")
    screenshot("reorganisation-preview")
    page.locator("[data-test=apply]").click()
    expect(page.locator(".alert-success")).to_contain_text("2")
    row = page.locator("[data-test=reorganisations] tbody tr").first
    expect(row).to_contain_text("Nghị quyết thử nghiệm")
    screenshot("reorganisations")

    units = page.request.get(f"{live_server}/api/v1/areas").json()["rows"]
    merged = next(unit for unit in units if unit["code"] == "99001")
    assert len(merged["predecessors"]) == 2
    assert not any(unit["name"] == "Xã Khao Mang" for unit in units)

    page.once("dialog", lambda dialog: dialog.accept())
    row.locator("[data-test=undo]").click()
    expect(page.locator(".alert-success")).to_be_visible()
    units = page.request.get(f"{live_server}/api/v1/areas").json()["rows"]
    assert not any(unit["code"] == "99001" for unit in units)
    assert any(unit["name"] == "Xã Khao Mang" for unit in units)
