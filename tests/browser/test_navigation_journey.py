"""The top bar as people use it: an officer on a phone finds Record enrollment in the menu; the
administrator, who has the most menus, sees the whole bar on a 1366 px laptop in Vietnamese."""

import pytest
from playwright.sync_api import expect


def test_officer_opens_record_enrollment_from_the_menu_on_a_phone(page, live_server, sign_in):
    page.set_viewport_size({"width": 390, "height": 844})
    sign_in("officer")
    expect(page.locator("#main-nav")).to_be_hidden()  # folded behind the toggler
    page.get_by_role("button", name="Menu").click()
    page.locator("[data-test=menu-record]").click()
    page.locator("[data-test=nav-record-enrollment]").click()
    expect(page).to_have_url(f"{live_server}/enrollments/new")
    expect(page.locator("h1")).to_be_visible()
    page.get_by_role("button", name="Menu").click()
    page.locator("[data-test=menu-record]").click()
    current = page.locator("[data-test=nav-record-enrollment]")
    expect(current).to_have_text("Ghi người tham gia mới")
    expect(current).to_have_attribute("aria-current", "page")


@pytest.mark.parametrize("width", [1366, 1280])
def test_the_whole_bar_fits_a_laptop_for_the_administrator_in_vietnamese(
    page, live_server, sign_in, width
):
    page.set_viewport_size({"width": width, "height": 800})
    sign_in("admin")
    expect(page.locator("html")).to_have_attribute("lang", "vi")
    expect(page.locator("[data-test=menu-admin]")).to_have_text("Quản trị")
    assert page.evaluate("document.documentElement.scrollWidth") <= width
    bar = page.locator("nav.navbar").bounding_box()
    assert bar["height"] < 64, "the bar wraps onto a second line"
    for part in ("[data-test=user-menu]", "[data-test=net-status]", "button[name=locale]"):
        box = page.locator(part).bounding_box()
        assert box["x"] >= 0 and box["x"] + box["width"] <= width, f"{part} is cut off"
        assert box["y"] + box["height"] <= bar["height"], f"{part} wraps below the bar"
    page.locator("[data-test=user-menu]").click()
    expect(page.get_by_role("button", name="Đăng xuất")).to_be_visible()
