"""Setting targets through the pages and the API: who may, validation, versions, audit."""

from datetime import date

import pytest
from sqlalchemy import func, select

from tests.factories import make_area, make_city, make_officer, make_org, make_user
from tests.plans import confirm_plan
from tracker.extensions import db
from tracker.models import AuditEvent, Target
from tracker.periods import parse
from tracker.services.targets import TargetChange, set_target


@pytest.fixture(autouse=True)
def _before_2024(targets_today):
    """These tests set the targets of 2023 and 2024: the target rules see the day before."""
    targets_today(date(2023, 1, 1))


@pytest.fixture
def office(app):
    _, city = make_city()
    ward = make_area("Kim Tân", parent=city)
    chief = make_user("chief", "supervisor")
    other_chief = make_user("other", "supervisor")
    lan = make_officer("lan", supervisor=chief, areas=[ward], full_name="Lan")
    stranger = make_officer("stranger", supervisor=other_chief, full_name="Stranger")
    make_user("leader", "leader")
    make_user("boss", "admin")
    return city, ward, chief, lan, stranger


def count_targets() -> int:
    return db.session.scalar(select(func.count()).select_from(Target))


def grid_url(year=2024, **params):
    query = "&".join(f"{k}={v}" for k, v in {"year": year, **params}.items())
    return f"/targets/team?{query}"


def test_supervisor_saves_cells_in_one_transaction(office, client, auth):
    _, _, chief, lan, _ = office
    auth.login("chief")
    response = client.post(
        grid_url(), data={f"cell-{lan.id}-2024": "120", f"cell-{lan.id}-2024-03": "15"}
    )
    assert response.status_code == 302
    values = dict(db.session.execute(select(Target.period_start, Target.value)).all())
    assert values == {date(2024, 1, 1): 120, date(2024, 3, 1): 15}
    assert (
        db.session.scalar(
            select(func.count()).select_from(AuditEvent).where(AuditEvent.action == "set_target")
        )
        == 2
    )


def test_one_bad_cell_saves_nothing(office, client, auth):
    _, _, chief, lan, _ = office
    auth.login("chief")
    response = client.post(
        grid_url(),
        data={
            f"cell-{lan.id}-2024": "120",
            f"cell-{lan.id}-2024-03": "-3",
            f"cell-{lan.id}-2024-04": "100001",
        },
    )
    assert response.status_code == 422
    assert response.get_data(as_text=True).count("invalid-feedback d-block") == 2
    assert count_targets() == 0


def test_spread_evenly_and_by_weights(office, client, auth):
    _, _, chief, lan, _ = office
    auth.login("chief")
    confirm_plan(
        client,
        grid_url(grain="quarter"),
        {
            f"cell-{lan.id}-2024": "10",
            "officer": str(lan.id),
            "action": "spread",
            "spread_method": "weights",
            "weights": "1, 1, 1, 2",
            "bulk_period": "2024",
        },
    )
    quarters = [
        v
        for _, v in db.session.execute(
            select(Target.period_start, Target.value)
            .where(Target.period_start != Target.period_end)
            .order_by(Target.period_start, Target.period_end)
        ).all()
    ]
    # the year (10), then the quarters 2, 2, 2, 4 (largest remainder: 2.0 each and 4.0)
    assert sorted(quarters) == sorted([10, 2, 2, 2, 4])


def test_spread_by_last_years_shape(office, client, auth):
    from tests.factories import make_enrollment

    _, ward, chief, lan, _ = office
    for month in (1, 1, 1, 6):
        make_enrollment(lan, ward, date(2023, month, 10))
    auth.login("chief")
    confirm_plan(
        client,
        grid_url(grain="quarter"),
        {
            f"cell-{lan.id}-2024": "8",
            "officer": str(lan.id),
            "action": "spread",
            "spread_method": "last_year",
            "bulk_period": "2024",
        },
    )
    q = {
        start.month: value
        for start, value in db.session.execute(
            select(Target.period_start, Target.value).where(
                ~(
                    (Target.period_start == date(2024, 1, 1))
                    & (Target.period_end == date(2024, 12, 31))
                )
            )
        )
    }
    assert q == {1: 6, 4: 2, 7: 0, 10: 0}


