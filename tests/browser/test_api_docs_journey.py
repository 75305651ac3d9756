"""The API's documentation page opens with no network beyond the app: Swagger UI's script and
styles are the app's own copies, and the page draws every operation of the published spec."""

from playwright.sync_api import expect


def test_api_docs_open_offline(page, live_server, sign_in):
    elsewhere, problems = [], []

    def only_the_app(route):
        if route.request.url.startswith(live_server):
            route.continue_()
        else:
            elsewhere.append(route.request.url)
            route.abort("internetdisconnected")

    page.route("**/*", only_the_app)
    page.on("pageerror", lambda error: problems.append(str(error)))
    page.on("console", lambda m: problems.append(m.text) if m.type == "error" else None)
    sign_in("officer")
    page.goto(f"{live_server}/api/v1/docs")
    expect(page.locator(".swagger-ui .info .title")).to_contain_text("Outreach Tracker API")
    for path in ("/api/v1/contacts", "/api/v1/enrollments", "/api/v1/targets"):
        expect(page.locator(f".opblock-summary-path[data-path='{path}']").first).to_be_visible()
    page.locator(".opblock-summary-path[data-path='/api/v1/me']").first.click()
    expect(page.locator(".opblock.is-open .responses-table").first).to_be_visible()
    assert elsewhere == []
    assert problems == []


def test_api_docs_need_sign_in(page, live_server):
    """Under /api/ like the rest of the API: a 401 in the API's error shape, not a sign-in
    redirect."""
    response = page.goto(f"{live_server}/api/v1/docs")
    assert response.status == 401
    assert response.json()["error"]["code"] == "unauthorized"
