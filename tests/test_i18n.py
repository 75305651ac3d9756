"""Vietnamese first, English one click away, and a catalog with nothing missing."""

import random
import subprocess
import sys
from datetime import date
from pathlib import Path

import pytest
from babel.messages.pofile import read_po

from tests.factories import make_officer
from tracker.extensions import db
from tracker.i18n import number, percent, short_date

ROOT = Path(__file__).resolve().parent.parent


def test_vietnamese_is_the_default(client):
    page = client.get("/login").get_data(as_text=True)
    assert '<html lang="vi">' in page and "Đăng nhập" in page


def test_switch_to_english_and_back_before_sign_in(client):
    response = client.post("/language", data={"locale": "en", "next": "/login"})
    assert response.location == "/login"
    assert "Sign in" in client.get("/login").get_data(as_text=True)
    client.post("/language", data={"locale": "vi", "next": "/login"})
    assert "Đăng nhập" in client.get("/login").get_data(as_text=True)


def test_language_choice_is_remembered_for_the_user(app, client, auth):
    lan = make_officer("lan")
    auth.login("lan")
    client.post("/language", data={"locale": "en", "next": "/"})
    db.session.refresh(lan)
    assert lan.locale == "en"
    assert "Sign out" in client.get("/").get_data(as_text=True)


def test_language_switch_refuses_off_site_next(client):
    response = client.post("/language", data={"locale": "en", "next": "https://evil.example"})
    assert response.location == "/"


def test_vietnamese_number_and_date_formats(app):
    with app.test_request_context():
        assert number(1234567) == "1.234.567"
        assert number(1234.5, 1) == "1.234,5"
        assert percent(3167 / 4600) == "68,8 %"
        assert percent(None) == "—"
        assert short_date(date(2024, 3, 26)) == "26/03/2024"


def test_english_formats(app, client):
    with app.test_request_context():
        from flask import session

        session["locale"] = "en"
        assert number(1234567) == "1,234,567"
        assert percent(1.3) == "130.0 %"


@pytest.mark.parametrize("locale", ["vi", "en"])
def test_fast_number_formats_equal_babels(app, locale):
    """number() and percent() format with Python for speed; Babel is the reference."""
    from babel.numbers import format_decimal, format_percent
    from flask import session

    rng = random.Random(7)
    values = [0, 1, -1, 999, 1000, -1234567, 10**12, 0.5, 1.25, 2.675, 1234.5, 3167 / 4600]
    values += [rng.uniform(-1e7, 1e7) for _ in range(300)] + [
        rng.randrange(10**9) for _ in range(300)
    ]
    with app.test_request_context():
        session["locale"] = locale
        for value in values:
            for digits in (0, 1, 2):
                decimals = "." + "0" * digits if digits else ""
                babel_number = format_decimal(value, "#,##0" + decimals, locale=locale)
                assert number(value, digits) == babel_number, (value, digits)
                babel_percent = format_percent(value, "#,##0" + decimals + " %", locale=locale)
                assert percent(value, digits) == babel_percent, (value, digits)


def test_every_extracted_string_has_a_vietnamese_translation(tmp_path):
    template = tmp_path / "messages.pot"
    subprocess.run(
        [
            str(Path(sys.executable).parent / "pybabel"),
            "extract",
            "-F",
            "babel.cfg",
            "-k",
            "_l",
            "-o",
            str(template),
            "--omit-header",
            ".",
        ],
        cwd=ROOT,
        check=True,
        capture_output=True,
    )
    with template.open("rb") as handle:
        wanted = {m.id for m in read_po(handle) if m.id}
    with (ROOT / "tracker/translations/vi/LC_MESSAGES/messages.po").open("rb") as handle:
        catalog = read_po(handle)
    translated = {m.id for m in catalog if m.id and m.string and not m.fuzzy}
    missing = sorted(str(m) for m in wanted - translated)
    assert missing == [], f"{len(missing)} strings lack a Vietnamese translation: {missing[:10]}"


def test_template_strings_have_no_bare_percent_sign():
    """Jinja's gettext formats every string with %: a bare % would break the page."""
    import re

    bare = []
    for template in (ROOT / "templates").rglob("*.html"):
        for message in re.findall(r'_\("((?:[^"\\]|\\.)*)"\)', template.read_text("utf-8")):
            if re.search(r"%(?!\()", message.replace("%%", "")):
                bare.append(f"{template.name}: {message}")
    assert bare == []


def test_the_shipped_catalog_is_compiled_from_the_po(tmp_path):
    """messages.mo is in git (a production start compiles nothing): it must hold what the .po
    says. After editing the .po, `make translations` and commit both."""
    from babel.messages.mofile import read_mo

    folder = ROOT / "tracker/translations/vi/LC_MESSAGES"

    def plain(value):
        return value if isinstance(value, str) else tuple(value)

    with (folder / "messages.po").open("rb") as handle:
        wanted = {
            plain(m.id): plain(m.string)
            for m in read_po(handle)
            if m.id and m.string and not m.fuzzy
        }
    with (folder / "messages.mo").open("rb") as handle:
        shipped = {plain(m.id): plain(m.string) for m in read_mo(handle) if m.id}
    assert shipped == wanted