def test_copy_previous_year_and_apply_value(office, client, auth):
    _, _, chief, lan, _ = office
    set_target(chief, TargetChange("officer", lan.id, "new_participants", parse("2023-05"), 9))
    auth.login("chief")
    confirm_plan(
        client, grid_url(), {"officer": str(lan.id), "action": "copy", "bulk_period": "2024"}
    )
    assert (
        db.session.scalar(select(Target.value).where(Target.period_start == date(2024, 5, 1))) == 9
    )
    confirm_plan(
        client,
        grid_url(),
        {
            "officer": str(lan.id),
            "action": "apply",
            "bulk_value": "4",
            "bulk_period": "2024-07",
        },
    )
    assert (
        db.session.scalar(select(Target.value).where(Target.period_start == date(2024, 7, 1))) == 4
    )


def test_action_without_selection_is_explained(office, client, auth):
    auth.login("chief")
    response = client.post(grid_url(), data={"action": "copy", "bulk_period": "2024"})
    assert response.status_code == 422
    assert count_targets() == 0


def test_supervisor_cannot_target_another_team(office, client, auth):
    *_, stranger = office
    auth.login("chief")
    # the other team's cells are not on this grid: a forged cell is ignored
    client.post(grid_url(), data={f"cell-{stranger.id}-2024": "5"})
    assert count_targets() == 0
    # and another team's grid is not theirs to open
    other_chief = stranger.supervisor_id
    assert client.get(grid_url(supervisor=other_chief)).status_code == 403
    assert client.get(f"/team?supervisor={other_chief}").status_code == 403


@pytest.mark.parametrize(
    "username,status", [("lan", 403), ("leader", 403), ("chief", 200), ("boss", 200)]
)
def test_who_may_open_the_team_grid(office, client, auth, username, status):
    auth.login(username)
    assert client.get(grid_url()).status_code == status


@pytest.mark.parametrize(
    "username,status", [("lan", 403), ("chief", 403), ("leader", 200), ("boss", 200)]
)
def test_who_may_open_area_targets(office, client, auth, username, status):
    auth.login(username)
    assert client.get("/targets/areas?year=2024").status_code == status


def test_leader_raises_city_target_and_history_shows_both(office, client, auth):
    city, *_ = office
    auth.login("leader")
    client.post("/targets/areas?year=2024", data={f"cell-{city.id}-2024": "4400"})
    client.post(
        "/targets/areas?year=2024",
        data={f"cell-{city.id}-2024": "4600", "note": "Chỉ tiêu bổ sung"},
    )
    current = db.session.scalar(select(Target).where(Target.replaced_at.is_(None)))
    page = client.get(f"/targets/{current.id}").get_data(as_text=True)
    assert "4.600" in page and "4.400" in page and "Chỉ tiêu bổ sung" in page


def test_collection_org_target(office, client, auth):
    org = make_org()
    auth.login("leader")
    client.post("/targets/areas?year=2024", data={f"org-cell-{org.id}-2024": "150"})
    target = db.session.scalar(select(Target))
    assert (target.subject, target.collection_org_id, target.value) == (
        "collection_org",
        org.id,
        150,
    )


# API ------------------------------------------------------------------------------------


def put(client, body, **kwargs):
    return client.put("/api/v1/targets", json=body, **kwargs)


def test_api_put_target(office, client, auth):
    _, _, chief, lan, _ = office
    auth.login("chief")
    response = put(
        client,
        {
            "subject": "officer",
            "id": lan.id,
            "metric": "new_participants",
            "period": "2024-03",
            "value": 12,
        },
    )
    assert response.status_code == 200
    body = response.json
    assert body["value"] == 12 and body["period"] == {"start": "2024-03-01", "end": "2024-03-31"}


@pytest.mark.parametrize(
    "username,subject,status",
    [
        ("lan", "officer", 403),
        ("leader", "officer", 403),
        ("other", "officer", 403),
        ("chief", "area", 403),
        ("lan", "area", 403),
        ("leader", "area", 200),
        ("boss", "officer", 200),
    ],
)
def test_api_put_target_permissions(office, client, auth, username, subject, status):
    city, _, _, lan, _ = office
    auth.login(username)
    subject_id = lan.id if subject == "officer" else city.id
    metric = "new_participants" if subject == "officer" else "participants_total"
    response = put(
        client,
        {"subject": subject, "id": subject_id, "metric": metric, "period": "2024", "value": 10},
    )
    assert response.status_code == status
    assert count_targets() == (1 if status == 200 else 0)


