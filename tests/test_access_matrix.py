"""Every route and method, for seven kinds of visitor, against the role table (docs/design.md)
and the object-level rules (another officer's contact, household, progress, target or hand-over)."""

from __future__ import annotations

import json
from datetime import date

import pytest

from tests.factories import (
    make_area,
    make_city,
    make_contact,
    make_enrollment,
    make_household,
    make_office,
    make_officer,
    make_org,
    make_user,
)
from tracker.access import CAPABILITIES, PUBLIC, SIGNED_IN, rule_of
from tracker.extensions import db
from tracker.models import ImportJob, InsurerRecord, ProspectReview, ReviewItem
from tracker.periods import parse
from tracker.services.targets import TargetChange, set_target


@pytest.fixture(autouse=True)
def _before_2024(targets_today):
    """These tests set the targets of 2023 and 2024: the target rules see the day before."""
    targets_today(date(2023, 1, 1))


PERSONAS = {
    "anonymous": None,
    "officer": "officer",
    "other_officer": "officer",
    "supervisor": "supervisor",
    "other_supervisor": "supervisor",
    "leader": "leader",
    "admin": "admin",
}
# Object-level rules: for URLs naming an object of `officer` (team of `supervisor`), who may.
OBJECT_RULES = {
    "field.edit_contact": {"officer", "admin"},
    "field.edit_enrollment": {"officer", "admin"},
    "field.confirm_delete_contact": {"officer", "admin"},
    "field.confirm_delete_enrollment": {"officer", "admin"},
    "team.officer": {"officer", "supervisor", "leader", "admin"},
    "households.detail": {"officer", "supervisor", "leader", "admin"},
    "targets.history": {"officer", "supervisor", "leader", "admin"},
    "outreach.handover": {"supervisor", "leader", "admin"},
    "outreach.handover_export": {"supervisor", "leader", "admin"},
    "targets.team": {"supervisor", "admin"},  # ?supervisor= names `supervisor`
    "outreach.import_job": {"supervisor", "admin"},  # the supervisor's own import
    "outreach.import_job_progress": {"supervisor", "admin"},
    # A row of the supervisor's office holding `officer`'s enrollment; the enrollment itself.
    "books.record": {"supervisor", "leader", "admin"},
    "books.enrollment": {"supervisor", "leader", "admin"},
    # The world's job is a households import: no insurer-list page opens it.
    "books.list_job_page": set(),
    "books.list_job_progress": set(),
}
# Routes whose GET needs query arguments or answers with a redirect by design.
SKIP_GET = {
    "auth.logout",
    "auth.set_language",
    "api.put_target",
    "api.post_contact",
    "api.post_enrollment",
}


@pytest.fixture
def world(app):
    _, city = make_city()
    ward, far = make_area("Kim Tân", parent=city), make_area("Bắc Cường", parent=city)
    chief = make_user("supervisor", "supervisor")
    other_chief = make_user("other_supervisor", "supervisor")
    officer = make_officer("officer", supervisor=chief, areas=[ward])
    make_officer("other_officer", supervisor=other_chief, areas=[far])
    make_user("leader", "leader")
    make_user("admin", "admin")
    household = make_household(ward)
    contact = make_contact(officer, ward, date.today(), household=household)
    enrollment = make_enrollment(officer, ward, date.today())
    target = set_target(chief, TargetChange("officer", officer.id, "contacts", parse("2024"), 9))
    org = make_org()
    review = ProspectReview(month=date(2024, 1, 1), supervisor_id=chief.id)
    review.items.append(
        ReviewItem(household_id=household.id, collection_org_id=org.id, status_at_review="prospect")
    )
    db.session.add(review)
    preview = {"kind": "households", "filename": "h.csv", "digest": "0" * 64}
    job = ImportJob(
        user_id=chief.id,
        kind="households",
        filename="h.csv",
        digest="0" * 64,
        preview=json.dumps({**preview, "rows": [], "duplicates": [], "problems": []}),
    )
    db.session.add(job)
    office = make_office("BHXH", covers=[city])
    chief.office_id = office.id
    row = InsurerRecord(
        office_id=office.id,
        scheme="voluntary_si",
        social_insurance_number="1500000001",
        full_name="Người tham gia",
        name_key="nguoi tham gia",
        area_id=ward.id,
        listed_on=date.today(),
        enrollment_id=enrollment.id,
        status="confirmed",
    )
    db.session.add(row)
    db.session.commit()
    return {
        "contact_id": contact.id,
        "enrollment_id": enrollment.id,
        "officer_id": officer.id,
        "household_id": household.id,
        "target_id": target.id,
        "review_id": review.id,
        "org": str(org.id),
        "org_id": org.id,
        "area_id": ward.id,
        "user_id": officer.id,
        "token_id": 999,
        "kind": "officers",
        "extension": "csv",
        "token": "none",
        "supervisor": chief.id,
        "office_id": office.id,
        "record_id": row.id,
        "reorganisation_id": 999,
        "job_id": job.id,
        "rule_id": 999,
    }


