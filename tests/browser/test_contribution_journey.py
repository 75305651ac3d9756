"""The enrollment form's amounts: online they come from GET /api/v1/contribution, offline from
the rules table in the page; both give the same đồng."""

from playwright.sync_api import expect

ASK = """async (params) => {
  const response = await fetch("/api/v1/contribution?" + new URLSearchParams(params));
  return await response.json();
}"""


def vnd(amount: int) -> str:
    return f"{amount:,}".replace(",", ".") + " đ"


def test_the_form_and_the_api_agree_online_and_offline(page, context, live_server, sign_in):
    sign_in("officer")
    page.goto(f"{live_server}/enrollments/new")
    page.select_option("#category", "near_poor")
    page.select_option("#payment_period", "lump_sum")
    page.fill("#lump_sum_years", "5")
    page.fill("#income_basis", "3000000")
    params = {
        "on": page.input_value("#enrolled_on"),
        "category": "near_poor",
        "payment_period": "lump_sum",
        "months": "60",
        "income_basis": "3000000",
    }
    answer = page.evaluate(ASK, params)
    assert answer["months"] == 60
    expect(page.locator("#calc-due")).to_have_text(vnd(answer["amount_due"]))
    expect(page.locator("#calc-support")).to_have_text(vnd(answer["state_support"]))
    expect(page.locator("#calc-source")).to_have_text(answer["source"])
    expect(page.locator("#calc-cap")).to_contain_text("60")

    context.set_offline(True)
    page.select_option("#payment_period", "12")
    expect(page.locator("#calc-months")).to_contain_text("12")
    page.select_option("#payment_period", "lump_sum")  # computed from the page's table now
    expect(page.locator("#calc-due")).to_have_text(vnd(answer["amount_due"]))
    expect(page.locator("#calc-pays")).to_have_text(vnd(answer["participant_pays"]))
    page.fill("#lump_sum_years", "6")
    expect(page.locator("#calc-note")).to_contain_text("60")
    expect(page.locator("#calc-due")).to_have_text("—")
    context.set_offline(False)

    page.fill("#lump_sum_years", "5")
    page.fill("#income_basis", "1000000")  # below the poverty line: the API's 422 says so
    expect(page.locator("#calc-note")).not_to_be_empty()
    expect(page.locator("#calc-due")).to_have_text("—")
