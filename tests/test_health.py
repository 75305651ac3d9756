from unittest.mock import patch

from sqlalchemy.exc import OperationalError

from tracker.extensions import db


def test_healthz_ok(client):
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json == {"status": "ok"}


def test_healthz_reports_a_dead_database(app, client):
    with patch.object(db.session, "execute", side_effect=OperationalError("x", {}, Exception())):
        response = client.get("/healthz")
    assert response.status_code == 503
    assert response.json["status"] == "error"


def test_security_headers(client):
    headers = client.get("/login").headers
    assert "script-src 'self'" in headers["Content-Security-Policy"]
    assert "frame-ancestors 'none'" in headers["Content-Security-Policy"]
    assert headers["X-Content-Type-Options"] == "nosniff"
    assert "Strict-Transport-Security" not in headers
    assert "Strict-Transport-Security" in client.get("/login", base_url="https://x").headers


def test_plotly_served_locally(client):
    response = client.get("/assets/plotly.min.js")
    assert response.status_code == 200
    assert response.headers["Content-Type"].startswith("text/javascript")
    assert len(response.data) > 1_000_000
    response.close()


def test_unknown_page_is_a_friendly_404(client):
    response = client.get("/no-such-page")
    assert response.status_code == 404
    assert "Không tìm thấy nội dung.".encode() in response.data
