"""My records: deleting asks first (a page that works without JavaScript), the list then offers
Undo for the record within its 7 days, and nobody can undo, confirm or see the banner for
someone else's record. The list's filters and page travel through the delete and the undo."""

import re
from datetime import UTC, datetime, timedelta

import pytest

from tests.factories import (
    make_area,
    make_city,
    make_contact,
    make_enrollment,
    make_officer,
    make_user,
)
from tracker.dates import local_today
from tracker.extensions import db
from tracker.field import records as record_views
from tracker.models import Contact


@pytest.fixture
def field(app):
    _, city = make_city()
    kim_tan, far = make_area("Phường Kim Tân", parent=city), make_area("Bắc Cường", parent=city)
    chief = make_user("chief", "supervisor")
    lan = make_officer("lan", supervisor=chief, areas=[kim_tan], full_name="Phạm Thị Lan")
    binh = make_officer("binh", supervisor=chief, areas=[far], full_name="Lê Thị Bình")
    make_user("leader", "leader")
    make_user("boss", "admin")
    today = local_today()
    contact = make_contact(lan, kim_tan, today, notes="Hẹn gặp lại tuần sau")
    enrollment = make_enrollment(lan, kim_tan, today, participant_name="Giàng Thị Mai")
    theirs = make_contact(binh, far, today, notes="Của Bình")
    return lan, contact, enrollment, theirs


def text(page: str) -> str:
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", page))


def test_delete_asks_first_then_offers_undo(field, client, auth):
    lan, contact, _enrollment, _theirs = field
    auth.login("lan")
    listing = client.get("/records?outcome=informed&page=1").get_data(as_text=True)
    confirm_link = f"/contacts/{contact.id}/delete?kind=contacts&amp;outcome=informed&amp;page=1"
    assert confirm_link in listing
    assert f'action="/contacts/{contact.id}/delete' not in listing  # no one-tap delete

    page = client.get(f"/contacts/{contact.id}/delete?outcome=informed&page=1")
    assert page.status_code == 200
    body = page.get_data(as_text=True)
    assert "Xóa lượt tuyên truyền, vận động này?" in body and "Hẹn gặp lại tuần sau" in body
    assert "Có thể hoàn tác đến" in body
    assert 'data-test="confirm-delete"' in body
    db.session.refresh(contact)
    assert contact.deleted_at is None  # looking is not deleting

    response = client.post(f"/contacts/{contact.id}/delete?kind=contacts&outcome=informed&page=1")
    assert response.status_code == 302
    assert response.location.endswith(
        f"/records?kind=contacts&outcome=informed&page=1&deleted={contact.id}"
    )
    db.session.refresh(contact)
    assert contact.deleted_at is not None
    after = client.get(response.location).get_data(as_text=True)
    assert 'data-test="undo-banner"' in after
    assert f'action="/contacts/{contact.id}/restore?kind=contacts' in after
    assert 'data-test="undo-row"' in after  # the row keeps its own Undo

    restored = client.post(f"/contacts/{contact.id}/restore?kind=contacts&outcome=informed")
    assert restored.location.endswith("/records?kind=contacts&outcome=informed")
    db.session.refresh(contact)
    assert contact.deleted_at is None
    again = client.get(f"/records?deleted={contact.id}").get_data(as_text=True)
    assert 'data-test="undo-banner"' not in again  # nothing left to undo
    assert "Đã khôi phục lượt tuyên truyền, vận động." in again


def test_an_enrollment_too(field, client, auth):
    _lan, _contact, enrollment, _theirs = field
    auth.login("lan")
    body = client.get(f"/enrollments/{enrollment.id}/delete").get_data(as_text=True)
    assert "Xóa người tham gia này?" in body and "Giàng Thị Mai" in body
    response = client.post(f"/enrollments/{enrollment.id}/delete?kind=enrollments")
    assert response.location.endswith(f"/records?kind=enrollments&deleted={enrollment.id}")
    banner = text(client.get(response.location).get_data(as_text=True))
    assert "Đã xóa người tham gia Giàng Thị Mai." in banner
    client.post(f"/enrollments/{enrollment.id}/restore")
    db.session.refresh(enrollment)
    assert enrollment.deleted_at is None


