"""Areas in time: validity rules, the units of a day in the API and in records, the official
catalogue of a province (and a newer release of it), and the commands that load them."""

from __future__ import annotations

import dataclasses
from datetime import date

import pytest
from sqlalchemy import func, select

from tests.factories import make_area, make_officer, make_user
from tracker.errors import RuleBroken
from tracker.extensions import db
from tracker.models import Area, AreaSuccession, Contact, ParticipantCount
from tracker.services import reorganisation as reorg
from tracker.services.areas import check_area
from tracker.services.contacts import ContactInput, log_contact
from tracker.services.reorganisation.catalogue import official_catalogue
from tracker.services.reorganisation.load import load_province
from tracker.services.reorganisation.mapping import MappingRow

DAY = date(2025, 7, 1)


def values(area: Area, **changes) -> dict:
    fields = ("code", "name", "kind", "parent_id", "valid_from", "valid_to")
    return {**{name: getattr(area, name) for name in fields}, **changes}


def test_validity_rules(app):
    province = make_area("Tỉnh Lào Cai", "province", code="15")
    city = make_area("Thành phố Lào Cai", "city", parent=province, code="080", valid_to=DAY)
    ward = Area(code="02647", name="Phường Kim Tân", kind="ward", parent_id=city.id, valid_to=DAY)
    check_area(ward, values(ward))  # under a city, until the district level ends
    db.session.add(ward)
    db.session.commit()
    new = Area(
        code="02647", name="Phường Lào Cai", kind="ward", parent_id=province.id, valid_from=DAY
    )
    check_area(new, values(new))  # the same code on later days: allowed
    refusals = [  # the first: Kim Tân's days
        (new, values(new, valid_from=date(2025, 1, 1)), "code", "area_code_taken"),
        (new, values(new, code="09999", valid_from=None), "parent_id", "wrong_parent"),
        (new, values(new, parent_id=city.id), "parent_id", "parent_not_in_time"),
        (new, values(new, valid_to=DAY), "valid_to", "ends_before_it_begins"),
        (new, values(new, kind="special_zone", parent_id=city.id), "parent_id", "wrong_parent"),
        # the city may not end, or begin, on a day its wards do not
        (city, values(city, valid_to=date(2025, 1, 1)), "valid_to", "children_outlive_it"),
        (city, values(city, valid_from=date(2020, 1, 1)), "valid_from", "children_before_it"),
    ]
    for area, changed, field_name, code in refusals:
        with pytest.raises(RuleBroken) as refused:
            check_area(area, changed)
        assert (refused.value.field, refused.value.code) == (field_name, code)
    check_area(city, values(city, valid_to=date(2025, 8, 1)))  # a longer life is fine
    with pytest.raises(RuleBroken) as refused:
        check_area(province, values(province, parent_id=ward.id, kind="province"))
    assert refused.value.code == "wrong_parent"


def test_the_area_form_refuses_ending_a_city_before_its_wards(app, client, auth):
    province = make_area("Tỉnh Lào Cai", "province", code="15")
    city = make_area("Thành phố Lào Cai", "city", parent=province, code="080")
    make_area("Phường Kim Tân", "ward", parent=city, code="02647")
    make_user("admin", "admin")
    auth.login("admin")
    form = {"code": "080", "name": city.name, "kind": "city", "parent_id": str(province.id)}
    refused = client.post(f"/admin/areas/{city.id}", data={**form, "valid_to": "2025-07-01"})
    assert refused.status_code == 422
    assert "Các đơn vị trực thuộc vẫn còn sau ngày kết thúc này" in refused.get_data(as_text=True)
    assert db.session.get(Area, city.id).valid_to is None  # nothing written


