"""At phone size: find a household by typing "kim tan", log the contact that enrolled it,
record the enrollment, and see Today's numbers move by one."""

from playwright.sync_api import expect


def month_actual(page) -> int:
    return int(
        page.locator("[data-test=progress-month] [data-test=actual]").inner_text().replace(".", "")
    )


def test_officer_logs_contact_and_enrollment_on_a_phone(page, live_server, sign_in, screenshot):
    page.set_viewport_size({"width": 375, "height": 812})
    sign_in("officer")
    before = month_actual(page)
    screenshot("today")

    page.set_viewport_size({"width": 375, "height": 812})
    page.locator("[data-test=log-contact]").click()
    page.fill("#household_query", "kim tan")
    first = page.locator("#household-results button").first
    expect(first).to_be_visible()
    chosen = first.locator(".fw-semibold").inner_text()
    first.click()
    expect(page.locator("#household_query")).to_have_value(chosen)
    page.select_option("#outcome", "enrolled")
    page.fill("#notes", "Đồng ý tham gia, đóng 3 tháng")
    screenshot("log-contact")
    page.get_by_role("button", name="Lưu").click()

    # the enrollment form opens pre-filled with the household
    expect(page).to_have_url(f"{live_server}/enrollments/new?contact=" + page.url.split("=")[-1])
    expect(page.locator("#participant_name")).to_have_value(chosen)
    page.select_option("#category", "near_poor")
    page.select_option("#payment_period", "3")
    page.fill("#income_basis", "3000000")  # within the law in 2026 and from 2027 alike
    expect(page.locator("#calc-contribution")).to_contain_text("660.000")
    expect(page.locator("#calc-months")).to_contain_text("3")
    expect(page.locator("#calc-due")).not_to_have_text("—")
    screenshot("record-enrollment")
    page.get_by_role("button", name="Lưu").click()

    expect(page.locator(".alert-success")).to_be_visible()
    assert month_actual(page) == before + 1
    expect(page.locator("[data-test=recent-contacts]")).to_contain_text(chosen)


def test_household_page_at_phone_size(page, live_server, sign_in, screenshot):
    sign_in("officer")
    page.goto(f"{live_server}/households?q=kim+tan")
    page.locator("[data-test=households] tbody a").first.click()
    expect(page.locator("[data-test=timeline]")).to_be_visible()
    screenshot("household")
