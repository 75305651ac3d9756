"""Prospect reviews and hand-overs, organizations, sessions, renewals, imports, duplicates."""

import io
from datetime import UTC, date, datetime, timedelta

import pytest
from openpyxl import Workbook
from sqlalchemy import func, select

from tests.factories import (
    make_area,
    make_city,
    make_contact,
    make_enrollment,
    make_household,
    make_officer,
    make_org,
    make_user,
)
from tracker.dates import local_today
from tracker.extensions import db
from tracker.models import (
    AuditEvent,
    Contact,
    Enrollment,
    Household,
    OutreachSession,
    ParticipantCount,
    Renewal,
    ReviewItem,
)


@pytest.fixture
def office(app):
    _, city = make_city()
    kim_tan = make_area("Kim Tân", parent=city, code="KT")
    far = make_area("Bắc Cường", parent=city, code="BC")
    chief = make_user("chief", "supervisor")
    lan = make_officer("lan", supervisor=chief, areas=[kim_tan], full_name="Lan")
    other = make_officer("other", supervisor=make_user("chief2", "supervisor"), areas=[far])
    for user in (lan, other, chief):
        user.created_at = datetime(2023, 1, 1, tzinfo=UTC)
    db.session.commit()
    make_user("boss", "admin")
    return city, kim_tan, far, chief, lan, other


def count(model) -> int:
    return db.session.scalar(select(func.count()).select_from(model))


def test_review_hands_households_to_an_org_and_tracks_enrollments(office, client, auth):
    city, kim_tan, far, chief, lan, _ = office
    post = make_org("Bưu điện")
    a, b = make_household(kim_tan, "Nguyễn Văn A"), make_household(kim_tan, "Trần Thị B")
    make_household(kim_tan, "Đã Tham Gia", status="enrolled")
    auth.login("chief")
    page = client.get("/prospects").get_data(as_text=True)
    assert "Nguyễn Văn A" in page and "Đã Tham Gia" not in page
    response = client.post(
        "/prospects",
        data={
            "month": "2026-11",
            "collection_org_id": str(post.id),
            "officer_id": str(lan.id),
            "household": [str(a.id), str(b.id)],
            "note": "Danh sách tháng 11",
        },
    )
    assert response.status_code == 302
    db.session.refresh(a)
    assert a.collection_org_id == post.id and a.officer_id == lan.id
    assert count(ReviewItem) == 2
    make_enrollment(lan, kim_tan, local_today(), household=a)
    listing = client.get("/handovers").get_data(as_text=True)
    assert "11/2026" in listing and "Bưu điện" in listing
    review_id = db.session.scalar(select(ReviewItem.review_id))
    csv_body = client.get(f"/handovers/{review_id}/{post.id}.csv").data
    assert csv_body.startswith("\ufeff".encode()) and "Nguyễn Văn A".encode() in csv_body
    page = client.get(f"/handovers/{review_id}/{post.id}").get_data(as_text=True)
    assert "<strong>1</strong> / 2" in page


def test_review_refuses_another_teams_households(office, client, auth):
    city, kim_tan, far, *_ = office
    stranger = make_household(far, "Hộ khác")
    auth.login("chief")
    response = client.post("/prospects", data={"month": "2026-11", "household": [str(stranger.id)]})
    assert response.status_code == 422
    assert count(ReviewItem) == 0


@pytest.mark.parametrize("path", ["/prospects", "/imports", "/households/duplicates", "/handovers"])
def test_officers_cannot_open_supervisor_tools(office, client, auth, path):
    auth.login("lan")
    assert client.get(path).status_code == 403


def test_session_report_counts_enrollments_within_thirty_days(office, client, auth):
    city, kim_tan, far, chief, lan, _ = office
    auth.login("lan")
    response = client.post(
        "/sessions/new",
        data={
            "area_id": str(kim_tan.id),
            "kind": "awareness",
            "title": "Tuyên truyền buổi tối",
            "held_on": "2024-05-10",
            "starts_at": "19:30",
            "partner_org": "Hội Phụ nữ",
            "attendees": "45",
        },
    )
    assert response.status_code == 302
    for day in (date(2024, 5, 10), date(2024, 6, 9), date(2024, 6, 10), date(2024, 5, 9)):
        make_enrollment(lan, kim_tan, day)
    make_enrollment(other := office[5], far, date(2024, 5, 12))
    assert other
    page = client.get("/sessions?period=2024").get_data(as_text=True)
    row = page.split("Tuyên truyền buổi tối")[1].split("</tr>")[0]
    assert '<td class="text-end fw-semibold">2</td>' in row  # the 10th of May and 9th of June