def test_api_areas_on_a_day(app, client, auth):
    province = make_area("Tỉnh Lào Cai", "province", code="15")
    city = make_area("Thành phố Lào Cai", "city", parent=province, code="080")
    make_area("Phường Kim Tân", "ward", parent=city, code="02647")
    make_user("leader", "leader")
    rows = [
        MappingRow(2, "02647", "02647", "Phường Lào Cai", "ward", "15", DAY),
        MappingRow(3, "080", "", effective_on=DAY),
    ]
    reorg.apply(None, reorg.build_plan(rows))
    auth.login("leader")
    before = client.get("/api/v1/areas?on=2024-06-01").json
    kim_tan = next(row for row in before["rows"] if row["code"] == "02647")
    assert before["on"] == "2024-06-01" and kim_tan["name"] == "Phường Kim Tân"
    assert kim_tan["valid_to"] == "2025-07-01" and len(kim_tan["successors"]) == 1
    after = client.get("/api/v1/areas?on=2026-01-01").json
    assert {row["code"] for row in after["rows"]} == {"15", "02647"}
    lao_cai = next(row for row in after["rows"] if row["code"] == "02647")
    assert set(lao_cai) == {
        "id",
        "code",
        "name",
        "kind",
        "parent",
        "valid_from",
        "valid_to",
        "predecessors",
        "successors",
    }
    assert lao_cai["predecessors"] == [kim_tan["id"]] and lao_cai["parent"] == province.id
    assert client.get("/api/v1/areas?on=2024-13-01").status_code == 422
    board = "/api/v1/leaderboard/areas?period=2024&parent=080&units="
    assert client.get(board + "current").json["units"] == "current"
    assert client.get(board + "bogus").status_code == 422


def test_a_record_dated_before_a_merge_keeps_its_old_unit(app):
    province = make_area("Tỉnh Lào Cai", "province", code="15")
    city = make_area("Thành phố Lào Cai", "city", parent=province, code="080")
    kim_tan = make_area("Phường Kim Tân", "ward", parent=city, code="02647")
    lan = make_officer("lan", areas=[kim_tan])
    lan.created_at = lan.created_at.replace(year=2024)
    db.session.commit()
    rows = [
        MappingRow(2, "02647", "02647", "Phường Lào Cai", "ward", "15", DAY),
        MappingRow(3, "080", "", effective_on=DAY),
    ]
    reorg.apply(None, reorg.build_plan(rows))
    merged = db.session.scalar(select(Area).where(Area.valid_from == DAY, Area.kind == "ward"))

    def contact(area: Area, on: date, token: str):
        data = ContactInput(token, area.id, on, "phone", "informed", 1)
        return log_contact(lan, data)

    old, _created = contact(kim_tan, date(2025, 6, 20), "before")
    assert old.area_id == kim_tan.id  # assigned to what Kim Tân became, so allowed
    with pytest.raises(RuleBroken) as refused:
        contact(kim_tan, date(2025, 7, 2), "after")
    assert "area" in refused.value.fields
    with pytest.raises(RuleBroken):
        contact(merged, date(2025, 6, 20), "too-early")
    assert contact(merged, date(2025, 7, 2), "now")[0].area_id == merged.id
    assert db.session.scalar(select(func.count()).select_from(Contact)) == 2


@pytest.fixture(scope="module")
def lao_cai():
    return official_catalogue("Lào Cai")


def test_official_catalogue_of_lao_cai(lao_cai):
    assert (lao_cai.province.code, lao_cai.province.name) == ("15", "Tỉnh Lào Cai")
    assert len(lao_cai.units) == 99
    codes = {unit.name: unit.code for unit in lao_cai.units}
    assert {
        name: codes[name]
        for name in ("Phường Lào Cai", "Phường Cam Đường", "Xã Hợp Thành", "Xã Cốc San")
    } == {
        "Phường Lào Cai": "02647",
        "Phường Cam Đường": "02674",
        "Xã Hợp Thành": "02680",
        "Xã Cốc San": "02746",
    }
    old = {unit.code: unit for unit in lao_cai.old_units}
    assert {old["10"].name, old["15"].name} == {"Tỉnh Lào Cai", "Tỉnh Yên Bái"}
    city = [unit.name for unit in old.values() if unit.parent == "080"]
    assert len(city) == 17 and "Phường Phố Mới" not in city
    went = {(old[r.old_code].name, r.new_name) for r in lao_cai.mapping if r.old_code in old}
    for pair in [
        ("Phường Kim Tân", "Phường Lào Cai"),
        ("Xã Bản Phiệt", "Phường Lào Cai"),
        ("Phường Bắc Cường", "Phường Cam Đường"),
        ("Xã Tòng Sành", "Xã Cốc San"),
    ]:
        assert pair in went


