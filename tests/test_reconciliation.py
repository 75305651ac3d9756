"""The insurer's per-person list held against the enrollments: each matching rule, field-by-field
mismatches, lists re-imported in place, every resolution (audited, with a reason), the office's
setting that makes officers' credit rest on confirmation, and the pages and their denials."""

from __future__ import annotations

import io
from datetime import date

import pytest
from sqlalchemy import func, select

from tests.factories import (
    make_area,
    make_city,
    make_enrollment,
    make_office,
    make_officer,
    make_org,
    make_user,
)
from tracker import jobs
from tracker.extensions import db
from tracker.models import AreaSuccession, AuditEvent, InsurerRecord, Reorganisation
from tracker.periods import year
from tracker.progress.flows import flow_actuals
from tracker.progress.leaderboards import officer_leaderboard
from tracker.services import settings
from tracker.services.reconciliation import job, queries, resolve

HEADER = (
    "social_insurance_number,citizen_id,full_name,birth_date,area_code,scheme,paid_from,"
    "paid_through,monthly_contribution,state_support,collection_agent,receipt\n"
)
LISTED_ON = date(2026, 11, 30)


@pytest.fixture
def books(app):
    """An office over a ward, a supervisor and two officers with enrollments."""
    _, city = make_city()
    ward = make_area("Kim Tân", parent=city, code="KT")
    other = make_area("Cốc Lếu", parent=city, code="CL")
    office = make_office("BHXH cơ sở thành phố Lào Cai", covers=[city])
    chief = make_user("chief", "supervisor")
    chief.office_id = office.id
    ann = make_officer("ann", supervisor=chief, areas=[ward])
    bob = make_officer("bob", supervisor=chief, areas=[other])
    db.session.commit()
    return {"office": office, "ward": ward, "other": other, "chief": chief, "ann": ann, "bob": bob}


def list_csv(*lines: str) -> bytes:
    return (HEADER + "\n".join(lines) + "\n").encode()


def line(number, name, area="KT", citizen="", birth="", through="", contribution="", **extra):
    scheme = extra.get("scheme", "voluntary_si")
    agent = extra.get("agent", "")
    support = extra.get("support", "")
    return (
        f"{number},{citizen},{name},{birth},{area},{scheme},,{through},{contribution},"
        f"{support},{agent},"
    )


def import_list(user, office, data: bytes, listed_on: date = LISTED_ON):
    preview = job.preview(user, office, listed_on, data, "list.csv")
    assert preview.can_commit, preview.problems
    saved = job.save(user, preview, data)
    job.start(user, saved.id)
    jobs.wait_for_threads()
    db.session.expire_all()
    assert db.session.get(type(saved), saved.id).status == "done"
    return preview


def record(number: str) -> InsurerRecord:
    return db.session.scalar(
        select(InsurerRecord).where(InsurerRecord.social_insurance_number == number)
    )


def test_each_rule_matches_and_fields_are_compared(books):
    ann, ward = books["ann"], books["ward"]
    by_citizen = make_enrollment(
        ann, ward, date(2026, 3, 1), participant_name="Lê Thị Hoa", citizen_id="001200300400"
    )
    by_number = make_enrollment(
        ann,
        ward,
        date(2026, 4, 1),
        participant_name="Trần Văn Nam",
        social_insurance_number="1500000002",
    )
    by_name = make_enrollment(
        ann,
        ward,
        date(2026, 5, 1),
        participant_name="Vũ Ngọc Hải",
        birth_date=date(1980, 5, 17),
        monthly_contribution=330000,
    )
    only_app = make_enrollment(ann, ward, date(2026, 6, 1), participant_name="Phạm Thị Lan")
    import_list(
        books["chief"],
        books["office"],
        list_csv(
            line("1500000001", "LÊ THỊ HOA", citizen="001200300400"),
            line("1500000002", "Trần Văn Nam", birth="1975-01-02"),
            line("1500000003", "Vu Ngoc Hai", birth="17/05/1980", contribution="440000"),
            line("1500000004", "Đỗ Văn Tư"),
        ),
    )
    hoa, nam, hai, tu = (record(f"150000000{n}") for n in range(1, 5))
    assert (hoa.enrollment_id, hoa.match_rule, hoa.status) == (
        by_citizen.id,
        "citizen_id",
        "confirmed",
    )
    assert (nam.enrollment_id, nam.match_rule, nam.status) == (
        by_number.id,
        "social_insurance_number",
        "confirmed",
    )
    assert nam.enrollment.birth_date == date(1975, 1, 2)  # filled in from the list
    assert (hai.enrollment_id, hai.match_rule, hai.status) == (
        by_name.id,
        "name_birth_area",
        "mismatched",
    )
    assert hai.differences == {
        "full_name": ["Vũ Ngọc Hải", "Vu Ngoc Hai"],
        "monthly_contribution": [330000, 440000],
    }
    assert (tu.enrollment_id, tu.status) == (None, "only_insurer")
    assert by_citizen.insurer_status == "confirmed" and by_name.insurer_status == "mismatched"
    scope = queries.scope_for(books["chief"], None, "voluntary_si")
    counts = queries.summary(scope)
    assert counts == {
        "confirmed": 2,
        "mismatched": 1,
        "only_insurer": 1,
        "only_app": 1,
        "dismissed": 0,
    }
    assert [e.id for e in queries.records_page(scope, "only_app").items] == [only_app.id]


