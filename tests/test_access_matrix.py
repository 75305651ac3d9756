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
from tracker.dates import local_today
from tracker.extensions import db
from tracker.models import (
    ApiToken,
    Contact,
    Enrollment,
    ImportJob,
    InsurerRecord,
    ProspectReview,
    ReviewItem,
    Target,
    User,
)
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

# Who may do what, written out by hand from the role table in docs/design.md, "Roles: who may do
# what" — never computed from tracker/access.py, so a wrong role there fails here. The world
# below: `officer` works in Kim Tân on `supervisor`'s team, in an office `supervisor` belongs to;
# `other_officer` works in Bắc Cường on `other_supervisor`'s team; every object named in a URL
# (contact, enrollment, household, target, review, import, row of the insurer's list) is
# `officer`'s or `supervisor`'s.
EVERYONE = frozenset(PERSONAS)
SIGNED_IN = EVERYONE - {"anonymous"}
FIELD = frozenset({"officer", "other_officer", "supervisor", "other_supervisor", "admin"})
SUPERVISORS = frozenset({"supervisor", "other_supervisor", "admin"})
TEAM_READERS = frozenset({"supervisor", "other_supervisor", "leader", "admin"})
LEADERS = frozenset({"leader", "admin"})
ADMIN = frozenset({"admin"})
OWNER = frozenset({"officer", "admin"})  # `officer`'s own records: the officer, or an admin
OWNERS_LINE = frozenset({"officer", "supervisor", "leader", "admin"})  # the officer, the boss, all
OWN_SUPERVISOR = frozenset({"supervisor", "admin"})
SUPERVISOR_AND_READERS = frozenset({"supervisor", "leader", "admin"})
NOBODY = frozenset()

GET_ACCESS: dict[str, frozenset[str]] = {
    # Open doors
    "auth.login": EVERYONE,
    "main.healthz": EVERYONE,
    "main.readyz": EVERYONE,
    "main.manifest": EVERYONE,
    "main.service_worker": EVERYONE,
    # Anyone signed in: their own things, boards, lists of what they may see
    "main.home": SIGNED_IN,
    "auth.change_password": SIGNED_IN,
    "auth.tokens": SIGNED_IN,
    "api.me": SIGNED_IN,
    "api.openapi": SIGNED_IN,
    "api.docs": SIGNED_IN,
    "api.contribution": SIGNED_IN,
    "api.officer_progress": SIGNED_IN,
    "api.areas_on": SIGNED_IN,
    "api.officer_leaderboard": SIGNED_IN,
    "api.area_leaderboard": SIGNED_IN,
    "api.board_picker": SIGNED_IN,
    "api.search_households": SIGNED_IN,
    "boards.officers": SIGNED_IN,
    "boards.areas": SIGNED_IN,
    "boards.area": SIGNED_IN,
    "boards.orgs": SIGNED_IN,
    "boards.dashboard": SIGNED_IN,
    "boards.export": SIGNED_IN,
    "outreach.org": SIGNED_IN,
    "households.register": SIGNED_IN,
    "field.records": SIGNED_IN,
    "outreach.renewals": SIGNED_IN,
    "outreach.sessions": SIGNED_IN,
    # Field work: officers, supervisors and admins; leaders only read
    "field.new_contact": FIELD,
    "field.new_enrollment": FIELD,
    "outreach.new_session": FIELD,
    "api.my_households": FIELD,
    "api.household_duplicates": FIELD,
    "main.offline": FIELD,  # the service worker's page for a page never cached
    # Someone's own records and the people above them
    "field.edit_contact": OWNER,
    "field.edit_enrollment": OWNER,
    "field.confirm_delete_contact": OWNER,
    "field.confirm_delete_enrollment": OWNER,
    "team.officer": OWNERS_LINE,
    "households.detail": OWNERS_LINE,
    "targets.history": OWNERS_LINE,
    # Teams
    "team.team": TEAM_READERS,
    "outreach.handovers": TEAM_READERS,
    "outreach.handover": SUPERVISOR_AND_READERS,
    "outreach.handover_export": SUPERVISOR_AND_READERS,
    "targets.team": OWN_SUPERVISOR,
    # Reviews, imports, duplicates: supervisors and admins
    "outreach.prospects": SUPERVISORS,
    "households.duplicates": SUPERVISORS,
    "outreach.imports": SUPERVISORS,
    "outreach.import_template": SUPERVISORS,
    "outreach.import_job": OWN_SUPERVISOR,
    "outreach.import_job_progress": OWN_SUPERVISOR,
    # The insurer's books: supervisors of the office resolve, leaders read
    "books.reconciliation": TEAM_READERS,
    "books.record": SUPERVISOR_AND_READERS,
    "books.enrollment": SUPERVISOR_AND_READERS,
    "books.import_list": SUPERVISORS,
    "books.list_template": SUPERVISORS,
    "books.list_job_page": NOBODY,  # the world's job is a households import, not a list
    "books.list_job_progress": NOBODY,
    # Leadership
    "targets.areas": LEADERS,
    "admin.audit": LEADERS,
    # Administration
    "admin.users": ADMIN,
    "admin.new_user": ADMIN,
    "admin.edit_user": ADMIN,
    "admin.areas": ADMIN,
    "admin.new_area": ADMIN,
    "admin.edit_area": ADMIN,
    "admin.offices": ADMIN,
    "admin.new_office": ADMIN,
    "admin.edit_office": ADMIN,
    "admin.collection_orgs": ADMIN,
    "admin.new_collection_org": ADMIN,
    "admin.edit_collection_org": ADMIN,
    "admin.reorganisations": ADMIN,
    "admin.new_reorganisation": ADMIN,
    "admin.rules": ADMIN,
    "admin.settings": ADMIN,
}

