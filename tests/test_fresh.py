"""Boards computed once per data version: a contact moves every board that reads it on the next
read, and leaves every other board cached and answered with a 304 (tracker/data_versions.py,
tracker/fresh.py)."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from tests.factories import make_area, make_enrollment, make_office, make_officer, make_user
from tests.test_api_fieldwork import contact_body
from tracker import data_versions, progress
from tracker.dates import local_today
from tracker.extensions import db
from tracker.models import User


@pytest.fixture
def country(app):
    """Two offices, each with a ward, a supervisor and an officer; a leader reads the boards."""
    province = make_area("Lào Cai", "province")
    sides = {}
    for name, ward_name in (("north", "Cốc Lếu"), ("south", "Bắc Cường")):
        ward = make_area(ward_name, parent=province)
        office = make_office(f"BHXH {name}", covers=[ward])
        chief = make_user(f"chief_{name}", "supervisor")
        officer = make_officer(f"officer_{name}", supervisor=chief, areas=[ward])
        for user in (chief, officer):
            user.office_id = office.id
            user.created_at = datetime(2023, 1, 1, tzinfo=UTC)
        sides[name] = (office, ward, chief, officer)
    make_user("leader", "leader")
    db.session.commit()
    return sides


def reader(app, username: str):
    client = app.test_client()
    client.post("/login", data={"username": username, "password": "correct-horse-9"})
    return client


def pages(sides) -> dict[str, tuple[str, str]]:
    """(who reads, address) of every cached page, by what it shows."""
    pages = {
        "national officers": ("leader", "/boards/officers"),
        "orgs": ("leader", "/boards/orgs"),
    }
    for name, (office, ward, chief, _officer) in sides.items():
        pages |= {
            f"{name} dashboard": ("leader", f"/dashboard?office={office.id}"),
            f"{name} officers": ("leader", f"/boards/officers?office={office.id}"),
            f"{name} areas": ("leader", f"/boards/areas?office={office.id}"),
            f"{name} ward": ("leader", f"/boards/areas/{ward.id}"),
            f"{name} team": (f"chief_{name}", f"/team?supervisor={chief.id}"),
            f"{name} today": (f"officer_{name}", "/"),
        }
    return pages


@pytest.fixture
def computed(monkeypatch):
    """How many times each board was computed (not taken from the cache)."""
    calls = []
    for name in ("officer_leaderboard", "area_leaderboard", "org_leaderboard"):
        original = getattr(progress, name)

        def counting(*args, original=original, name=name, **kwargs):
            calls.append(name)
            return original(*args, **kwargs)

        monkeypatch.setattr(progress, name, counting)
    return calls


def read_all(app, sides, clients, etags=None) -> dict[str, object]:
    """Every page, each read by its user's browser (one session each, kept between reads)."""
    answers = {}
    for page, (username, address) in pages(sides).items():
        client = clients.setdefault(username, reader(app, username))
        headers = {"If-None-Match": etags[page]} if etags else {}
        answers[page] = client.get(address, headers=headers)
    return answers


def test_a_contact_moves_the_boards_that_read_it_and_no_other(app, country, computed):
    browsers = {}
    first = read_all(app, country, browsers)
    assert {page: r.status_code for page, r in first.items()} == dict.fromkeys(first, 200)
    etags = {page: r.headers["ETag"] for page, r in first.items()}
    assert all(tag.startswith('W/"') for tag in etags.values())

    again = read_all(app, country, browsers, etags)
    assert {r.status_code for r in again.values()} == {304}  # nothing changed, nothing computed

    officer = app.test_client()
    officer.post("/login", data={"username": "officer_north", "password": "correct-horse-9"})
    north_ward = country["north"][1]
    assert officer.post("/api/v1/contacts", json=contact_body(north_ward)).status_code == 201

    computed.clear()
    after = read_all(app, country, browsers, etags)
    moved = {page for page, r in after.items() if r.status_code == 200}
    assert moved == {
        "national officers",
        "orgs",
        "north dashboard",
        "north officers",
        "north areas",
        "north ward",
        "north team",
        "north today",
    }
    assert {page for page, r in after.items() if r.status_code == 304} == {
        f"south {page}" for page in ("dashboard", "officers", "areas", "ward", "team", "today")
    }
    for page in ("national officers", "north dashboard", "north officers", "north today"):
        assert after[page].get_data() != first[page].get_data(), page  # the contact shows
        assert after[page].headers["ETag"] != etags[page]

    # Without a copy in the browser, the south's boards come from the cache, not recomputed.
    computed.clear()
    south = reader(app, "leader")
    office = country["south"][0]
    assert south.get(f"/dashboard?office={office.id}").status_code == 200
    assert south.get(f"/boards/officers?office={office.id}").status_code == 200
    assert computed == []


