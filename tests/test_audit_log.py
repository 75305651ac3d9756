"""The audit log reads as words: translated actions and kinds of record, the record's name, and
what changed field by field with formatted values; never a raw code or a JSON escape. Its
filters offer translated labels, ignore what they do not know, and the log is paged in SQL.
The label tables are held to every `audit.record` call in the code."""

import ast
import re
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import pytest
from sqlalchemy import update

from tests.factories import (
    make_area,
    make_city,
    make_contact,
    make_enrollment,
    make_household,
    make_officer,
    make_user,
)
from tracker.admin import audit as audit_views
from tracker.dates import local_today
from tracker.extensions import db
from tracker.models import AuditEvent
from tracker.periods import parse
from tracker.services import areas as area_service
from tracker.services import audit_labels, contacts, duplicates, renewals, settings, users
from tracker.services.targets import TargetChange, set_target

ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture
def logged(app, targets_today):
    """A small office where people did the things the log records."""
    targets_today(date(2024, 1, 1))
    _, city = make_city()
    kim_tan = make_area("Kim Tân", parent=city, code="KT")
    admin = make_user("boss", "admin", full_name="Quản Trị")
    chief = make_user("chief", "supervisor", full_name="Trần Văn Bình")
    lan = make_officer("lan", supervisor=chief, areas=[kim_tan], full_name="Phạm Thị Lan")
    lan.created_at = datetime(2023, 1, 1, tzinfo=UTC)
    make_user("leader", "leader", full_name="Lãnh Đạo")
    make_user("reader", "leader", full_name="Reader").locale = "en"
    db.session.commit()
    with app.test_request_context():
        person = users.create_user(
            admin,
            users.UserChanges(username="ntk", full_name="Nguyễn Thị Kim", role="officer"),
            "laocai-2024-x",
        )
        users.update_user(
            admin,
            person,
            users.UserChanges(
                username="ntk", full_name="Kim Tân", role="supervisor", active=False, locale="en"
            ),
        )
        set_target(chief, TargetChange("officer", lan.id, "new_participants", parse("2024"), 1200))
        set_target(chief, TargetChange("officer", lan.id, "new_participants", parse("2024"), 1350))
        area_service.save_area(
            admin,
            kim_tan,
            {
                "code": "KT",
                "name": "Phường Kim Tân",
                "kind": "ward",
                "parent_id": city.id,
                "households": 4600,
                "working_age_population": None,
                "valid_from": None,
                "valid_to": date(2025, 7, 1),
            },
        )
        settings.change(admin, "lapse_grace_days", 45)
        db.session.commit()
        contact = make_contact(lan, kim_tan, local_today())
        contacts.set_deleted(lan, contact, True)
        today = local_today()
        person = make_enrollment(
            lan,
            kim_tan,
            today - timedelta(days=200),
            paid_through_on=today - timedelta(days=3),
            participant_name="Giàng Thị Mai",
        )
        renewals.record(lan, person, renewals.RenewalInput(today, "3", client_token="audit-1"))
        keep = make_household(kim_tan, "Nguyễn Văn An", phone="0911")
        copy = make_household(kim_tan, "NGUYEN VAN AN", address="Tổ 5")
        duplicates.merge(chief, keep, copy)
    return lan


def text(page: str) -> str:
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", page)).replace(" :", ":")


def events_shown(page: str) -> int:
    return page.count('data-test="audit-event"')