def test_session_validation(office, client, auth):
    city, kim_tan, *_ = office
    auth.login("lan")
    response = client.post(
        "/sessions/new",
        data={
            "area_id": str(kim_tan.id),
            "kind": "awareness",
            "title": "x",
            "held_on": "2024-05-10",
            "starts_at": "25:99",
            "attendees": "3",
        },
    )
    assert response.status_code == 422 and count(OutreachSession) == 0


def test_renewals_list_and_record(office, client, auth):
    city, kim_tan, far, chief, lan, _ = office
    today = local_today()
    lapsed = make_enrollment(
        lan,
        kim_tan,
        today - timedelta(days=120),
        paid_through_on=today - timedelta(days=5),
        participant_name="Trễ",
    )
    make_enrollment(
        lan,
        kim_tan,
        today - timedelta(days=20),
        paid_through_on=today + timedelta(days=200),
        participant_name="Còn hạn",
    )
    auth.login("lan")
    page = client.get("/renewals").get_data(as_text=True)
    assert "Trễ" in page and "Còn hạn" not in page
    data = {"renewed_on": today.isoformat(), "months": "3", "client_token": "r-1"}
    client.post(f"/renewals/{lapsed.id}", data=data)
    client.post(f"/renewals/{lapsed.id}", data=data)  # a double tap
    db.session.refresh(lapsed)
    expected = today - timedelta(days=4)
    from tracker.services.enrollments import paid_through

    assert lapsed.paid_through_on == paid_through(expected, 3)
    assert count(Renewal) == 1
    auth.logout()
    auth.login("other")
    assert (
        client.post(f"/renewals/{lapsed.id}", data={**data, "client_token": "r-2"}).status_code
        == 403
    )


def upload(client, kind, content: bytes, filename: str):
    return client.post(
        "/imports",
        data={"kind": kind, "file": (io.BytesIO(content), filename)},
        content_type="multipart/form-data",
    )


def token_of(page: str) -> str:
    return page.split('data-token="')[1].split('"')[0]


def commit(client, page: str):
    """Press "Write" and let the import job (a thread here: no REDIS_URL) finish."""
    from tracker import jobs

    response = client.post(f"/imports/{token_of(page)}/commit")
    jobs.wait_for_threads()
    db.session.expire_all()
    return response


HOUSEHOLDS = (
    "ward_code,head_name,address,phone,category\n"
    "KT,Nguyễn Văn Một,Số 1,0911111111,trader\n"
    "KT,,Số 2,,farmer\n"
    "XX,Lê Thị Ba,Số 3,,other\n"
    "KT,Phạm Văn Bốn,Số 4,abc,other\n"
)


def test_import_with_bad_rows_writes_nothing(office, client, auth):
    auth.login("boss")
    page = upload(client, "households", HOUSEHOLDS.encode(), "ho.csv").get_data(as_text=True)
    problems = page.split('data-test="problem-rows"')[1]
    assert "<td>3</td><td><code>head_name</code>" in problems
    assert "<td>4</td><td><code>ward_code</code>" in problems
    assert "<td>5</td><td><code>phone</code>" in problems
    assert 'data-test="commit"' not in page
    response = commit(client, page)
    assert response.status_code == 302 and count(Household) == 0


def test_import_then_reimport_changes_nothing(office, client, auth):
    auth.login("boss")
    good = (
        "\ufeffward_code,head_name,address,phone,category\nKT,Nguyễn Văn Một,Số 1,,trader\n"
        "KT,Trần Thị Hai,Số 2,,farmer\nKT,nguyen van mot,so 1,,trader\n"
    )
    page = upload(client, "households", good.encode(), "ho.csv").get_data(as_text=True)
    assert 'data-test="rows">2<' in page and 'data-test="duplicates">1<' in page
    commit(client, page)
    assert count(Household) == 2
    page = upload(client, "households", good.encode(), "ho.csv").get_data(as_text=True)
    assert 'data-test="rows">0<' in page and 'data-test="duplicates">3<' in page
    assert count(Household) == 2
    assert (
        db.session.scalar(select(AuditEvent.after).where(AuditEvent.action == "import"))["rows"]
        == 2
    )