def test_an_enrollment_changes_the_participants_on_the_next_read(app, country):
    _office, ward, _chief, officer = country["north"]
    leader = reader(app, "leader")
    address = f"/boards/areas/{ward.id}"
    before = leader.get(address).get_data(as_text=True)
    make_enrollment(officer, ward, local_today())  # written by the test's own session
    after = leader.get(address).get_data(as_text=True)
    assert after != before


def test_a_rolled_back_write_moves_nothing(app, country):
    slices = [data_versions.officer(country["north"][3].id)]
    stamp = data_versions.stamp(slices)
    officer = db.session.get(User, country["north"][3].id)
    officer.full_name = "Đổi tên"
    db.session.flush()
    db.session.rollback()
    assert data_versions.stamp(slices) == stamp


def test_sign_out_bookkeeping_moves_nothing_but_a_name_moves_global(app, country):
    stamp = data_versions.stamp([])
    officer = db.session.get(User, country["north"][3].id)
    officer.session_epoch += 1
    db.session.commit()
    assert data_versions.stamp([]) == stamp
    officer.full_name = "Tên mới"
    db.session.commit()
    assert data_versions.stamp([]) != stamp


def test_a_pending_message_is_shown_not_answered_with_304(app, country):
    leader = reader(app, "leader")
    first = leader.get("/boards/orgs")
    with leader.session_transaction() as session:
        session["_flashes"] = [("message", "Đã lưu")]
    again = leader.get("/boards/orgs", headers={"If-None-Match": first.headers["ETag"]})
    assert again.status_code == 200 and "Đã lưu" in again.get_data(as_text=True)


def test_another_user_never_gets_the_first_ones_copy(app, country):
    tag = reader(app, "chief_north").get("/boards/orgs").headers["ETag"]
    other = reader(app, "leader").get("/boards/orgs", headers={"If-None-Match": tag})
    assert other.status_code == 200


def test_off_means_computed_every_time_and_no_etag(make_app, country):
    app = make_app(DATA_CACHE="off")
    with app.app_context():
        response = reader(app, "leader").get("/boards/orgs")
        assert response.status_code == 200 and "ETag" not in response.headers
        assert data_versions.stamp(["all"]) is None


def test_pages_are_compressed(app, country):
    response = reader(app, "leader").get("/boards/officers", headers={"Accept-Encoding": "br"})
    assert response.headers["Content-Encoding"] == "br"
    assert "Accept-Encoding" in response.headers["Vary"]


def test_participants_stay_cached_while_contacts_are_logged(app, country, monkeypatch):
    from tracker.extensions import cache

    written = []
    original = cache.set
    monkeypatch.setattr(
        cache, "set", lambda key, *a, **k: written.append(key) or original(key, *a, **k)
    )

    def parts_computed() -> set[str]:
        names = {key.split(":")[1] for key in written if key.startswith("part:")}
        written.clear()
        return names

    office, ward, _chief, officer = country["north"]
    leader = reader(app, "leader")
    assert leader.get(f"/dashboard?office={office.id}").status_code == 200
    assert "tracker.progress.participants.participants_on" in parts_computed()

    field = reader(app, "officer_north")
    assert field.post("/api/v1/contacts", json=contact_body(ward)).status_code == 201
    assert leader.get(f"/dashboard?office={office.id}").status_code == 200
    assert parts_computed() == set()  # the funnel and the contacts are new, participants are not

    make_enrollment(officer, ward, local_today())
    assert leader.get(f"/dashboard?office={office.id}").status_code == 200
    assert "tracker.progress.participants.participants_on" in parts_computed()


def test_a_new_sign_in_never_gets_a_page_of_the_old_session(app, country):
    """The page holds the session's form token: a copy kept from an earlier sign-in would hold
    one that no longer submits (signing out from it would fail)."""
    first = reader(app, "leader")
    tag = first.get("/boards/orgs").headers["ETag"]
    again = reader(app, "leader").get("/boards/orgs", headers={"If-None-Match": tag})
    assert again.status_code == 200
