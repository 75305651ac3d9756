"""Sign in as each role, see the home page, sign out — in a real browser."""

import pytest
from playwright.sync_api import expect


def test_officer_signs_in_sees_home_and_signs_out(page, live_server, sign_in, screenshot):
    page.goto(f"{live_server}/")
    expect(page).to_have_url(f"{live_server}/login?next=/")
    screenshot("login")
    sign_in("officer")
    expect(page.locator("main")).to_contain_text("Phạm Thị Lan")
    expect(page.get_by_text("Phường Lào Cai").first).to_be_visible()
    screenshot("home-officer")
    page.click("[data-test=user-menu]")
    page.get_by_role("button", name="Đăng xuất").click()
    expect(page).to_have_url(f"{live_server}/login")
    page.goto(f"{live_server}/")
    expect(page).to_have_url(f"{live_server}/login?next=/")


def test_wrong_password_shows_a_message(page, live_server, sign_in):
    page.goto(f"{live_server}/login")
    page.fill("#username", "officer")
    page.fill("#password", "not-the-password")
    page.click("button[type=submit]")
    expect(page.locator(".invalid-feedback")).to_contain_text("Sai tên đăng nhập hoặc mật khẩu")


@pytest.mark.parametrize("username", ["supervisor", "leader", "admin"])
def test_each_role_home(page, live_server, sign_in, screenshot, username):
    sign_in(username)
    expect(page.locator("h1")).to_be_visible()
    screenshot(f"home-{username}")


def test_english_one_click_away(page, live_server, sign_in):
    sign_in("leader")
    page.get_by_role("button", name="English").click()
    expect(page.get_by_role("link", name="Home")).to_be_visible()
    page.get_by_role("button", name="Tiếng Việt").click()
    expect(page.get_by_role("link", name="Trang chủ")).to_be_visible()
