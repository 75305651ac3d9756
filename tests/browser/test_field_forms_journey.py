"""The field forms on a 390 px phone in Vietnamese (issue 16): the household search finds a
household of the officer's other ward, a likely duplicate is warned before a household is added,
the income is grouped as typed, the amount due for the period is shown, and nothing overflows."""

import re

from playwright.sync_api import expect
from sqlalchemy import func, select

from tracker.extensions import db
from tracker.models import Contact, Household, User

PHONE = {"width": 390, "height": 844}
NAME = "Vũ Ngọc Hải Thử"

NO_OVERFLOW = """() => {
  const form = document.querySelector('.field-form').getBoundingClientRect();
  const fields = '.field-form .form-control, .field-form .form-select';
  const narrow = Array.from(document.querySelectorAll(fields))
    .filter((el) => el.offsetParent !== null && el.type !== 'checkbox')
    .filter((el) => el.getBoundingClientRect().width < form.width * 0.8)
    .map((el) => el.id);
  return {page: document.documentElement.scrollWidth - window.innerWidth, narrow: narrow};
}"""


def officer_with_two_wards(app) -> tuple[str, list[tuple[int, str]]]:
    """A demo officer who covers two wards of today (some wards were merged into one)."""
    with app.app_context():
        officers = db.session.scalars(
            select(User).where(User.role == "officer").order_by(User.username)
        )
        for officer in officers:
            wards = [(a.id, a.name) for a in officer.areas if a.valid_to is None]
            if len(wards) >= 2:
                db.session.remove()
                return officer.username, wards
    raise AssertionError("no demo officer covers two wards")


def household_in(app, area_id: int) -> int:
    """A household of the officer's second ward, named as no demo household is."""
    with app.app_context():
        found = db.session.scalar(select(Household.id).where(Household.head_name == NAME))
        if found is None:
            household = Household(
                area_id=area_id, head_name=NAME, address="Số 77, Phố Thử", phone="0987000111"
            )
            db.session.add(household)
            db.session.commit()
            found = household.id
        db.session.remove()
        return found


def count(app, model, **where) -> int:
    with app.app_context():
        query = select(func.count()).select_from(model)
        for name, value in where.items():
            query = query.where(getattr(model, name) == value)
        number = db.session.scalar(query)
        db.session.remove()
        return number


def fits_the_phone(page) -> None:
    measured = page.evaluate(NO_OVERFLOW)
    assert measured == {"page": 0, "narrow": []}, measured


def test_search_finds_a_household_of_another_ward_and_an_untouched_form_says_why(
    page, live_server, live_app, sign_in, screenshot
):
    username, [(primary, _), (second, second_name), *_] = officer_with_two_wards(live_app)
    household = household_in(live_app, second)
    sign_in(username)
    page.set_viewport_size(PHONE)
    page.goto(f"{live_server}/contacts/new")
    expect(page.locator("#area_id")).to_have_value(str(primary))
    fits_the_phone(page)

    # the untouched form: a home visit to nobody is not saved
    page.get_by_role("button", name="Lưu").click()
    expect(page.locator("#household_query")).to_have_class(re.compile("is-invalid"))
    expect(page.locator(".invalid-feedback").first).to_contain_text("Đến tận nhà là đến một hộ")
    page.wait_for_load_state("load")  # the page's script listens once it has run

    page.fill("#household_query", "vu ngoc hai thu")
    result = page.locator("#household-results button").filter(has_text=NAME)
    expect(result).to_be_visible()
    expect(result).to_contain_text(second_name)
    screenshot("field-search-other-ward")
    page.set_viewport_size(PHONE)
    result.click()
    expect(page.locator("#area_id")).to_have_value(str(second))  # the form follows the household
    before = count(live_app, Contact, household_id=household)
    page.get_by_role("button", name="Lưu").click()
    page.wait_for_url(f"{live_server}/")
    assert count(live_app, Contact, household_id=household) == before + 1


def test_a_likely_duplicate_is_warned_then_added_only_when_said_different(
    page, live_server, live_app, sign_in, screenshot
):
    username, [_, (second, _), *_] = officer_with_two_wards(live_app)
    existing = household_in(live_app, second)
    sign_in(username)
    page.set_viewport_size(PHONE)
    page.goto(f"{live_server}/contacts/new")
    page.check("#create_household")
    page.fill("#new_head_name", "vu ngoc hai thu")
    warning = page.locator("[data-test=duplicate-warning]")
    expect(warning).to_be_visible()
    expect(warning.locator("#duplicate-list")).to_contain_text(NAME)
    expect(warning).to_contain_text("trùng tên")
    fits_the_phone(page)
    screenshot("field-duplicate-warning")
    page.set_viewport_size(PHONE)

    households = count(live_app, Household)
    page.get_by_role("button", name="Lưu").click()  # not ticked: the server refuses it too
    expect(page.locator("#new_different_person")).to_have_class(re.compile("is-invalid"))
    expect(warning).to_contain_text("Có thể đã có trong danh sách")
    assert count(live_app, Household) == households

    # choosing the one listed uses it instead
    warning.locator("#duplicate-list button").filter(has_text=NAME).click()
    expect(page.locator("#household_id")).to_have_value(str(existing))
    expect(page.locator("#new-household")).to_be_hidden()

    # or the officer says it is someone else
    page.check("#create_household")
    page.fill("#new_head_name", "Vũ Ngọc Hải Thử")
    expect(warning).to_be_visible()
    page.check("#new_different_person")
    page.get_by_role("button", name="Lưu").click()
    page.wait_for_url(f"{live_server}/")
    assert count(live_app, Household) == households + 1


def test_enrollment_income_grouped_and_amount_due_for_the_period(
    page, live_server, sign_in, screenshot
):
    sign_in("officer")
    page.set_viewport_size(PHONE)
    page.goto(f"{live_server}/enrollments/new")
    due = page.locator("[data-test=amount-due]")
    expect(due).not_to_have_text("—")  # the legal minimum for a month, server-rendered
    page.select_option("#category", "near_poor")
    page.select_option("#payment_period", "3")
    page.fill("#income_basis", "3000000")
    expect(page.locator("#income_basis")).to_have_value("3.000.000")
    expect(page.locator("#calc-contribution")).to_have_text("660.000 đ")
    expect(page.locator("#calc-months")).to_have_text("(3 tháng)")
    monthly = 660_000 - int(
        page.locator("#calc-support").inner_text().replace(" đ", "").replace(".", "")
    )
    expect(due).to_have_text(f"{monthly * 3:,} đ".replace(",", "."))
    fits_the_phone(page)
    screenshot("field-enrollment-amount-due")
    page.set_viewport_size(PHONE)

    # a range error in Vietnamese figures, what was typed kept
    page.fill("#income_basis", "99000000")
    page.fill("#participant_name", "Người Thử Khoảng")
    page.get_by_role("button", name="Lưu").click()
    expect(page.locator("#income_basis")).to_have_value("99.000.000")
    expect(page.locator("#income_basis ~ .invalid-feedback")).to_contain_text("46.800.000")
    fits_the_phone(page)