def test_load_a_province_then_a_newer_release(app, lao_cai):
    report = load_province("Lào Cai", None, apply_it=False, catalogue=lao_cai)
    assert report.plan.can_apply and len(report.added_history) == len(lao_cai.old_units)
    assert db.session.scalar(select(func.count()).select_from(Area)) == 0  # a preview only
    report = load_province("Lào Cai", None, apply_it=True, catalogue=lao_cai)
    assert db.session.scalar(select(func.count()).select_from(Area)) == 99 + 1 + 339
    assert db.session.scalar(select(func.count()).select_from(AreaSuccession)) == len(
        [row for row in lao_cai.mapping if row.new_code]
    )
    again = load_province("Lào Cai", None, apply_it=True, catalogue=lao_cai)
    assert again.plan is None and again.added == [] and again.renamed == []
    first, *rest = lao_cai.units
    newer = dataclasses.replace(
        lao_cai,
        units=(
            dataclasses.replace(first, name=first.name + " (sửa)"),
            *rest,
            dataclasses.replace(first, code="99999", name="Xã Mới Thành Lập"),
        ),
    )
    update = load_province("Lào Cai", None, apply_it=True, catalogue=newer)
    assert [unit.code for unit in update.added] == ["99999"]
    assert update.renamed == [(first.code, first.name, first.name + " (sửa)")]
    renamed = db.session.scalar(
        select(Area).where(Area.code == first.code, Area.valid_to.is_(None))
    )
    assert renamed.name == first.name + " (sửa)"
    added = db.session.scalar(select(Area).where(Area.code == "99999"))
    assert (added.valid_from, added.parent.code) == (DAY, "15")


def test_an_office_with_its_own_codes_is_matched_by_name(app, lao_cai):
    province = make_area("Lào Cai", "province", code="LC")
    city = make_area("Thành phố Lào Cai", "city", parent=province, code="LC-TP")
    kim_tan = make_area("Kim Tân", "ward", parent=city, code="LC-KIMTAN")
    report = load_province("Lào Cai", None, apply_it=True, catalogue=lao_cai)
    assert report.matched["02647"].id == kim_tan.id and report.matched["10"].id == province.id
    assert db.session.get(Area, kim_tan.id).valid_to == DAY


def test_commands_reorganise_and_areas_load(app, tmp_path):
    province = make_area("Tỉnh Lào Cai", "province", code="15")
    city = make_area("Thành phố Lào Cai", "city", parent=province, code="080")
    make_area("Phường Kim Tân", "ward", parent=city, code="02647")
    make_area("Phường Cốc Lếu", "ward", parent=city, code="02644")
    mapping = tmp_path / "mapping.csv"
    mapping.write_text(
        "old_code,new_code,new_name,kind,parent,effective_date,share\n"
        "02647,02647,Phường Lào Cai,phường,15,01/07/2025,100\n"
        "02644,02647,Phường Lào Cai,phường,15,01/07/2025,100\n"
        "080,,,,,2025-07-01,\n",
        encoding="utf-8",
    )
    runner = app.test_cli_runner()
    dry = runner.invoke(args=["reorganise", str(mapping), "--dry-run"])
    assert dry.exit_code == 0 and "3 units end, 1 begin" in dry.output
    assert db.session.scalar(select(func.count()).select_from(AreaSuccession)) == 0
    done = runner.invoke(args=["reorganise", str(mapping), "--yes", "--source", "NQ 1673"])
    assert done.exit_code == 0, done.output
    assert db.session.scalar(select(func.count()).select_from(AreaSuccession)) == 2
    bad = tmp_path / "bad.csv"
    bad.write_text(
        "old_code,new_code,new_name,kind,parent,effective_date,share\n"
        "02647,02700,A,ward,15,2026-01-01,60\n",
        encoding="utf-8",
    )
    refused = runner.invoke(args=["reorganise", str(bad), "--yes"])
    assert refused.exit_code != 0 and "line 2" in refused.output
    loaded = runner.invoke(args=["areas", "load", "--province", "Yên Bái", "--dry-run"])
    assert loaded.exit_code != 0 and "no province" in loaded.output


