"""The long lists on a phone (390 px) and a desk: an officer deletes a record after confirming
and undoes it; a supervisor filters the renewals and pages through them; on every list the
actions are in view with no sideways scrolling."""

import re

from playwright.sync_api import expect

PHONE = {"width": 390, "height": 844}


def no_sideways_scroll(page) -> None:
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= PHONE["width"], f"{page.url} is {width} px wide"


def inside_the_screen(locator) -> None:
    box = locator.bounding_box()
    assert box is not None and box["x"] >= 0 and box["x"] + box["width"] <= PHONE["width"], box


def test_officer_deletes_after_confirming_then_undoes(page, live_server, sign_in, screenshot):
    page.set_viewport_size(PHONE)
    sign_in("officer")
    page.goto(f"{live_server}/records")
    card = page.locator("[data-test=record-row]").first
    day = card.locator("td").nth(1).inner_text().strip()  # the contact's date
    delete = card.locator("[data-test=delete]")
    expect(delete).to_be_visible()
    inside_the_screen(delete)
    no_sideways_scroll(page)
    delete.click()

    expect(page.get_by_role("heading", name="Xóa lượt tuyên truyền, vận động này?")).to_be_visible()
    expect(page.locator("[data-test=record-to-delete]")).to_contain_text(day)
    confirm = page.locator("[data-test=confirm-delete]")
    inside_the_screen(confirm)
    screenshot("records-confirm-delete")
    page.set_viewport_size(PHONE)  # the screenshot leaves it at desktop width
    confirm.click()

    banner = page.locator("[data-test=undo-banner]")
    expect(banner).to_contain_text("Đã xóa lượt tuyên truyền, vận động")
    expect(page.locator("[data-test=record-row]").first).to_contain_text("Đã xóa")
    undo = banner.locator("[data-test=undo]")
    inside_the_screen(undo)
    no_sideways_scroll(page)
    screenshot("records-undo")
    page.set_viewport_size(PHONE)  # the screenshot leaves it at desktop width
    undo.click()

    restored = "Đã khôi phục lượt tuyên truyền, vận động."
    expect(page.locator(".alert-success")).to_contain_text(restored)
    expect(page.locator("[data-test=undo-banner]")).to_have_count(0)
    first = page.locator("[data-test=record-row]").first
    expect(first).not_to_contain_text("Đã xóa")
    expect(first.locator("[data-test=delete]")).to_be_visible()


def test_supervisor_filters_renewals_and_pages_through(page, live_server, sign_in, screenshot):
    page.set_viewport_size(PHONE)
    sign_in("supervisor")
    page.goto(f"{live_server}/renewals")
    count = page.locator("[data-test=list-count]")
    everyone = int(re.search(r"trên tổng số ([\d.]+)", count.inner_text())[1].replace(".", ""))
    page.select_option("#status", "lapsed")
    page.select_option("#officer", label="Phạm Thị Lan")
    page.locator("[data-test=filters] button").click()
    expect(page).to_have_url(re.compile(r"status=lapsed"))
    lapsed = int(re.search(r"trên tổng số ([\d.]+)", count.inner_text())[1].replace(".", ""))
    assert 25 < lapsed < everyone
    rows = page.locator("[data-test=renewal-row]")
    expect(rows).to_have_count(25)
    for index in range(3):
        expect(rows.nth(index)).to_contain_text("ngừng đóng")
        expect(rows.nth(index)).to_contain_text("Phạm Thị Lan")
    first_page = rows.first.locator(".list-primary").inner_text()
    screenshot("renewals-filtered")
    page.set_viewport_size(PHONE)  # the screenshot leaves it at desktop width

    page.locator("[data-test=pagination] a[rel=next]").click()
    expect(page).to_have_url(re.compile(r"page=2"))
    expect(page).to_have_url(re.compile(r"status=lapsed"))
    expect(count).to_contain_text("26–50")
    assert rows.first.locator(".list-primary").inner_text() != first_page
    record = rows.first.locator(".list-actions summary")
    inside_the_screen(record)
    record.click()
    expect(rows.first.locator("[data-test=renew-form] button")).to_be_visible()
    inside_the_screen(rows.first.locator("[data-test=renew-form] button"))
    no_sideways_scroll(page)

    page.locator("[data-test=clear-filters]").click()
    expect(count).to_contain_text(f"{everyone:,}".replace(",", "."))


def test_every_list_keeps_its_actions_in_view_on_a_phone(page, live_server, sign_in):
    page.set_viewport_size(PHONE)
    sign_in("supervisor")
    for path, action in (
        ("/renewals", "[data-test=renewal-row] .list-actions summary"),
        ("/prospects", "[data-test=prospect-row] input[type=checkbox]"),
        ("/households/duplicates", "[data-test=duplicate-group] form button"),
        ("/records", "[data-test=record-row]"),
    ):
        page.goto(f"{live_server}{path}")
        no_sideways_scroll(page)
        for index in range(3):
            target = page.locator(action).nth(index)
            expect(target).to_be_visible()
            inside_the_screen(target)
    page.goto(f"{live_server}/households/duplicates")
    filters = page.locator("[data-test=filters]")
    page.select_option("#match", "name_phone")
    filters.locator("button").click()
    expect(page).to_have_url(re.compile(r"match=name_phone"))
    no_sideways_scroll(page)


def test_the_audit_log_reads_as_words_on_a_phone(page, live_server, sign_in, screenshot):
    page.set_viewport_size(PHONE)
    sign_in("admin")
    page.goto(f"{live_server}/admin/audit")
    event = page.locator("[data-test=audit-event]").first
    expect(event).to_be_visible()
    content = page.locator("[data-test=audit]").inner_text()
    assert "\\u00" not in content and "reorganise" not in content
    expect(event.locator("[data-test=audit-action]")).to_have_text(
        re.compile(r"^[^_]+$")  # a phrase, not a code
    )
    no_sideways_scroll(page)
    screenshot("audit-log")