@pytest.mark.parametrize(
    "body,field",
    [
        ({"value": -1}, "value"),
        ({"value": 100_001}, "value"),
        ({"value": "12"}, "value"),
        ({"value": True}, "value"),
        ({"period": "2024-03-05..2024-03-20"}, "period"),
        ({"period": "someday"}, "period"),
        ({"metric": "participants_total"}, "metric"),
        ({"id": "x"}, "id"),
        ({"scheme": []}, "scheme"),  # a list looked up among the schemes was a 500
        ({"scheme": {}}, "scheme"),
        ({"note": ["a"]}, "note"),
        ({"subject": ["officer"]}, "subject"),
        ({"id": 10**20}, "id"),
    ],
)
def test_api_put_target_invalid(office, client, auth, body, field):
    _, _, _, lan, _ = office
    auth.login("chief")
    full = {
        "subject": "officer",
        "id": lan.id,
        "metric": "new_participants",
        "period": "2024",
        "value": 10,
        **body,
    }
    response = put(client, full)
    assert response.status_code == 422
    assert field in response.json["error"]["fields"]
    assert count_targets() == 0


def test_api_malformed_json_and_unknown_officer(office, client, auth):
    auth.login("chief")
    response = client.put("/api/v1/targets", data="{not json", content_type="application/json")
    assert response.status_code == 400 and response.json["error"]["code"] == "malformed_json"
    response = put(
        client,
        {"subject": "officer", "id": 9999, "metric": "contacts", "period": "2024", "value": 1},
    )
    assert response.status_code == 404


def test_api_progress(office, client, auth):
    _, ward, chief, lan, stranger = office
    set_target(chief, TargetChange("officer", lan.id, "new_participants", parse("2024-03"), 10))
    auth.login("lan")
    body = client.get("/api/v1/progress?officer=me&period=2024-03").json
    assert body["officer"] == {"id": lan.id, "name": "Lan"}
    assert body["period"] == {"start": "2024-03-01", "end": "2024-03-31"}
    assert body["metrics"]["new_participants"]["target"] == 10
    assert set(body["metrics"]) == {
        "new_participants",
        "net_growth",
        "returned",
        "lapsed",
        "contacts",
        "households_reached",
    }
    assert set(body["metrics"]["contacts"]) >= {
        "target",
        "actual",
        "attainment",
        "expected",
        "pace",
        "forecast",
    }
    assert client.get(f"/api/v1/progress?officer={stranger.id}").status_code == 403
    assert client.get("/api/v1/progress?period=2024-13").status_code == 422
    auth.logout()
    auth.login("chief")
    assert client.get(f"/api/v1/progress?officer={lan.id}").status_code == 200
    assert client.get(f"/api/v1/progress?officer={stranger.id}").status_code == 403


def test_officer_page_matches_the_api(office, client, auth):
    _, _, chief, lan, stranger = office
    set_target(chief, TargetChange("officer", lan.id, "contacts", parse("2024"), 366))
    auth.login("chief")
    page = client.get(f"/officers/{lan.id}?period=2024-02").get_data(as_text=True)
    api = client.get(f"/api/v1/progress?officer={lan.id}&period=2024-02").json
    assert api["metrics"]["contacts"]["target"] == pytest.approx(29)
    assert 'data-test="progress-contacts"' in page and ">29<" in page
    assert client.get(f"/officers/{stranger.id}").status_code == 403


def test_team_page_flags_idle_officers_and_sorts_worst_pace_first(office, client, auth):
    from tests.factories import make_contact

    _, ward, chief, lan, _ = office
    an = make_officer("an", supervisor=chief, full_name="An")
    set_target(chief, TargetChange("officer", lan.id, "new_participants", parse("2024-03"), 31))
    set_target(chief, TargetChange("officer", an.id, "new_participants", parse("2024-03"), 0))
    make_contact(lan, ward, date(2024, 3, 1))
    auth.login("chief")
    page = client.get("/team?period=2024-03").get_data(as_text=True)
    assert page.index(">Lan<") < page.index(">An<")  # Lan behind, An ahead
    assert "⚠" in page
