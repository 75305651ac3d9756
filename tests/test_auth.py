"""Sign-in, sign-out, throttling, inactive users, CSRF, the off-site `next`, own password."""

import pytest

from tests.factories import PASSWORD, make_officer, make_user
from tracker.extensions import db
from tracker.models import AuditEvent, User


def test_login_page_renders(client):
    response = client.get("/login")
    assert response.status_code == 200
    assert "Đăng nhập".encode() in response.data


def test_login_ok_redirects_home_and_logout_ends_session(app, client, auth):
    make_officer("lan")
    response = auth.login("lan")
    assert response.status_code == 302 and response.location == "/"
    assert client.get("/").status_code == 200
    assert auth.logout().status_code == 302
    assert client.get("/").status_code == 302  # back to sign-in


def test_username_is_case_insensitive(app, auth):
    make_officer("lan")
    assert auth.login("  LAN ").status_code == 302


@pytest.mark.parametrize("username,password", [("lan", "wrong-password"), ("nobody", PASSWORD)])
def test_wrong_credentials_get_one_clear_message(app, client, auth, username, password):
    make_officer("lan")
    response = auth.login(username, password)
    assert response.status_code == 401
    assert "Sai tên đăng nhập hoặc mật khẩu".encode() in response.data
    assert client.get("/").status_code == 302


def test_inactive_user_is_refused(app, client, auth):
    make_officer("lan", active=False)
    response = auth.login("lan")
    assert response.status_code == 403
    assert "vô hiệu hóa".encode() in response.data
    assert client.get("/").status_code == 302


def test_deactivated_while_signed_in_loses_access(app, client, auth):
    user = make_officer("lan")
    auth.login("lan")
    user.active = False
    db.session.commit()
    assert client.get("/").status_code == 302


def test_over_long_username_is_a_form_error_not_a_crash(app, auth):
    response = auth.login("x" * 5000)
    assert response.status_code == 422


def test_logout_is_post_only(app, client, auth):
    make_officer("lan")
    auth.login("lan")
    assert client.get("/logout").status_code == 405
    assert client.get("/").status_code == 200


@pytest.mark.parametrize(
    "target",
    [
        "https://evil.example/x",
        "//evil.example",
        "/\\evil.example",
        "javascript:alert(1)",
        "http:/evil.example",
    ],
)
def test_off_site_next_is_ignored(app, auth, target):
    make_officer("lan")
    response = auth.login("lan", next=target)
    assert response.location == "/"


def test_on_site_next_is_followed(app, auth):
    make_officer("lan")
    assert auth.login("lan", next="/account/password").location == "/account/password"


def test_anonymous_is_sent_to_sign_in_with_next(client):
    response = client.get("/admin/users")
    assert response.status_code == 302
    assert response.location.startswith("/login?next=/admin/users")


def test_throttled_after_repeated_failures(make_app):
    app = make_app(LOGIN_ATTEMPTS_LIMIT="3 per minute")
    with app.app_context():
        make_officer("lan")
        client = app.test_client()
        statuses = [
            client.post("/login", data={"username": "lan", "password": "bad-guess"}).status_code
            for _ in range(4)
        ]
        assert statuses == [401, 401, 401, 429]
        blocked = client.post("/login", data={"username": "lan", "password": PASSWORD})
        assert blocked.status_code == 429
        assert "Quá nhiều lần thử".encode() in blocked.data


def test_throttle_counts_per_username_across_addresses(make_app):
    app = make_app(LOGIN_USERNAME_LIMIT="2 per minute")
    with app.app_context():
        make_officer("lan")
        client = app.test_client()
        for address in ("10.0.0.1", "10.0.0.2"):
            client.post(
                "/login",
                data={"username": "lan", "password": "bad-guess"},
                environ_base={"REMOTE_ADDR": address},
            )
        response = client.post(
            "/login",
            data={"username": "lan", "password": "bad-guess"},
            environ_base={"REMOTE_ADDR": "10.0.0.3"},
        )
        assert response.status_code == 429


def test_missing_csrf_token_is_refused(make_app):
    app = make_app(WTF_CSRF_ENABLED=True)
    with app.app_context():
        make_officer("lan")
        client = app.test_client()
        response = client.post("/login", data={"username": "lan", "password": PASSWORD})
        assert response.status_code == 400
        assert "Biểu mẫu đã hết hạn".encode() in response.data
        assert client.get("/").status_code == 302  # not signed in


def test_session_cookie_flags(app, client, auth):
    make_officer("lan")
    response = auth.login("lan")
    cookie = response.headers["Set-Cookie"]
    assert "HttpOnly" in cookie and "SameSite=Lax" in cookie


def test_change_own_password(app, client, auth):
    make_officer("lan")
    auth.login("lan")
    response = client.post(
        "/account/password",
        data={
            "current_password": PASSWORD,
            "new_password": "a-much-better-one",
            "confirm": "a-much-better-one",
        },
    )
    assert response.status_code == 302
    auth.logout()
    assert auth.login("lan", "a-much-better-one").status_code == 302
    assert db.session.query(AuditEvent).filter_by(action="change_password").count() == 1