def test_a_name_matches_only_in_the_same_area_or_the_unit_it_became(books):
    ann, ward = books["ann"], books["ward"]
    new_ward = make_area("Phường Lào Cai", "ward", code="02647", valid_from=date(2025, 7, 1))
    ward.valid_to = date(2025, 7, 1)
    merge = Reorganisation(effective_on=date(2025, 7, 1))
    merge.successions = [
        AreaSuccession(
            predecessor_id=ward.id,
            successor_id=new_ward.id,
            effective_on=date(2025, 7, 1),
            share=10_000,
        )
    ]
    db.session.add(merge)
    db.session.commit()
    old = make_enrollment(
        ann, ward, date(2024, 5, 1), participant_name="Hoàng Văn Bảy", birth_date=date(1970, 1, 1)
    )
    elsewhere = make_enrollment(
        books["bob"],
        books["other"],
        date(2024, 5, 1),
        participant_name="Nông Thị Tám",
        birth_date=date(1971, 1, 1),
    )
    import_list(
        books["chief"],
        books["office"],
        list_csv(
            line("1500000011", "Hoàng Văn Bảy", area="02647", birth="1970-01-01"),
            line("1500000012", "Nông Thị Tám", area="02647", birth="1971-01-01"),
        ),
    )
    assert record("1500000011").enrollment_id == old.id
    assert record("1500000012").enrollment_id is None
    assert elsewhere.insurer_status is None


def test_a_list_imported_again_updates_its_rows_in_place(books):
    ann, ward = books["ann"], books["ward"]
    hoa = make_enrollment(
        ann, ward, date(2026, 3, 1), citizen_id="001200300400", participant_name="Lê Thị Hoa"
    )
    first = list_csv(line("1500000001", "Lê Thị Hoa", citizen="001200300400"))
    import_list(books["chief"], books["office"], first, date(2026, 10, 31))
    preview = import_list(
        books["chief"],
        books["office"],
        list_csv(
            line("1500000001", "Lê Thị Hoà", citizen="001200300400", through="2026-12-31"),
            line("1500000009", "Mới Có Tên"),
        ),
    )
    assert (preview.known, preview.new) == (1, 1)
    assert db.session.scalar(select(func.count()).select_from(InsurerRecord)) == 2
    row = record("1500000001")
    assert row.listed_on == LISTED_ON and row.enrollment_id == hoa.id
    assert row.status == "mismatched" and set(row.differences) == {"full_name"}