def url_for_rule(rule, ids) -> str:
    values = {}
    for name in rule.arguments:
        values[name] = ids[name]
    if "kind" in rule.arguments and rule.endpoint == "outreach.import_template":
        values["kind"] = "households"
    path = rule.rule
    for name, value in values.items():
        for converter in (
            "int:",
            "any(officers, areas, orgs):",
            "any(csv, xlsx):",
            "any(households, counts):",
            "",
        ):
            path = path.replace(f"<{converter}{name}>", str(value))
    if rule.endpoint == "targets.team":
        path += f"?supervisor={ids['supervisor']}"
    return path


def routes(app, method: str):
    for rule in sorted(app.url_map.iter_rules(), key=lambda r: r.rule):
        if rule.endpoint == "static" or method not in rule.methods:
            continue
        yield rule, rule_of(app.view_functions[rule.endpoint])


def expected_allowed(persona: str, endpoint: str, declared: str) -> bool:
    role = PERSONAS[persona]
    if declared == PUBLIC:
        return True
    if role is None:
        return False
    if declared != SIGNED_IN and role not in CAPABILITIES[declared]:
        return False
    if endpoint in OBJECT_RULES:
        return persona in OBJECT_RULES[endpoint]
    return True


def sign_in(client, persona: str) -> None:
    if PERSONAS[persona] is not None:
        response = client.post("/login", data={"username": persona, "password": "correct-horse-9"})
        assert response.status_code == 302


@pytest.mark.parametrize("persona", PERSONAS)
def test_every_get_route(world, app, client, persona):
    sign_in(client, persona)
    failures = []
    for rule, declared in routes(app, "GET"):
        if rule.endpoint in SKIP_GET or rule.endpoint == "auth.logout":
            continue
        url = url_for_rule(rule, world)
        response = client.get(url)
        status = response.status_code
        response.close()
        allowed = expected_allowed(persona, rule.endpoint, declared)
        if status >= 500:
            failures.append(f"{url}: {status}")
        elif not allowed and PERSONAS[persona] is None and status not in (302, 401):
            failures.append(f"{url}: anonymous got {status}")
        elif not allowed and PERSONAS[persona] is not None and status != 403:
            failures.append(f"{url}: expected 403, got {status}")
        elif allowed and status in (401, 403):
            failures.append(f"{url}: expected access, got {status}")
    assert failures == []


@pytest.mark.parametrize("persona", PERSONAS)
def test_every_write_route_refuses_who_may_not(world, app, client, persona):
    sign_in(client, persona)
    failures = []
    for method in ("POST", "PUT"):
        for rule, declared in routes(app, method):
            if declared == PUBLIC or rule.endpoint == "auth.logout":
                continue
            if expected_allowed(persona, rule.endpoint, declared) and (
                rule.endpoint not in WRITE_OBJECT_RULES
                or persona in WRITE_OBJECT_RULES[rule.endpoint]
            ):
                continue
            url = url_for_rule(rule, world)
            status = client.open(url, method=method, data={}).status_code
            wanted = (302, 401) if PERSONAS[persona] is None else (403,)
            if status not in wanted:
                failures.append(f"{method} {url}: expected {wanted}, got {status}")
    assert failures == []


# Writes naming an object: only its owner (or an admin) may change it.
WRITE_OBJECT_RULES = {
    "field.delete_contact": {"officer", "admin"},
    "field.restore_contact": {"officer", "admin"},
    "field.delete_enrollment": {"officer", "admin"},
    "field.restore_enrollment": {"officer", "admin"},
    "field.edit_contact": {"officer", "admin"},
    "field.edit_enrollment": {"officer", "admin"},
    "outreach.renew": {"officer", "supervisor", "admin"},
    "targets.team": {"supervisor", "admin"},
    "books.record": {"supervisor", "admin"},
    "books.enrollment": {"supervisor", "admin"},
    "admin.reset_password": {"admin"},
    "outreach.commit_import": {"supervisor", "admin"},
}


def test_object_level_api_checks(world, client):
    sign_in(client, "other_officer")
    assert client.get(f"/api/v1/progress?officer={world['officer_id']}").status_code == 403
    assert client.get("/api/v1/households?q=nguyen").json["households"] == []
    response = client.put(
        "/api/v1/targets",
        json={
            "subject": "officer",
            "id": world["officer_id"],
            "metric": "contacts",
            "period": "2024",
            "value": 1,
        },
    )
    assert response.status_code == 403
    client.post("/logout")
    sign_in(client, "other_supervisor")
    response = client.put(
        "/api/v1/targets",
        json={
            "subject": "officer",
            "id": world["officer_id"],
            "metric": "contacts",
            "period": "2024",
            "value": 1,
        },
    )
    assert response.status_code == 403


def test_progress_answers_the_same_for_missing_and_forbidden_officers(world, client):
    """404 for an id that does not exist and 403 for one not visible used to tell them apart."""
    sign_in(client, "other_officer")
    forbidden = client.get(f"/api/v1/progress?officer={world['officer_id']}")
    missing = client.get("/api/v1/progress?officer=987654")
    assert forbidden.status_code == missing.status_code == 403
    assert forbidden.json == missing.json
    assert client.get(f"/officers/{world['officer_id']}").status_code == 403
    assert client.get("/officers/987654").status_code == 403