def test_areas_load_builds_lao_cai_on_an_empty_database(app):
    runner = app.test_cli_runner()
    preview = runner.invoke(args=["areas", "load", "--province", "Lào Cai", "--dry-run"])
    assert preview.exit_code == 0, preview.output
    assert "nothing applied" in preview.output
    assert db.session.scalar(select(func.count()).select_from(Area)) == 0
    done = runner.invoke(args=["areas", "load", "--province", "Lào Cai", "--yes"])
    assert done.exit_code == 0, done.output
    assert done.output.strip().endswith("applied")
    province = db.session.scalar(select(Area).where(Area.code == "15", Area.valid_to.is_(None)))
    assert (province.name, province.valid_from) == ("Tỉnh Lào Cai", DAY)
    new = {
        area.name: area
        for area in db.session.scalars(
            select(Area).where(Area.parent_id == province.id, Area.valid_from == DAY)
        )
    }
    assert {
        (name, new[name].code, new[name].kind)
        for name in ("Phường Lào Cai", "Phường Cam Đường", "Xã Hợp Thành", "Xã Cốc San")
    } == {
        ("Phường Lào Cai", "02647", "ward"),
        ("Phường Cam Đường", "02674", "ward"),
        ("Xã Hợp Thành", "02680", "commune"),
        ("Xã Cốc San", "02746", "commune"),
    }
    successions = {
        (old, successor, share)
        for old, successor, share in db.session.execute(
            select(Area.name, AreaSuccession.successor_id, AreaSuccession.share).join(
                AreaSuccession, AreaSuccession.predecessor_id == Area.id
            )
        )
    }
    for old, successor in [
        ("Phường Kim Tân", "Phường Lào Cai"),
        ("Xã Bản Phiệt", "Phường Lào Cai"),  # from the old Bảo Thắng district
        ("Phường Bắc Cường", "Phường Cam Đường"),
        ("Xã Tòng Sành", "Xã Cốc San"),
        ("Xã Hợp Thành", "Xã Hợp Thành"),
    ]:
        assert (old, new[successor].id, 10_000) in successions
    city = db.session.scalar(select(Area).where(Area.code == "080"))
    assert (city.name, city.valid_to) == ("Thành phố Lào Cai", DAY)
    wards = db.session.scalars(select(Area).where(Area.parent_id == city.id)).all()
    assert len(wards) == 17 and {ward.valid_to for ward in wards} == {DAY}
    assert "Phường Phố Mới" not in {ward.name for ward in wards}
    again = runner.invoke(args=["areas", "load", "--province", "Lào Cai", "--yes"])
    assert again.exit_code == 0 and "0 units to add, 0 to rename" in again.output


def test_counts_import_reads_a_code_on_its_date(app, client, auth):
    province = make_area("Tỉnh Lào Cai", "province", code="15")
    city = make_area("Thành phố Lào Cai", "city", parent=province, code="080")
    kim_tan = make_area("Phường Kim Tân", "ward", parent=city, code="02647")
    rows = [
        MappingRow(2, "02647", "02647", "Phường Lào Cai", "ward", "15", DAY),
        MappingRow(3, "080", "", effective_on=DAY),
    ]
    reorg.apply(None, reorg.build_plan(rows))
    make_user("admin", "admin")
    auth.login("admin")
    body = (
        "area_code,as_of,participants,source\n"
        "02647,2024-03-26,462,BHXH\n"
        "02647,2026-03-31,1500,BHXH\n"
    )
    from io import BytesIO

    response = client.post(
        "/imports",
        data={"kind": "counts", "file": (BytesIO(body.encode()), "counts.csv")},
        follow_redirects=True,
    )
    assert response.status_code == 200
    token = response.get_data(as_text=True).split('data-token="')[1].split('"')[0]
    client.post(f"/imports/{token}/commit")
    from tracker import jobs

    jobs.wait_for_threads()  # the commit runs as a job (a thread here: no REDIS_URL)
    db.session.expire_all()
    found = dict(db.session.execute(select(ParticipantCount.as_of, ParticipantCount.area_id)).all())
    merged = db.session.scalar(select(Area.id).where(Area.valid_from == DAY, Area.kind == "ward"))
    assert found == {date(2024, 3, 26): kim_tan.id, date(2026, 3, 31): merged}