def test_the_log_reads_as_words(logged, client, auth):
    auth.login("leader")
    page = client.get("/admin/audit").get_data(as_text=True)
    assert "\\u00" not in page and "\\u1" not in page
    shown = text(page)
    for code in ("set_target", "create", "update", "renew", "merge", "lapse_grace_days"):
        assert not re.search(rf"\b{code}\b", shown), code
    assert not re.search(r"\b(area|user|target) #\d", shown)
    # Actions and records in Vietnamese, with the record's name.
    assert "Giao chỉ tiêu Chỉ tiêu: Người tham gia mới · Phạm Thị Lan · 2024" in shown
    assert "Tạo mới Người dùng: Kim Tân" in shown  # the user's name today
    assert "Sửa đổi Địa bàn: Phường Kim Tân" in shown
    assert "Ghi nhận đóng tiếp Người tham gia: Giàng Thị Mai" in shown
    assert "Sửa đổi Cài đặt: Số ngày gia hạn trước khi tính là ngừng đóng" in shown
    assert "Gộp hộ gia đình Hộ gia đình: Nguyễn Văn An" in shown
    # Before → after, field by field, values formatted: numbers, dates, codes, names, yes/no.
    assert "Giá trị 1.200 → 1.350" in shown
    assert "Tên Nguyễn Thị Kim → Kim Tân" in shown
    assert "Vai trò Cán bộ → Tổ trưởng" in shown
    assert "Đang hoạt động Có → Không" in shown
    assert "Ngôn ngữ Tiếng Việt → English" in shown
    assert "Số hộ — → 4.600" in shown
    assert "Chấm dứt ngày (ngày đầu tiên không còn) — → 01/07/2025" in shown
    assert "Số ngày gia hạn trước khi tính là ngừng đóng 30 → 45" in shown
    assert "Phương thức đóng 3 tháng một lần" in shown
    assert "Hộ được gộp vào › Địa chỉ Tổ 5" in shown
    assert "Chuyển sang hộ được giữ lại › Lượt tuyên truyền, vận động 0" in shown
    # An update shows what changed, not the fields left as they were.
    user_update = shown[shown.index("Sửa đổi Người dùng") : shown.index("Tạo mới Người dùng")]
    assert "Tên đăng nhập" not in user_update


def test_the_log_speaks_the_readers_language(logged, client, auth):
    auth.login("reader")
    shown = text(client.get("/admin/audit").get_data(as_text=True))
    assert "Set a target Target: New participants · Phạm Thị Lan · 2024" in shown
    assert "Value 1,200 → 1,350" in shown


def test_the_filters_offer_words_and_filter(logged, client, auth):
    auth.login("leader")
    page = client.get("/admin/audit").get_data(as_text=True)
    assert re.search(r'<option value="set_target"\s*>\s*Giao chỉ tiêu\s*</option>', page)
    assert ">Chỉ tiêu</option>" in page and ">Trần Văn Bình</option>" in page
    targets = client.get("/admin/audit?action=set_target").get_data(as_text=True)
    assert events_shown(targets) == 2 and "Giao chỉ tiêu" in text(targets)
    users_only = client.get("/admin/audit?entity=user").get_data(as_text=True)
    assert events_shown(users_only) == 2
    chief = users.find_by_username("chief")
    by_chief = client.get(f"/admin/audit?actor={chief.id}").get_data(as_text=True)
    assert events_shown(by_chief) == 3  # two targets and a merge
    today = local_today()
    assert events_shown(client.get(f"/admin/audit?from={today}&to={today}").data.decode()) == 9
    yesterday = today - timedelta(days=1)
    assert events_shown(client.get(f"/admin/audit?to={yesterday}").data.decode()) == 0


def test_the_days_are_the_offices(logged, client, auth):
    """An event at 23:30 in Hà Nội is on that day there, though it is 16:30 UTC."""
    event_at = datetime(2026, 3, 9, 16, 30, tzinfo=UTC)
    db.session.execute(update(AuditEvent).values(at=event_at))
    db.session.commit()
    auth.login("leader")
    assert events_shown(client.get("/admin/audit?from=2026-03-09&to=2026-03-09").data.decode())
    assert not events_shown(client.get("/admin/audit?from=2026-03-10").data.decode())


def test_the_log_is_paged_in_sql(logged, client, auth, monkeypatch):
    monkeypatch.setattr(audit_views, "PER_PAGE", 4)
    auth.login("leader")
    first = client.get("/admin/audit").get_data(as_text=True)
    assert events_shown(first) == 4 and "1–4 trên tổng số 9" in text(first)
    last = client.get("/admin/audit?page=3").get_data(as_text=True)
    assert events_shown(last) == 1 and "9–9 trên tổng số 9" in text(last)