def test_import_counts_from_excel(office, client, auth):
    city, kim_tan, *_ = office
    db.session.add(ParticipantCount(area_id=kim_tan.id, as_of=date(2023, 12, 31), participants=400))
    db.session.commit()
    workbook = Workbook()
    sheet = workbook.active
    sheet.append(["area_code", "as_of", "participants", "source"])
    sheet.append(["KT", datetime(2024, 3, 26), 462.0, "BHXH tỉnh"])
    sheet.append(["KT", "31/12/2023", 400, "BHXH tỉnh"])
    buffer = io.BytesIO()
    workbook.save(buffer)
    auth.login("boss")
    page = upload(client, "counts", buffer.getvalue(), "so-lieu.xlsx").get_data(as_text=True)
    assert 'data-test="rows">1<' in page and 'data-test="duplicates">1<' in page
    commit(client, page)
    assert (
        db.session.scalar(
            select(ParticipantCount.participants).where(ParticipantCount.as_of == date(2024, 3, 26))
        )
        == 462
    )


def test_supervisor_imports_only_their_wards(office, client, auth):
    auth.login("chief")
    body = "ward_code,head_name,address,phone,category\nBC,Hộ Bắc Cường,Số 9,,other\n"
    page = upload(client, "households", body.encode(), "ho.csv").get_data(as_text=True)
    assert 'data-test="problems">1<' in page


def test_template_downloads(office, client, auth):
    auth.login("boss")
    body = client.get("/imports/template/counts.csv").data.decode("utf-8-sig")
    assert body.splitlines()[0] == "area_code,as_of,participants,source,scheme"


def test_duplicates_and_merge_lose_nothing(office, client, auth):
    city, kim_tan, far, chief, lan, _ = office
    keep = make_household(kim_tan, "Nguyễn Văn An", phone="0911")
    copy = make_household(kim_tan, "NGUYEN VAN AN", address="Tổ 5")
    make_household(far, "Nguyễn Văn An")  # another ward: not a duplicate
    make_contact(lan, kim_tan, date(2024, 1, 5), household=keep)
    make_contact(lan, kim_tan, date(2024, 1, 9), household=copy, outcome="interested")
    make_enrollment(lan, kim_tan, date(2024, 2, 1), household=copy)
    auth.login("chief")
    page = client.get("/households/duplicates").get_data(as_text=True)
    assert page.count('data-test="duplicate-group"') == 1
    contacts_before, enrollments_before = count(Contact), count(Enrollment)
    copy_id = copy.id
    client.post("/households/merge", data={"keep": keep.id, "remove": copy_id})
    db.session.expunge(copy)
    assert db.session.get(Household, copy_id) is None
    assert (count(Contact), count(Enrollment)) == (contacts_before, enrollments_before)
    db.session.refresh(keep)
    assert keep.status == "enrolled" and keep.address == "Tổ 5"
    assert (
        db.session.scalar(
            select(func.count()).select_from(Contact).where(Contact.household_id == keep.id)
        )
        == 2
    )
    assert (
        db.session.scalar(select(AuditEvent.action).where(AuditEvent.entity == "household"))
        == "merge"
    )


def test_org_page(office, client, auth):
    city, kim_tan, far, chief, lan, _ = office
    post = make_org("Bưu điện")
    make_enrollment(lan, kim_tan, date(2024, 4, 1), collection_org_id=post.id)
    auth.login("lan")
    page = client.get(f"/orgs/{post.id}?period=2024").get_data(as_text=True)
    assert 'data-test="org-actual">1<' in page


def test_handover_xlsx_names_its_sheet_whatever_the_org_is_called(office, client, auth):
    """Excel refuses / : [ ] * ? in a sheet's name; the organization's name is used all the same."""
    from openpyxl import load_workbook

    city, kim_tan, *_ = office
    org = make_org("Bưu điện [Kim Tân] 1/2: *tổ* ?")
    household = make_household(kim_tan, "Nguyễn Văn A", phone="0912\x01345678")
    auth.login("chief")
    client.post(
        "/prospects",
        data={"month": "2026-11", "collection_org_id": str(org.id), "household": [household.id]},
    )
    review_id = db.session.scalar(select(ReviewItem.review_id))
    response = client.get(f"/handovers/{review_id}/{org.id}.xlsx")
    assert response.status_code == 200
    sheet = load_workbook(io.BytesIO(response.data)).active
    assert sheet.title == "Bưu điện -Kim Tân- 1-2- -tổ- -"
    assert sheet["C5"].value == "Nguyễn Văn A"  # after the title rows, the number and the ward
    assert sheet["E5"].value == "0912345678"  # a control character XML cannot hold is dropped