@pytest.mark.parametrize("new,message", [("short", "tối thiểu 10"), ("1234567890", "quá dễ đoán")])
def test_weak_new_password_is_refused(app, client, auth, new, message):
    make_officer("lan")
    auth.login("lan")
    response = client.post(
        "/account/password",
        data={"current_password": PASSWORD, "new_password": new, "confirm": new},
    )
    assert response.status_code == 422
    assert message.encode() in response.data
    assert db.session.get(User, 1).check_password(PASSWORD)


def test_admin_reset_forces_change_at_next_sign_in(app, client, auth):
    make_user("boss", "admin")
    lan = make_officer("lan")
    auth.login("boss")
    client.post(f"/admin/users/{lan.id}/password", data={"reset-new_password": "temporary-pass-1"})
    auth.logout()
    auth.login("lan", "temporary-pass-1")
    response = client.get("/")
    assert response.status_code == 302 and response.location == "/account/password"
    client.post(
        "/account/password",
        data={
            "current_password": "temporary-pass-1",
            "new_password": "my-own-secret-2",
            "confirm": "my-own-secret-2",
        },
    )
    assert client.get("/").status_code == 200


def test_throttle_holds_across_workers_with_redis(make_app):
    """Two app instances (two gunicorn workers) share the count through the local Redis."""
    import random
    import uuid

    import redis

    url = "redis://127.0.0.1:6379/0"
    try:
        redis.Redis.from_url(url).ping()
    except redis.ConnectionError:
        pytest.skip("Redis is not running on 127.0.0.1:6379")
    settings = {"RATELIMIT_STORAGE_URI": url, "LOGIN_ATTEMPTS_LIMIT": "2 per minute"}
    first, second = make_app(**settings), make_app(**settings)
    # Redis outlives the test: a name and an address of this run's own keep runs apart.
    username = f"lan{uuid.uuid4().hex[:8]}"
    address = {"REMOTE_ADDR": f"10.{random.randrange(256)}.{random.randrange(256)}.7"}
    with first.app_context():
        make_officer(username)
    bad = {"username": username, "password": "bad-guess"}

    def attempt(app, data):
        with app.app_context():
            return app.test_client().post("/login", data=data, environ_base=address).status_code

    assert attempt(first, bad) == 401
    assert attempt(second, bad) == 401
    assert attempt(first, bad) == 429
    assert attempt(second, {"username": username, "password": PASSWORD}) == 429


def test_one_persons_failures_do_not_lock_out_the_office(make_app):
    """An office signs in from one address (NAT): five failures of one person used to lock
    everyone out for 15 minutes. Only that person's (address, username) pair is locked."""
    app = make_app(LOGIN_ATTEMPTS_LIMIT="3 per minute", LOGIN_USERNAME_LIMIT="10 per minute")
    office = {"REMOTE_ADDR": "10.1.1.1"}
    with app.app_context():
        make_officer("lan")
        make_officer("hoa")
        client = app.test_client()

        def attempt(username, password="bad-guess"):
            data = {"username": username, "password": password}
            return client.post("/login", data=data, environ_base=office).status_code

        assert [attempt("lan") for _ in range(4)] == [401, 401, 401, 429]
        assert attempt("lan", PASSWORD) == 429
        assert attempt("hoa") == 401
        assert attempt("hoa", PASSWORD) == 302


def test_an_address_has_a_looser_ceiling(make_app):
    app = make_app(LOGIN_ADDRESS_LIMIT="4 per minute")
    with app.app_context():
        client = app.test_client()
        statuses = [
            client.post("/login", data={"username": f"u{n}", "password": "bad-guess"}).status_code
            for n in range(5)
        ]
        assert statuses == [401, 401, 401, 401, 429]


def test_unknown_usernames_take_as_long_as_wrong_passwords(app, client):
    """A wrong password costs one scrypt check (~140 ms); an unknown user used to answer in
    ~10 ms, telling which usernames exist."""
    import statistics
    import time

    make_officer("lan")

    def timed(username):
        started = time.perf_counter()
        response = client.post("/login", data={"username": username, "password": "bad-guess"})
        assert response.status_code == 401
        return time.perf_counter() - started

    timed("lan")  # warm up (the stand-in hash is made once)
    timed("nobody")
    wrong = statistics.median(timed("lan") for _ in range(5))
    unknown = statistics.median(timed("nobody") for _ in range(5))
    assert unknown > 0.6 * wrong, (unknown, wrong)


@pytest.mark.parametrize(
    "new,message",
    [
        ("lan-is-my-name", "tên đăng nhập"),
        ("LAN2024secret", "tên đăng nhập"),
        ("qwertyuiop", "quá dễ đoán"),
        ("manchester", "quá dễ đoán"),
        ("Password123", "quá dễ đoán"),
    ],
)
def test_passwords_with_the_username_or_from_the_common_list_are_refused(
    app, client, auth, new, message
):
    make_officer("lan")
    auth.login("lan")
    response = client.post(
        "/account/password",
        data={"current_password": PASSWORD, "new_password": new, "confirm": new},
    )
    assert response.status_code == 422
    assert message.encode() in response.data


def test_the_common_list_comes_from_a_package():
    from tracker.services.passwords import common_passwords

    assert len(common_passwords()) > 20_000


def test_admin_reset_checks_the_users_own_name(app, client, auth):
    make_user("boss", "admin")
    lan = make_officer("lan")
    auth.login("boss")
    client.post(f"/admin/users/{lan.id}/password", data={"reset-new_password": "lan-temporary"})
    db.session.refresh(lan)
    assert lan.check_password(PASSWORD)