def test_an_already_deleted_record_goes_to_its_undo(field, client, auth):
    _lan, contact, *_ = field
    auth.login("lan")
    client.post(f"/contacts/{contact.id}/delete")
    response = client.get(f"/contacts/{contact.id}/delete")
    assert response.status_code == 302
    assert response.location.endswith(f"/records?kind=contacts&deleted={contact.id}")


def test_after_seven_days_there_is_nothing_to_delete_or_undo(field, client, auth):
    lan, contact, *_ = field
    auth.login("lan")
    client.post(f"/contacts/{contact.id}/delete")
    contact.created_at = datetime.now(UTC) - timedelta(days=8)
    db.session.commit()
    listing = client.get(f"/records?deleted={contact.id}").get_data(as_text=True)
    assert 'data-test="undo-banner"' not in listing and 'data-test="undo-row"' not in listing
    client.post(f"/contacts/{contact.id}/restore")
    db.session.refresh(contact)
    assert contact.deleted_at is not None  # the service refuses too

    live = make_contact(lan, contact.area, local_today(), notes="cũ")
    live.created_at = datetime.now(UTC) - timedelta(days=8)
    db.session.commit()
    page = client.get(f"/contacts/{live.id}/delete").get_data(as_text=True)
    assert 'data-test="confirm-delete"' not in page
    assert "không thể xóa nữa" in page


@pytest.mark.parametrize("username", ["binh", "chief", "leader"])
def test_nobody_confirms_deletes_or_undoes_anothers_record(field, client, auth, username):
    _lan, contact, enrollment, _theirs = field
    auth.login("lan")
    client.post(f"/contacts/{contact.id}/delete")
    auth.logout()
    auth.login(username)
    assert client.get(f"/contacts/{contact.id}/delete").status_code == 403
    assert client.get(f"/enrollments/{enrollment.id}/delete").status_code == 403
    assert client.post(f"/contacts/{contact.id}/restore").status_code == 403
    assert client.post(f"/enrollments/{enrollment.id}/delete").status_code == 403
    listing = client.get(f"/records?deleted={contact.id}").get_data(as_text=True)
    assert 'data-test="undo-banner"' not in listing
    assert f"/contacts/{contact.id}/restore" not in listing
    db.session.refresh(contact)
    db.session.refresh(enrollment)
    assert contact.deleted_at is not None and enrollment.deleted_at is None


def test_the_banner_ignores_ids_that_are_not_ones_own_deleted_record(field, client, auth):
    _lan, contact, _enrollment, theirs = field
    theirs.deleted_at = datetime.now(UTC)
    db.session.commit()
    auth.login("lan")
    for value in (theirs.id, contact.id, "abc", "-1", "99999999999999", "1e3", "%00"):
        page = client.get(f"/records?deleted={value}")
        assert page.status_code in (200, 400)
        assert 'data-test="undo-banner"' not in page.get_data(as_text=True)


def test_an_admin_may_delete_and_undo_an_officers_record(field, client, auth):
    _lan, contact, *_ = field
    auth.login("boss")
    assert client.get(f"/contacts/{contact.id}/delete").status_code == 200
    response = client.post(f"/contacts/{contact.id}/delete")
    assert 'data-test="undo-banner"' in client.get(response.location).get_data(as_text=True)
    client.post(f"/contacts/{contact.id}/restore")
    assert db.session.get(Contact, contact.id).deleted_at is None


def test_records_are_paged_with_the_actions_on_each_card(field, client, auth, monkeypatch):
    lan, contact, *_ = field
    for day in range(3):
        make_contact(lan, contact.area, local_today() - timedelta(days=day + 1))
    monkeypatch.setattr(record_views, "PER_PAGE", 2)
    auth.login("lan")
    first = client.get("/records").get_data(as_text=True)
    assert first.count('data-test="record-row"') == 2
    assert "1–2 trên tổng số 4" in text(first)
    assert first.count('data-test="delete"') == 2  # on every card, not in a hidden column
    last = client.get("/records?page=2").get_data(as_text=True)
    assert "3–4 trên tổng số 4" in text(last)


@pytest.mark.parametrize(
    "query",
    [
        "channel=zz&outcome=%3Cb%3E&area=x&officer=-1",
        "kind=contacts&page=99999999999999999999",
        "from=2026-13-45",
        "kind=nothing",
    ],
)
def test_hostile_record_filters_are_a_4xx_or_ignored(field, client, auth, query):
    auth.login("lan")
    assert client.get(f"/records?{query}").status_code in (200, 400)