def test_records_named_by_their_own_fields(logged, client, auth):
    """A token by its name, a setting by its label; a record since removed by its number."""
    from tracker.services import tokens

    plain = tokens.create(logged, "Điện thoại của Lan")
    assert plain
    auth.login("leader")
    shown = text(client.get("/admin/audit?entity=api_token").get_data(as_text=True))
    assert "Tạo mới Mã truy cập API: Điện thoại của Lan" in shown
    gone = AuditEvent(action="delete", entity="support_rate", entity_id=987654, before={})
    db.session.add(gone)
    db.session.commit()
    shown = text(client.get("/admin/audit?entity=support_rate").get_data(as_text=True))
    assert "Đã xóa Mức hỗ trợ của Nhà nước: #987654" in shown


@pytest.mark.parametrize(
    ("query", "status"),
    [
        ("action=zzz&entity=%3Cb%3E&actor=abc", 200),
        ("action=" + "x" * 5000 + "&page=99999999999999999999", 200),
        ("actor=99999999999999999999&entity=user%27--", 200),
        ("from=2026-02-30", 400),
        ("to=yesterday", 400),
    ],
)
def test_hostile_filters_are_ignored_or_refused(logged, client, auth, query, status):
    auth.login("leader")
    assert client.get(f"/admin/audit?{query}").status_code == status


@pytest.mark.parametrize("username", ["lan", "chief"])
def test_only_leaders_and_admins_read_the_log(logged, client, auth, username):
    auth.login(username)
    assert client.get("/admin/audit").status_code == 403


# The label tables against the code ---------------------------------------------------------


def _audit_calls():
    """(module, action node, entity node) of every audit.record(...) call in tracker/."""
    for path in (ROOT / "tracker").rglob("*.py"):
        tree = ast.parse(path.read_text("utf-8"))
        for node in ast.walk(tree):
            if (
                isinstance(node, ast.Call)
                and isinstance(node.func, ast.Attribute)
                and node.func.attr == "record"
                and isinstance(node.func.value, ast.Name)
                and node.func.value.id == "audit"
            ):
                yield path.name, node.args[1], node.args[2]
            if isinstance(node, ast.Call) and getattr(node.func, "id", None) == "_audited":
                yield path.name, node.args[2], None


def _literals(node) -> list[str] | None:
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        return [node.value]
    if isinstance(node, ast.IfExp):
        return (_literals(node.body) or []) + (_literals(node.orelse) or [])
    return None  # a name: checked below by what it can hold


def test_every_action_and_record_the_code_writes_has_words():
    from tracker.services import imports
    from tracker.services.reconciliation import job

    dynamic_entities = {*imports.KINDS, job.KIND, "income_basis_rule", "support_rate"}
    unnamed = []
    for module, action, entity in _audit_calls():
        for node, table, extra in (
            (action, audit_labels.ACTIONS, set()),
            (entity, audit_labels.ENTITIES, dynamic_entities),
        ):
            if node is None:
                continue
            values = _literals(node)
            for value in values if values is not None else extra:
                if value not in table:
                    unnamed.append(f"{module}: {value}")
    assert unnamed == []
    assert dynamic_entities <= set(audit_labels.ENTITIES)


def test_every_field_the_services_snapshot_has_a_label():
    from tracker.services import areas, enrollments, rules
    from tracker.services import contacts as contact_service
    from tracker.services import duplicates as duplicate_service

    fields = {
        *users.AUDITED_FIELDS,
        *areas.AREA_FIELDS,
        *areas.ORG_FIELDS,
        *contact_service.AUDITED,
        *enrollments.AUDITED,
        *duplicate_service.MERGED_FIELDS,
        *rules.BASIS_FIELDS,
        *rules.RATE_FIELDS,
        *settings.KNOWN,
    }
    declared = set(audit_labels.FIELDS) | {name for _entity, name in audit_labels.BY_ENTITY}
    assert sorted(fields - declared) == []