def test_resolutions_need_a_reason_and_are_audited(books):
    ann, ward, chief = books["ann"], books["ward"], books["chief"]
    hai = make_enrollment(
        ann, ward, date(2026, 5, 1), participant_name="Vũ Ngọc Hải", birth_date=date(1980, 5, 17)
    )
    lan = make_enrollment(ann, ward, date(2026, 6, 1), participant_name="Phạm Thị Lan")
    stray = make_enrollment(ann, ward, date(2026, 6, 2), participant_name="Nhầm Lẫn")
    import_list(
        chief,
        books["office"],
        list_csv(
            line("1500000003", "Vu Ngoc Hai", birth="1980-05-17", citizen="001200300499"),
            line("1500000005", "Pham Lan"),
            line("1500000006", "Người Khác"),
        ),
    )
    with pytest.raises(resolve.ResolveError) as refused:
        resolve.correct(chief, record("1500000003"), "  ")
    assert refused.value.code == "reason_required"

    resolve.correct(chief, record("1500000003"), "Tên theo CCCD")
    assert (hai.participant_name, hai.citizen_id) == ("Vu Ngoc Hai", "001200300499")
    assert record("1500000003").status == "confirmed"

    resolve.link(chief, record("1500000005"), lan, "Cùng người, tên viết tắt")
    assert record("1500000005").match_rule == "manual"
    assert lan.insurer_status in ("confirmed", "mismatched")
    with pytest.raises(resolve.ResolveError):
        resolve.link(chief, record("1500000006"), lan, "lại")

    resolve.unlink(chief, record("1500000005"), "Không phải một người")
    assert lan.insurer_status is None and record("1500000005").status == "only_insurer"
    resolve.dismiss(chief, record("1500000006"), "Tham gia ở đơn vị khác")
    resolve.dismiss_enrollment(chief, stray, "Nhập nhầm, chờ xoá")
    assert stray.insurer_status == "dismissed"

    # A row unlinked or dismissed is not matched again when the list comes back.
    import_list(chief, books["office"], list_csv(line("1500000005", "Phạm Thị Lan")))
    assert record("1500000005").enrollment_id is None
    actions = set(db.session.scalars(select(AuditEvent.action)))
    assert {
        "reconcile_correct",
        "reconcile_link",
        "reconcile_unlink",
        "reconcile_dismiss",
    } <= actions


def test_an_accepted_difference_stays_accepted_while_the_list_says_the_same(books):
    ann, ward, chief = books["ann"], books["ward"], books["chief"]
    make_enrollment(
        ann, ward, date(2026, 5, 1), citizen_id="001200300400", monthly_contribution=330000
    )
    data = list_csv(
        line("1500000001", "Người tham gia", citizen="001200300400", contribution="352000")
    )
    import_list(chief, books["office"], data)
    resolve.accept(chief, record("1500000001"), "Tăng mức đóng tháng 11")
    import_list(chief, books["office"], data)
    assert record("1500000001").status == "confirmed"
    import_list(
        chief,
        books["office"],
        list_csv(
            line("1500000001", "Người tham gia", citizen="001200300400", contribution="400000")
        ),
    )
    assert record("1500000001").status == "mismatched"


def test_officers_credit_rests_on_confirmation_when_the_office_says_so(books):
    ann, ward, chief = books["ann"], books["ward"], books["chief"]
    for n in range(3):
        make_enrollment(ann, ward, date(2026, 5, 1 + n), citizen_id=f"00120030040{n}")
    import_list(
        chief,
        books["office"],
        list_csv(line("1500000001", "Người tham gia", citizen="001200300400")),
    )
    period = year(2026)
    assert flow_actuals("new_participants", period)[ann.id] == 3
    assert flow_actuals("confirmed_participants", period)[ann.id] == 1
    settings.change(make_user("root", "admin"), "credit_confirmed_only", 1)
    db.session.commit()
    assert flow_actuals("new_participants", period)[ann.id] == 1
    assert flow_actuals("new_participants", period, by="area_id")[ward.id] == 3  # areas: reported
    scope = queries.scope_for(chief, None, "voluntary_si")
    assert [(o.username, r, c) for o, r, c in queries.by_officer(scope)] == [("ann", 3, 1)]
    board = officer_leaderboard(period, "new_participants", date(2026, 12, 1))
    row = next(r for r in board.rows if r.id == ann.id)
    assert board.columns[-2:] == ("new_participants", "confirmed_participants")
    assert (row.progress.actual, row.extra["new_participants"]) == (1, 3)  # credited, reported
    assert row.extra["confirmed_participants"] == 1
    settings.change(make_user("root2", "admin"), "credit_confirmed_only", 0)
    db.session.commit()
    board = officer_leaderboard(period, "new_participants", date(2026, 12, 1))
    row = next(r for r in board.rows if r.id == ann.id)
    assert board.columns[-1] == "confirmed_participants" and "new_participants" not in board.columns
    assert (row.progress.actual, row.extra["confirmed_participants"]) == (3, 1)


def test_preview_reports_every_problem_and_writes_nothing(books):
    data = list_csv(
        line("15000001", "Ngắn"),
        line("1500000001", "", area="XX"),
        line("1500000002", "Ngày Sai", birth="1850-01-01", through="0001-01-01"),
        line("1500000003", "Số Tiền", contribution="²²"),
        line("1500000004", "Trùng"),
        line("1500000004", "Trùng"),
        line("1500000005", "Loại", scheme="life_insurance"),
    )
    preview = job.preview(books["chief"], books["office"], LISTED_ON, data, "list.csv")
    assert not preview.can_commit
    found = {(p["line"], p["column"]) for p in preview.problems}
    assert found == {
        (2, "social_insurance_number"),
        (3, "full_name"),
        (3, "area_code"),
        (4, "birth_date"),
        (4, "paid_through"),
        (5, "monthly_contribution"),
        (7, "social_insurance_number"),
        (8, "scheme"),
    }
    assert db.session.scalar(select(func.count()).select_from(InsurerRecord)) == 0