# Pages that answer an allowed visitor with something else than the page, by design.
ANSWERS_OTHERWISE: dict[tuple[str, str], int] = {
    **{("auth.login", persona): 302 for persona in SIGNED_IN},  # already signed in: sent home
}

WRITE_ACCESS: dict[tuple[str, str], frozenset[str]] = {
    ("POST", "auth.login"): EVERYONE,
    ("POST", "auth.set_language"): EVERYONE,
    ("POST", "auth.logout"): SIGNED_IN,
    ("POST", "auth.change_password"): SIGNED_IN,
    ("POST", "auth.tokens"): SIGNED_IN,
    ("POST", "auth.revoke_token"): SIGNED_IN,
    ("POST", "api.post_contact"): FIELD,
    ("POST", "api.post_enrollment"): FIELD,
    ("POST", "field.new_contact"): FIELD,
    ("POST", "field.new_enrollment"): FIELD,
    ("POST", "outreach.new_session"): FIELD,
    ("POST", "field.edit_contact"): OWNER,
    ("POST", "field.edit_enrollment"): OWNER,
    ("POST", "field.delete_contact"): OWNER,
    ("POST", "field.restore_contact"): OWNER,
    ("POST", "field.delete_enrollment"): OWNER,
    ("POST", "field.restore_enrollment"): OWNER,
    ("POST", "outreach.renew"): frozenset({"officer", "supervisor", "admin"}),
    ("PUT", "api.put_target"): OWN_SUPERVISOR,  # `officer`'s target
    ("POST", "targets.team"): OWN_SUPERVISOR,
    ("POST", "targets.areas"): LEADERS,
    ("POST", "targets.reopen"): LEADERS,
    ("POST", "outreach.prospects"): SUPERVISORS,
    ("POST", "households.merge"): SUPERVISORS,
    ("POST", "outreach.imports"): SUPERVISORS,
    ("POST", "outreach.commit_import"): OWN_SUPERVISOR,
    ("POST", "books.import_list"): SUPERVISORS,
    ("POST", "books.commit_list"): NOBODY,  # the world's job is a households import
    ("POST", "books.record"): OWN_SUPERVISOR,
    ("POST", "books.enrollment"): OWN_SUPERVISOR,
    ("POST", "admin.new_user"): ADMIN,
    ("POST", "admin.edit_user"): ADMIN,
    ("POST", "admin.reset_password"): ADMIN,
    ("POST", "admin.new_area"): ADMIN,
    ("POST", "admin.edit_area"): ADMIN,
    ("POST", "admin.new_office"): ADMIN,
    ("POST", "admin.edit_office"): ADMIN,
    ("POST", "admin.new_collection_org"): ADMIN,
    ("POST", "admin.edit_collection_org"): ADMIN,
    ("POST", "admin.new_reorganisation"): ADMIN,
    ("POST", "admin.reorganisation_file"): ADMIN,
    ("POST", "admin.apply_reorganisation"): ADMIN,
    ("POST", "admin.undo_reorganisation"): ADMIN,
    ("POST", "admin.add_basis_rule"): ADMIN,
    ("POST", "admin.withdraw_basis_rule"): ADMIN,
    ("POST", "admin.add_support_rule"): ADMIN,
    ("POST", "admin.withdraw_support_rule"): ADMIN,
    ("POST", "admin.settings"): ADMIN,
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
    contact = make_contact(officer, ward, local_today(), household=household)
    enrollment = make_enrollment(officer, ward, local_today())
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
        listed_on=local_today(),
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
        "far_id": far.id,
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


def routes(app, methods):
    for rule in sorted(app.url_map.iter_rules(), key=lambda r: (r.rule, r.endpoint)):
        for method in sorted(rule.methods & set(methods)):
            if rule.endpoint != "static":
                yield method, rule


def may(persona: str, method: str, endpoint: str) -> bool:
    """What the tables above say (for other suites that walk every route)."""
    table = GET_ACCESS[endpoint] if method == "GET" else WRITE_ACCESS[(method, endpoint)]
    return persona in table


def sign_in(client, persona: str) -> None:
    if PERSONAS[persona] is not None:
        response = client.post("/login", data={"username": persona, "password": "correct-horse-9"})
        assert response.status_code == 302


def refused(persona: str, status: int) -> bool:
    """Anonymous visitors are sent to sign in (or get 401 from the API); others get 403."""
    return status in ((302, 401) if PERSONAS[persona] is None else (403,))


def target_body(world) -> dict:
    return {
        "subject": "officer",
        "id": world["officer_id"],
        "metric": "contacts",
        "period": "2024",
        "value": 7,
    }


def test_the_matrix_names_every_route_and_no_other(app):
    """A new route must be added to the tables above by someone who decided who may use it."""
    gets = {rule.endpoint for _, rule in routes(app, {"GET"})}
    writes = {(method, rule.endpoint) for method, rule in routes(app, {"POST", "PUT", "DELETE"})}
    assert sorted(gets - set(GET_ACCESS)) == [], "GET routes missing from GET_ACCESS"
    assert sorted(set(GET_ACCESS) - gets) == [], "GET_ACCESS names routes that do not exist"
    assert sorted(writes - set(WRITE_ACCESS)) == [], "writes missing from WRITE_ACCESS"
    assert sorted(set(WRITE_ACCESS) - writes) == [], "WRITE_ACCESS names writes that do not exist"


@pytest.mark.parametrize("persona", PERSONAS)
def test_every_get_route(world, app, client, persona):
    """Who may open a page gets it (200); everyone else is refused, never shown it."""
    sign_in(client, persona)
    failures = []
    for _, rule in routes(app, {"GET"}):
        url = url_for_rule(rule, world)
        response = client.get(url)
        status = response.status_code
        response.close()
        if persona in GET_ACCESS[rule.endpoint]:
            wanted = ANSWERS_OTHERWISE.get((rule.endpoint, persona), 200)
            if status != wanted:
                failures.append(f"{url}: {persona} may open it, wanted {wanted}, got {status}")
        elif not refused(persona, status):
            failures.append(f"{url}: {persona} may not open it, got {status}")
    assert failures == []


@pytest.mark.parametrize("persona", PERSONAS)
def test_every_write_route(world, app, client, persona):
    """Writes sent with no fields: who may not is refused before anything is read; who may
    reaches the view, which answers with its own validation (never 401, 403 or 5xx)."""
    sign_in(client, persona)
    failures = []
    for method, rule in routes(app, {"POST", "PUT"}):
        if rule.endpoint == "auth.logout":
            continue  # signs the persona out for the rest of the walk; tested on its own
        url = url_for_rule(rule, world)
        body = {"json": target_body(world)} if rule.endpoint == "api.put_target" else {"data": {}}
        status = client.open(url, method=method, **body).status_code
        if persona in WRITE_ACCESS[(method, rule.endpoint)]:
            if status in (401, 403) or status >= 500:
                failures.append(f"{method} {url}: {persona} may send it, got {status}")
        elif not refused(persona, status):
            failures.append(f"{method} {url}: {persona} may not send it, got {status}")
    assert failures == []


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


# Allowed writes, sent in full: who may changes the record; who may not is refused and changes
# nothing. (The walk above sends empty forms, which only reach the view's validation.)


def _deleted(model, record_id) -> bool:
    db.session.expire_all()
    return db.session.get(model, record_id).deleted_at is not None


@pytest.mark.parametrize("persona", PERSONAS)
@pytest.mark.parametrize(
    "model,path", [(Contact, "/contacts/{id}"), (Enrollment, "/enrollments/{id}")]
)
def test_deleting_and_restoring_a_record(world, client, persona, model, path):
    sign_in(client, persona)
    record_id = world["contact_id" if model is Contact else "enrollment_id"]
    deleted = client.post(path.format(id=record_id) + "/delete")
    may = persona in WRITE_ACCESS[("POST", f"field.delete_{model.__name__.lower()}")]
    if not may:
        assert refused(persona, deleted.status_code) and not _deleted(model, record_id)
        return
    assert deleted.status_code == 302 and _deleted(model, record_id)
    restored = client.post(path.format(id=record_id) + "/restore")
    assert restored.status_code == 302 and not _deleted(model, record_id)


@pytest.mark.parametrize("persona", PERSONAS)
def test_editing_a_contact(world, client, persona):
    sign_in(client, persona)
    form = {
        "client_token": "edit-1",
        "area_id": world["area_id"],
        "household_id": world["household_id"],
        "contacted_on": local_today().isoformat(),
        "channel": "home_visit",
        "outcome": "interested",
        "people_reached": 1,
        "notes": "edited by " + persona,
    }
    response = client.post(f"/contacts/{world['contact_id']}/edit", data=form)
    db.session.expire_all()
    notes = db.session.get(Contact, world["contact_id"]).notes
    if persona in WRITE_ACCESS[("POST", "field.edit_contact")]:
        assert response.status_code == 302 and notes == "edited by " + persona
    else:
        assert refused(persona, response.status_code) and not notes.startswith("edited")


@pytest.mark.parametrize("persona", PERSONAS)
def test_setting_an_officers_target(world, client, persona):
    sign_in(client, persona)
    response = client.put("/api/v1/targets", json=target_body(world))
    db.session.expire_all()
    current = db.session.query(Target).filter(
        Target.officer_id == world["officer_id"], Target.replaced_at.is_(None)
    )
    if persona in WRITE_ACCESS[("PUT", "api.put_target")]:
        assert response.status_code == 200 and [t.value for t in current] == [7]
    else:
        assert refused(persona, response.status_code) and [t.value for t in current] == [9]


@pytest.mark.parametrize("persona", PERSONAS)
def test_logging_a_contact_through_the_api(world, client, persona):
    """Each field persona logs in a ward of their own (an admin anywhere)."""
    sign_in(client, persona)
    ward = world["far_id" if persona in ("other_officer", "other_supervisor") else "area_id"]
    before = db.session.query(Contact).count()
    response = client.post(
        "/api/v1/contacts",
        json={
            "client_token": f"matrix-{persona}",
            "area": ward,
            "contacted_on": local_today().isoformat(),
            "channel": "phone",
            "outcome": "informed",
            "people_reached": 1,
        },
    )
    after = db.session.query(Contact).count()
    if persona in ("officer", "other_officer", "admin"):
        assert response.status_code == 201 and after == before + 1
    elif persona in WRITE_ACCESS[("POST", "api.post_contact")]:
        # supervisors log fieldwork, but only in wards of their own: these two have none
        assert response.status_code == 422 and after == before
    else:
        assert refused(persona, response.status_code) and after == before


@pytest.mark.parametrize("persona", PERSONAS)
def test_resetting_someone_elses_password(world, client, persona):
    sign_in(client, persona)
    response = client.post(
        f"/admin/users/{world['officer_id']}/password",
        data={"reset-new_password": "a-new-password-42"},
    )
    db.session.expire_all()
    changed = db.session.get(User, world["officer_id"]).check_password("a-new-password-42")
    if persona in WRITE_ACCESS[("POST", "admin.reset_password")]:
        assert response.status_code == 302 and changed
    else:
        assert refused(persona, response.status_code) and not changed


@pytest.mark.parametrize("persona", sorted(SIGNED_IN))
def test_revoking_tokens_own_and_someone_elses(world, client, persona):
    officer = db.session.get(User, world["officer_id"])
    theirs = ApiToken(user_id=officer.id, name="phone", token_hash="0" * 64)
    db.session.add(theirs)
    db.session.commit()
    sign_in(client, persona)
    assert client.post("/account/tokens", data={"name": "laptop"}).status_code in (200, 302)
    mine = db.session.query(ApiToken).filter(ApiToken.name == "laptop").one()
    assert client.post(f"/account/tokens/{mine.id}/revoke").status_code == 302
    if persona != "officer":
        assert client.post(f"/account/tokens/{theirs.id}/revoke").status_code == 404
    db.session.expire_all()
    assert db.session.get(ApiToken, mine.id).revoked_at is not None
    assert db.session.get(ApiToken, theirs.id).revoked_at is None
