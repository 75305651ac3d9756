"""Every route declares who may use it, and each role's denials hold."""

import pytest

from tests.factories import make_area, make_officer, make_user
from tracker.access import CAPABILITIES, PUBLIC, SIGNED_IN, rule_of


def test_every_route_declares_an_access_rule(app):
    undeclared = []
    for rule in app.url_map.iter_rules():
        if rule.endpoint == "static":
            continue
        view = app.view_functions[rule.endpoint]
        declared = rule_of(view)
        if declared not in (PUBLIC, SIGNED_IN, *CAPABILITIES):
            undeclared.append(rule.rule)
    assert undeclared == []


def test_public_routes_are_only_the_expected_ones(app):
    public = sorted(
        rule.rule
        for rule in app.url_map.iter_rules()
        if rule.endpoint != "static" and rule_of(app.view_functions[rule.endpoint]) == PUBLIC
    )
    assert public == [
        "/healthz",
        "/language",
        "/login",
        "/manifest.webmanifest",
        "/readyz",
        "/sw.js",
    ]


def test_a_view_without_a_rule_is_refused(app, client, auth):
    app.add_url_rule("/undeclared", "undeclared", lambda: "secret")
    make_user("boss", "admin")
    auth.login("boss")
    assert client.get("/undeclared").status_code == 403


ADMIN_PAGES = [
    "/admin/users",
    "/admin/users/new",
    "/admin/areas",
    "/admin/areas/new",
    "/admin/collection-orgs",
    "/admin/collection-orgs/new",
    "/admin/rules",
]


@pytest.mark.parametrize("role", ["officer", "supervisor", "leader"])
@pytest.mark.parametrize("path", ADMIN_PAGES)
def test_admin_pages_deny_other_roles(app, client, auth, role, path):
    make_user("someone", role)
    auth.login("someone")
    assert client.get(path).status_code == 403
    if path.endswith("/new"):
        assert client.post(path, data={"name": "x"}).status_code == 403


@pytest.mark.parametrize("path", ADMIN_PAGES)
def test_admin_pages_open_to_admin(app, client, auth, path):
    make_user("boss", "admin")
    auth.login("boss")
    assert client.get(path).status_code == 200


@pytest.mark.parametrize("path", ADMIN_PAGES + ["/", "/account/password"])
def test_anonymous_is_asked_to_sign_in(client, path):
    response = client.get(path)
    assert response.status_code == 302 and "/login" in response.location


def test_officer_cannot_reset_someone_elses_password(app, client, auth):
    make_officer("lan")
    victim = make_user("boss", "admin")
    auth.login("lan")
    response = client.post(
        f"/admin/users/{victim.id}/password", data={"reset-new_password": "taken-over-99"}
    )
    assert response.status_code == 403


def test_api_answers_401_json_to_anonymous(client):
    response = client.get("/api/v1/me")
    assert response.status_code == 401
    assert response.json["error"]["code"] == "unauthorized"


def test_api_me_lists_the_users_areas(app, client, auth):
    ward = make_area("Kim Tân")
    make_officer("lan", areas=[ward])
    auth.login("lan")
    body = client.get("/api/v1/me").json
    assert body["username"] == "lan" and body["role"] == "officer"
    assert body["areas"] == [{"id": ward.id, "code": ward.code, "name": "Kim Tân"}]


NAV_LINKS = {"/admin/users": {"admin"}}


@pytest.mark.parametrize("role", ["officer", "supervisor", "leader", "admin"])
def test_navigation_shows_what_the_role_may_use(app, client, auth, role):
    make_user("someone", role)
    auth.login("someone")
    page = client.get("/").get_data(as_text=True)
    for link, roles in NAV_LINKS.items():
        assert (f'href="{link}"' in page) == (role in roles)
    assert "Đăng xuất" in page