def test_vietnamese_headers_of_the_insurers_own_export_are_read(books):
    data = (
        "Mã số BHXH,Số định danh cá nhân,Họ và tên,Ngày sinh,Mã xã,Loại hình,Đến ngày\n"
        "1500000001,001200300400,Lê Thị Hoa,01/02/1980,KT,BHXH tự nguyện,31/12/2026\n"
    ).encode()
    preview = job.preview(books["chief"], books["office"], LISTED_ON, data, "ds.csv")
    assert preview.can_commit and preview.rows == 1 and preview.schemes == {"voluntary_si": 1}


# The pages ---------------------------------------------------------------------------------


def upload(client, data: bytes, listed_on: str = "2026-11-30", office=None):
    form = {"file": (io.BytesIO(data), "list.csv"), "listed_on": listed_on}
    if office is not None:
        form["office"] = str(office.id)
    return client.post("/reconciliation/import", data=form, content_type="multipart/form-data")


def test_a_supervisor_imports_resolves_and_sees_the_outcome(books, client, auth):
    ann, ward = books["ann"], books["ward"]
    hai = make_enrollment(
        ann, ward, date(2026, 5, 1), participant_name="Vũ Ngọc Hải", birth_date=date(1980, 5, 17)
    )
    make_org("Bưu điện tỉnh")
    auth.login("chief")
    page = upload(client, list_csv(line("1500000003", "Vu Ngoc Hai", birth="1980-05-17")))
    assert page.status_code == 200 and 'data-test="list-rows">1<' in page.text
    job_id = int(page.text.split('data-job-id="')[1].split('"')[0])
    done = client.post(f"/reconciliation/import/{job_id}/commit")
    assert done.status_code == 302
    jobs.wait_for_threads()
    board = client.get("/reconciliation?status=mismatched")
    assert board.status_code == 200 and "Vu Ngoc Hai" in board.text
    row = record("1500000003")
    detail = client.get(f"/reconciliation/records/{row.id}")
    assert detail.status_code == 200 and "Vũ Ngọc Hải" in detail.text
    refused = client.post(f"/reconciliation/records/{row.id}", data={"action": "correct"})
    assert refused.status_code == 422
    fixed = client.post(
        f"/reconciliation/records/{row.id}", data={"action": "correct", "reason": "Theo CCCD"}
    )
    assert fixed.status_code == 302
    db.session.expire_all()
    assert db.session.get(type(hai), hai.id).insurer_status == "confirmed"
    assert 'data-test="officer-confirmed">1<' in client.get("/reconciliation").text


def test_only_supervisors_and_admins_resolve_and_leaders_read(books, client, auth):
    make_user("lead", "leader")
    import_list(books["chief"], books["office"], list_csv(line("1500000004", "Đỗ Văn Tư")))
    row = record("1500000004")
    auth.login("ann")
    assert client.get("/reconciliation").status_code == 403
    assert client.get(f"/reconciliation/records/{row.id}").status_code == 403
    auth.logout()
    auth.login("lead")
    assert client.get("/reconciliation").status_code == 200
    assert client.get(f"/reconciliation/records/{row.id}").status_code == 200
    refused = client.post(
        f"/reconciliation/records/{row.id}", data={"action": "dismiss", "reason": "x"}
    )
    assert refused.status_code == 403
    assert upload(client, list_csv(line("1500000005", "A"))).status_code == 403


def test_a_supervisor_of_another_office_sees_nothing_of_this_one(books, client, auth):
    import_list(books["chief"], books["office"], list_csv(line("1500000004", "Đỗ Văn Tư")))
    elsewhere = make_office("BHXH khu vực khác")
    stranger = make_user("stranger", "supervisor")
    stranger.office_id = elsewhere.id
    db.session.commit()
    auth.login("stranger")
    assert "Đỗ Văn Tư" not in client.get("/reconciliation?status=only_insurer").text
    assert client.get(f"/reconciliation/records/{record('1500000004').id}").status_code == 403
