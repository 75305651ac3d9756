"""Admin pages: users, areas, collection organizations; every change audited."""

from sqlalchemy import select

from tests.factories import make_area, make_city, make_officer, make_user
from tracker.extensions import db
from tracker.models import Area, AuditEvent, CollectionOrg, User


def sign_in_admin(auth):
    make_user("boss", "admin")
    auth.login("boss")


def audit_actions(entity: str) -> list[str]:
    return list(
        db.session.scalars(
            select(AuditEvent.action).where(AuditEvent.entity == entity).order_by(AuditEvent.id)
        )
    )


def test_create_user_with_team_and_wards(app, client, auth):
    sign_in_admin(auth)
    _, city = make_city()
    ward, other = make_area("Kim Tân", parent=city), make_area("Cốc Lếu", parent=city)
    chief = make_user("chief", "supervisor")
    response = client.post(
        "/admin/users/new",
        data={
            "username": "Lan.Pham",
            "full_name": "Phạm Thị Lan",
            "role": "officer",
            "supervisor_id": str(chief.id),
            "area_ids": [str(ward.id), str(other.id)],
            "primary_area_id": str(other.id),
            "locale": "vi",
            "active": "y",
            "new_password": "first-password-1",
        },
    )
    assert response.status_code == 302
    user = db.session.scalar(select(User).where(User.username == "lan.pham"))
    assert user.supervisor_id == chief.id and user.must_change_password
    assert user.primary_area.id == other.id and {a.id for a in user.areas} == {ward.id, other.id}
    event = db.session.scalar(
        select(AuditEvent).where(AuditEvent.entity == "user", AuditEvent.entity_id == user.id)
    )
    assert event.action == "create" and "password" not in str(event.after)


def test_duplicate_username_is_a_field_error(app, client, auth):
    sign_in_admin(auth)
    make_officer("lan")
    response = client.post(
        "/admin/users/new",
        data={
            "username": "LAN",
            "full_name": "Another",
            "role": "officer",
            "locale": "vi",
            "supervisor_id": "None",
            "primary_area_id": "None",
            "new_password": "first-password-1",
        },
    )
    assert response.status_code == 422
    assert "đã được sử dụng".encode() in response.data
    assert db.session.query(User).count() == 2


def test_primary_area_must_be_covered(app, client, auth):
    sign_in_admin(auth)
    ward, other = make_area("Kim Tân"), make_area("Cốc Lếu")
    response = client.post(
        "/admin/users/new",
        data={
            "username": "lan",
            "full_name": "Lan",
            "role": "officer",
            "locale": "vi",
            "supervisor_id": "None",
            "area_ids": [str(ward.id)],
            "primary_area_id": str(other.id),
            "new_password": "first-password-1",
        },
    )
    assert response.status_code == 422
    assert db.session.query(User).count() == 1


def test_deactivate_and_change_role_is_audited(app, client, auth):
    sign_in_admin(auth)
    lan = make_officer("lan", full_name="Lan")
    response = client.post(
        f"/admin/users/{lan.id}",
        data={
            "username": "lan",
            "full_name": "Lan",
            "role": "supervisor",
            "locale": "en",
            "supervisor_id": "None",
            "primary_area_id": "None",
        },
    )
    assert response.status_code == 302
    db.session.refresh(lan)
    assert not lan.active and lan.role == "supervisor" and lan.locale == "en"
    event = db.session.scalar(select(AuditEvent).where(AuditEvent.action == "update"))
    assert event.before["role"] == "officer" and event.after["role"] == "supervisor"
    assert event.before["active"] is True and event.after["active"] is False


def test_admin_cannot_lock_themselves_out(app, client, auth):
    sign_in_admin(auth)
    boss = db.session.scalar(select(User).where(User.username == "boss"))
    response = client.post(
        f"/admin/users/{boss.id}",
        data={
            "username": "boss",
            "full_name": "Boss",
            "role": "officer",
            "locale": "vi",
            "supervisor_id": "None",
            "primary_area_id": "None",
            "active": "y",
        },
    )
    assert response.status_code == 422
    db.session.refresh(boss)
    assert boss.role == "admin"


def test_unknown_user_is_404(app, client, auth):
    sign_in_admin(auth)
    assert client.get("/admin/users/999").status_code == 404


def test_area_tree_and_parent_rules(app, client, auth):
    sign_in_admin(auth)
    province, city = make_city()
    response = client.post(
        "/admin/areas/new",
        data={
            "code": "KT",
            "name": "Kim Tân",
            "kind": "ward",
            "parent_id": str(city.id),
            "households": "6120",
            "working_age_population": "",
        },
    )
    assert response.status_code == 302
    ward = db.session.scalar(select(Area).where(Area.code == "KT"))
    assert ward.parent_id == city.id and ward.households == 6120
    page = client.get("/admin/areas").get_data(as_text=True).split("<tbody>")[1]
    assert page.index("Lào Cai") < page.index("Thành phố Lào Cai") < page.index("Kim Tân")
    # a ward directly under a province is refused, and nothing is written
    response = client.post(
        "/admin/areas/new",
        data={"code": "BAD", "name": "Bad", "kind": "ward", "parent_id": str(province.id)},
    )
    assert response.status_code == 422
    assert db.session.scalar(select(Area).where(Area.code == "BAD")) is None
    assert audit_actions("area") == ["create"]


def test_negative_households_is_refused(app, client, auth):
    sign_in_admin(auth)
    _, city = make_city()
    response = client.post(
        "/admin/areas/new",
        data={
            "code": "KT",
            "name": "Kim Tân",
            "kind": "ward",
            "parent_id": str(city.id),
            "households": "-5",
        },
    )
    assert response.status_code == 422


def test_collection_org_create_and_edit(app, client, auth):
    sign_in_admin(auth)
    ward = make_area("Kim Tân")
    response = client.post(
        "/admin/collection-orgs/new",
        data={
            "name": "Bưu điện Lào Cai",
            "kind": "post_office",
            "area_ids": [str(ward.id)],
            "active": "y",
        },
    )
    assert response.status_code == 302
    org = db.session.scalar(select(CollectionOrg))
    assert [a.name for a in org.areas] == ["Kim Tân"]
    client.post(
        f"/admin/collection-orgs/{org.id}",
        data={"name": "Bưu điện Lào Cai", "kind": "post_office", "area_ids": []},
    )
    db.session.refresh(org)
    assert not org.active and org.areas == []
    assert audit_actions("collection_org") == ["create", "update"]


def test_escaped_output(app, client, auth):
    sign_in_admin(auth)
    make_officer("lan", full_name="<script>alert(1)</script>")
    page = client.get("/admin/users").get_data(as_text=True)
    assert "<script>alert(1)</script>" not in page
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page
