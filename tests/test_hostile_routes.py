"""Every route, every query argument, form field and JSON field, every class of hostile input the
outside probe used (tests/hostile.py): never a server error, and a refusal writes nothing (a
4xx, or a redirect that flashes a refusal).

test_every_route_survives_every_class, per route: each class in every field at once (as an
administrator each value of each class, on every route; as an officer each class with its values
spread over the fields, on the routes an officer may use), then the path's own arguments, then
hostile query arguments on the routes that write (beside a plausible form), then Hypothesis
mixing hostile values with plausible ones field by field.

test_one_hostile_field_among_valid_ones: every form and JSON route that writes records, from a
submission checked to be accepted, with one field at a time hostile and the others valid, so
that the value reaches the code that only runs once everything else is right; the rows a
reorganisation preview sends back (JSON inside a form field) are varied key by key.

test_every_upload_route_survives_hostile_files: CSV cells of every class one column at a time,
typed XLSX cells, XML entities, a declared dimension of a million rows, bytes that are not UTF-8;
an import's preview that is accepted is committed too (a 20-digit count once passed the preview
and failed in the commit).

On SQLite and PostgreSQL. test_the_lists_name_every_input keeps the lists below complete."""

from __future__ import annotations

import copy
import csv
import io
import json
import re
import zipfile
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from openpyxl import Workbook
from sqlalchemy import func, select

from tests.hostile import (
    HOSTILE_TEXT,
    JSON_EXTRAS,
    JSON_VALUE,
    TEXT_CLASSES,
    form_body,
    json_body,
    query_string,
)
from tests.test_access_matrix import (  # noqa: F401
    _before_2024,
    may,
    routes,
    sign_in,
    url_for_rule,
    world,
)
from tracker import jobs
from tracker.extensions import db
from tracker.models import Area, ImportJob, Reorganisation
from tracker.services.reconciliation.listfile import COLUMNS as LIST_COLUMNS
from tracker.services.reorganisation.mapping import COLUMNS as MAPPING_COLUMNS

ROOT = Path(__file__).resolve().parent.parent
TODAY = datetime.now(ZoneInfo("Asia/Ho_Chi_Minh")).date().isoformat()
NOT_COUNTED = {"alembic_version", "health_checks"}  # /readyz rewrites its row by design
JSON_ROUTES = {
    "api.post_contact": [
        "client_token",
        "area",
        "household",
        "contacted_on",
        "channel",
        "outcome",
        "people_reached",
        "follow_up_on",
        "notes",
        "session",
        "new_household",
    ],
    "api.post_enrollment": [
        "client_token",
        "area",
        "household",
        "participant_name",
        "enrolled_on",
        "scheme",
        "category",
        "citizen_id",
        "birth_date",
        "social_insurance_number",
        "income_basis",
        "payment_period",
        "months_paid",
        "collection_org",
        "session",
    ],
    "api.put_target": ["subject", "id", "metric", "period", "value", "note", "scheme"],
}
NEW_HOUSEHOLD_FIELDS = ["head_name", "address", "phone", "category"]
NEW_PASSWORD = "a-much-better-one"  # what plausible values change a password to
SKIPPED = {"auth.logout"}  # would end the session the other examples run in


def query_plausible(ids: dict) -> dict[str, str]:
    return {
        "area": str(ids["area_id"]),
        "officer": str(ids["officer_id"]),
        "team": str(ids["supervisor"]),
        "supervisor": str(ids["supervisor"]),
        "parent": str(ids["area_id"]),
        "org": str(ids["org_id"]),
        "actor": str(ids["officer_id"]),
        "contact": str(ids["contact_id"]),
        "period": "2024",
        "from": "2024-01-01",
        "to": "2024-03-31",
        "metric": "new_participants",
        "category": "trader",
        "status": "prospect",
        "q": "nguyen",
        "kind": "contacts",
        "grain": "month",
        "year": "2024",
        "channel": "phone",
        "outcome": "informed",
        "page": "2",
        "action": "update",
        "entity": "contact",
        "next": "/records",
        "on": "2024-06-01",
        "scheme": "voluntary_si",
        "office": str(ids["office_id"]),
        "units": "current",
        "payment_period": "1",
        "income_basis": "1500000",
        "months": "12",
        "support_used": "0",
        "window": "30",
        "match": "name",
        "deleted": str(ids["contact_id"]),
        "name": "Nguyễn Văn A",
        "phone": "0912345678",
        "address": "Số 5, Kim Tân",
    }


def form_plausible(ids: dict) -> dict[str, str]:
    ward, officer, household = str(ids["area_id"]), str(ids["officer_id"]), str(ids["household_id"])
    return {
        "client_token": "hostile-token",
        "birth_date": "1980-05-17",
        "social_insurance_number": "1500000001",
        "listed_on": TODAY,
        "credit_confirmed_only": "y",
        "office": str(ids["office_id"]),
        "enrollment": "1",
        "record": "1",
        "area_id": ward,
        "area_ids": ward,
        "primary_area_id": ward,
        "parent_id": ward,
        "household_id": household,
        "household": household,
        "household_query": "Nguyễn",
        "keep": household,
        "remove": household,
        "officer_id": officer,
        "officer": officer,
        "supervisor_id": str(ids["supervisor"]),
        "collection_org_id": str(ids["org_id"]),
        "session_id": "",
        "contacted_on": TODAY,
        "enrolled_on": TODAY,
        "held_on": TODAY,
        "renewed_on": TODAY,
        "follow_up_on": TODAY,
        "month": TODAY[:7],
        "channel": "phone",
        "outcome": "informed",
        "people_reached": "1",
        "participant_name": "Nguyễn Văn B",
        "citizen_id": "001234567890",
        "scheme": "voluntary_si",
        "category": "other",
        "payment_period": "1",
        "income_basis": "1500000",
        "lump_sum_years": "1",
        "create_household": "y",
        "new_head_name": "Hộ Mới",
        "new_address": "Tổ 1",
        "new_phone": "0912345678",
        "new_category": "other",
        "new_different_person": "y",
        "notes": "ghi chú",
        "note": "ghi chú",
        "title": "Buổi tuyên truyền",
        "kind": "awareness",
        "starts_at": "19:30",
        "partner_org": "Hội Phụ nữ",
        "attendees": "10",
        "months": "3",
        "action": "save",
        "spread_method": "even",
        "weights": "1,1,1,1,1,1,1,1,1,1,1,1",
        "basis": "0" * 64,  # a target grid's fingerprint when its preview was shown
        "bulk_value": "5",
        "bulk_period": "2024",
        f"cell-{officer}-2024": "12",
        f"org-cell-{ids['org_id']}-2024": "3",
        f"cell-{ward}-2024": "400",
        "username": "nguoimoi",
        "full_name": "Người Mới",
        "role": "officer",
        "locale": "vi",
        "active": "y",
        "code": "NEW-1",
        "name": "Tên mới",
        "households": "100",
        "working_age_population": "500",
        "password": "correct-horse-9",
        "current_password": "correct-horse-9",
        "new_password": NEW_PASSWORD,
        "reset-new_password": NEW_PASSWORD,
        "confirm": NEW_PASSWORD,
        "remember": "y",
        "next": "/records",
        "file": "",
        "office_id": str(ids["office_id"]),
        "valid_from": "2024-01-01",
        "valid_to": "",
        "effective_on": TODAY,
        "source": "Nghị quyết",
        "old": ward,
        "into": "",
        "new_code": "N-1",
        "new_name": "Phường Mới",
        "new_kind": "ward",
        "parent": "",
        "parts": "N-1; Phường A; 60\nN-2; Phường B; 40",
        "add_codes": "A1",
        "add_on": TODAY,
        "rows": "[]",
        "period": "2024",
        "reason": "Sửa số liệu",
        "back": "/targets/areas",
        "lapse_grace_days": "30",
        "method": "1",
        "contribution_percent": "22",
        "minimum_basis": "1500000",
        "maximum_basis": "46800000",
        "last_day": "",
        "poor": "30",
        "near_poor": "25",
        "ethnic_minority": "30",
        "other": "10",
    }


def json_plausible(ids: dict) -> dict:
    return {
        "client_token": "hostile-json",
        "area": ids["area_id"],
        "household": ids["household_id"],
        "contacted_on": TODAY,
        "enrolled_on": TODAY,
        "follow_up_on": TODAY,
        "channel": "phone",
        "outcome": "informed",
        "people_reached": 1,
        "notes": "",
        "session": None,
        "participant_name": "Nguyễn Văn C",
        "scheme": "voluntary_si",
        "category": "other",
        "citizen_id": "001234567891",
        "birth_date": "1980-05-17",
        "social_insurance_number": "1500000001",
        "income_basis": 1_500_000,
        "payment_period": "1",
        "months_paid": 12,
        "collection_org": ids["org_id"],
        "subject": "officer",
        "id": ids["officer_id"],
        "metric": "contacts",
        "period": "2024",
        "value": 5,
        "note": "",
        "new_household": {"head_name": "Hộ", "address": "", "phone": None, "category": "other"},
    }


COUNTED = [t for t in db.metadata.sorted_tables if t.name not in NOT_COUNTED]
# Every table's count in one statement: one round trip per request, not one per table.
ROW_COUNTS = select(
    *(select(func.count()).select_from(t).scalar_subquery().label(t.name) for t in COUNTED)
)


def row_counts() -> dict[str, int]:
    db.session.expire_all()
    return dict(db.session.execute(ROW_COUNTS).one()._mapping)


class Probe:
    """Sends one request and records what broke: a 5xx, or a refusal that wrote rows. A
    refusal is a 4xx, or a redirect whose flashed message is a refusal ("danger"): several
    forms answer a refused submission by going back to their page."""

    def __init__(self, client):
        self.client, self.failures = client, []

    def send(self, method: str, url: str, label: str, query=None, form=None, body=None, files=None):
        """The response's status, and whether it was a refusal."""
        if query:
            url += ("&" if "?" in url else "?") + query_string(query)
        before = row_counts()
        try:
            response = self._open(method, url, form, body, files)
        except Exception as error:  # noqa: BLE001 - the test client raises what gunicorn answers 500
            self.failures.append(f"{label}: {method} {url[:160]} -> {error!r:.300}")
            db.session.rollback()
            return 500, True
        status = response.status_code
        response.close()
        refused = status >= 400 or (status == 302 and self._flashed_a_refusal())
        if status >= 500:
            self.failures.append(f"{label}: {method} {url[:160]} -> {status}")
        elif refused and row_counts() != before:
            self.failures.append(f"{label}: {method} {url[:160]} -> {status}, refused, wrote rows")
        return status, refused

    def _open(self, method, url, form, body, files):
        if body is not None:
            return self.client.open(
                url, method=method, data=json_body(body), content_type="application/json"
            )
        if files is not None:
            return self.client.open(
                url,
                method=method,
                data={**(form or {}), **files},
                content_type="multipart/form-data",
            )
        if method == "GET":
            return self.client.open(url, method=method)
        return self.client.open(
            url,
            method=method,
            data=form_body(form or {}),
            content_type="application/x-www-form-urlencoded",
        )

    def _flashed_a_refusal(self) -> bool:
        """Whether the redirect flashed a refusal; the messages are taken, so that the next
        redirect is judged by its own."""
        with self.client.session_transaction() as session:
            flashed = session.pop("_flashes", [])
        return any(category == "danger" for category, _message in flashed)


def keep_signed_in(client, persona: str) -> None:
    """Sign in again as `persona` if a request ended the session or changed who is signed in:
    plausible values change the password (which ends every session) and sign in as a user the
    probe created, and the rest of the run would test someone else."""
    response = client.get("/api/v1/me")
    if response.status_code == 200 and response.json["username"] == persona:
        return
    client.post("/logout")
    for password in ("correct-horse-9", NEW_PASSWORD):
        signed_in = client.post("/login", data={"username": persona, "password": password})
        if signed_in.status_code == 302:
            return
    raise AssertionError(f"{persona} can no longer sign in")


def every_route(app, methods=("GET", "POST", "PUT")):
    for method, rule in routes(app, set(methods)):
        if rule.endpoint not in SKIPPED:
            yield method, rule


def _path_variants(rule, ids):
    """The route's URL with each path argument replaced by hostile text in turn (int arguments
    get numbers beyond the database's integer and Unicode digits)."""
    for name in rule.arguments:
        if name in ("kind", "extension"):
            continue
        for value in ("99999999999999999999", "²", "a\x00b", "%2e%2e"):
            yield url_for_rule(rule, {**ids, name: value})


def spread(names, values: list, shift: int = 0) -> dict:
    """Each name gets one of `values` in turn, so a single request carries every value of a
    class once there are as many names as values."""
    return {name: values[(index + shift) % len(values)] for index, name in enumerate(names)}


SETTINGS = settings(
    max_examples=6,
    deadline=None,
    database=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)


def mixed(probe: Probe, method: str, url: str, label: str, is_json: bool, strategy) -> None:
    """Hypothesis's examples for one route: hostile and plausible values, field by field."""

    @SETTINGS
    @given(values=strategy)
    def attempt(values):
        if is_json:
            probe.send(method, url, label, body=values)
        elif method == "GET":
            probe.send(method, url, label, query=values)
        else:
            probe.send(method, url, label, form=values)

    attempt()


def every_field_at_once(probe, method, rule, url, plausible, each_value: bool) -> None:
    """Each class in every field of the route at once: one request per value of the class
    (every field the same value), or one per class with its values spread over the fields."""
    query_good, form_good, _json_good = plausible
    label = rule.endpoint
    for values in TEXT_CLASSES.values():
        for chosen in [[value] for value in values] if each_value else [values]:
            if rule.endpoint in JSON_ROUTES:
                body = spread(JSON_ROUTES[rule.endpoint], chosen)
                body["new_household"] = spread(NEW_HOUSEHOLD_FIELDS, chosen, 1)
                probe.send(method, url, label, body=body)
            elif method == "GET":
                probe.send(method, url, label, query=spread(query_good, chosen))
            else:
                probe.send(method, url, label, form=spread(form_good, chosen))


def hostile_query_on_a_write(probe, method, rule, url, plausible) -> None:
    """A route that writes reads its query string too (`?supervisor=`, `?year=`, `?next=`):
    each class spread over every query argument, beside a plausible form or body."""
    query_good, form_good, json_good = plausible
    for values in TEXT_CLASSES.values():
        query = spread(query_good, values)
        if rule.endpoint in JSON_ROUTES:
            probe.send(method, url, rule.endpoint, query=query, body=json_good)
        else:
            probe.send(method, url, rule.endpoint, query=query, form=form_good)


def hypothesis_strategy(rule, method, plausible):
    query_good, form_good, json_good = plausible
    if rule.endpoint in JSON_ROUTES:
        fields = {
            name: st.one_of(JSON_VALUE, st.just(json_good[name]))
            for name in JSON_ROUTES[rule.endpoint]
        }
        return st.fixed_dictionaries({}, optional=fields)
    good = query_good if method == "GET" else form_good
    return st.fixed_dictionaries(
        {}, optional={k: st.one_of(HOSTILE_TEXT, st.just(v)) for k, v in good.items()}
    )


@pytest.mark.parametrize("persona", ["admin", "officer"])
def test_every_route_survives_every_class(world, app, client, persona):  # noqa: F811
    sign_in(client, persona)
    probe = Probe(client)
    plausible = (query_plausible(world), form_plausible(world), json_plausible(world))
    for method, rule in every_route(app):
        url = url_for_rule(rule, world)
        if persona == "admin" or may(persona, method, rule.endpoint):
            keep_signed_in(client, persona)
            every_field_at_once(probe, method, rule, url, plausible, each_value=persona == "admin")
            for variant in _path_variants(rule, world):
                probe.send(method, variant, rule.endpoint)
            if method != "GET":
                keep_signed_in(client, persona)
                hostile_query_on_a_write(probe, method, rule, url, plausible)
        keep_signed_in(client, persona)
        strategy = hypothesis_strategy(rule, method, plausible)
        mixed(probe, method, url, rule.endpoint, rule.endpoint in JSON_ROUTES, strategy)
    assert probe.failures == [], "\n".join(probe.failures[:40])


@dataclass
class Submission:
    """A submission a route accepts, to vary one field at a time. `rows` names a form field
    holding JSON rows whose keys are varied too; `fresh` are fields given a new value on every
    request (a client token or a citizen ID seen before would answer before the rest is
    judged); `undo` names the route that undoes an accepted one, so the next starts alike;
    `vary`, when given, limits the fields varied to those another submission does not vary
    already."""

    label: str
    persona: str
    method: str
    url: str
    values: dict
    is_json: bool = False
    rows: str | None = None
    fresh: tuple[str, ...] = ("client_token",)
    undo: str | None = None
    vary: tuple[str, ...] = ()

    def fields(self) -> list[tuple[str, ...]]:
        """Each field's path: a name, or (JSON field, key) inside a nested object or row."""
        paths = [(name,) for name in self.values if name != self.rows]
        if self.vary:
            paths = [(name,) for name in self.vary]
        if self.is_json and isinstance(self.values.get("new_household"), dict):
            paths.remove(("new_household",))
            paths += [("new_household", key) for key in self.values["new_household"]]
        if self.rows:
            paths += [(self.rows, key) for key in self.values[self.rows][0]]
        return paths

    def in_json(self, path: tuple[str, ...]) -> bool:
        """Whether the field travels as JSON, where numbers, lists and objects can stand in it."""
        return self.is_json or path[0] == self.rows

    def with_value(self, path: tuple[str, ...], value, serial: int) -> dict:
        values = copy.deepcopy(self.values)
        for name in self.fresh:
            if name in values:
                values[name] = f"{serial:012d}" if name == "citizen_id" else f"probe-{serial}"
        if not path:
            pass  # the submission as it is
        elif len(path) == 1:
            values[path[0]] = value
        elif path[0] == self.rows:
            values[self.rows][0][path[1]] = value
        else:
            values[path[0]][path[1]] = value
        if self.rows:
            values[self.rows] = json.dumps(values[self.rows], ensure_ascii=True)
        return values


def valid_submissions(ids: dict) -> list[Submission]:
    """Every form and JSON route that writes records, filled in as its user would."""
    ward = db.session.get(Area, ids["area_id"])
    officer, household = ids["officer_id"], str(ids["household_id"])
    contact = {
        "client_token": "",
        "area_id": str(ward.id),
        "household_id": household,
        "household_query": "",
        "contacted_on": TODAY,
        "channel": "phone",
        "outcome": "informed",
        "people_reached": "2",
        "follow_up_on": "",
        "notes": "ghi chú",
        "session_id": "",
    }
    new_household = {
        **contact,
        "household_id": "",
        "create_household": "y",
        "new_head_name": "Hộ Mới",
        "new_address": "Tổ 1",
        "new_phone": "0912345678",
        "new_category": "other",
    }
    enrollment = {
        "client_token": "",
        "area_id": str(ward.id),
        "household_id": household,
        "participant_name": "Nguyễn Văn B",
        "citizen_id": "",
        "enrolled_on": TODAY,
        "scheme": "voluntary_si",
        "category": "other",
        "income_basis": "",
        "payment_period": "1",
        "lump_sum_years": "",
        "collection_org_id": str(ids["org_id"]),
        "session_id": "",
    }
    session = {
        "area_id": str(ward.id),
        "kind": "awareness",
        "title": "Buổi tuyên truyền",
        "held_on": TODAY,
        "starts_at": "19:30",
        "partner_org": "Hội Phụ nữ",
        "attendees": "10",
        "notes": "",
    }
    api_contact = {
        **{k: v for k, v in json_plausible(ids).items() if k in JSON_ROUTES["api.post_contact"]},
        "new_household": {"head_name": "Hộ", "address": "", "phone": None, "category": "other"},
    }
    api_contact.pop("household")
    api_enrollment = {
        k: v for k, v in json_plausible(ids).items() if k in JSON_ROUTES["api.post_enrollment"]
    }
    api_enrollment["income_basis"] = None
    team = f"/targets/team?supervisor={ids['supervisor']}&year=2024"
    cells = {f"cell-{officer}-2024": "12", f"cell-{officer}-2024-01": "1", "note": "ghi chú"}
    spread_year = {
        "action": "spread",
        "officer": str(officer),
        f"cell-{officer}-2024": "24",
        "spread_method": "even",
        "weights": "",
        "note": "",
    }
    bulk = {"action": "value", "officer": str(officer), "bulk_value": "5", "bulk_period": "2024"}
    areas = {
        f"cell-{ward.id}-2024": "400",
        f"org-cell-{ids['org_id']}-2024": "3",
        "note": "ghi chú",
    }
    rename = {
        "line": 2,
        "old_code": ward.code,
        "new_code": ward.code,
        "new_name": "Kim Tân Mới",
        "kind": ward.kind,
        "parent": ward.parent.code,
        "effective_date": TODAY,
        "share": "100",
    }
    reorganisation = {
        "rows": [rename],
        "action": "apply",
        "source": "Nghị quyết",
        f"household-{household}": ward.code,
        "household-²": ward.code,
        "household-" + "9" * 20: ward.code,
    }
    return [
        Submission("contact", "officer", "POST", "/contacts/new", contact),
        Submission(
            "contact, new household",
            "officer",
            "POST",
            "/contacts/new",
            new_household,
            vary=("household_id", *(name for name in new_household if name not in contact)),
        ),
        Submission(
            "contact edited",
            "officer",
            "POST",
            f"/contacts/{ids['contact_id']}/edit",
            {**contact, "client_token": "kept"},
            fresh=(),
        ),
        Submission(
            "enrollment",
            "officer",
            "POST",
            "/enrollments/new",
            enrollment,
            fresh=("client_token", "citizen_id"),
        ),
        Submission("session", "officer", "POST", "/sessions/new", session, fresh=()),
        Submission("api contact", "officer", "POST", "/api/v1/contacts", api_contact, True),
        Submission(
            "api enrollment",
            "officer",
            "POST",
            "/api/v1/enrollments",
            api_enrollment,
            True,
            fresh=("client_token", "citizen_id"),
        ),
        Submission(
            "api target",
            "admin",
            "PUT",
            "/api/v1/targets",
            {k: v for k, v in json_plausible(ids).items() if k in JSON_ROUTES["api.put_target"]},
            True,
            fresh=(),
        ),
        Submission("team targets", "admin", "POST", team, {"action": "save", **cells}, fresh=()),
        Submission(
            "team targets spread",
            "admin",
            "POST",
            team,
            spread_year,
            fresh=(),
            vary=("action", "officer", "spread_method", "weights"),
        ),
        Submission("team targets one value", "admin", "POST", team, bulk, fresh=()),
        Submission("area targets", "admin", "POST", "/targets/areas?year=2024", areas, fresh=()),
        Submission(
            "reorganisation",
            "admin",
            "POST",
            "/admin/reorganisations/apply",
            reorganisation,
            rows="rows",
            fresh=(),
            undo="/admin/reorganisations/{id}/undo",
        ),
    ]


def latest_reorganisation() -> int | None:
    return db.session.scalar(select(func.max(Reorganisation.id)))


def undo_if_applied(probe: Probe, submission: Submission, before: int | None) -> None:
    """A reorganisation the request applied is undone, so the next request finds the units
    as the submission expects them (and not already ended)."""
    latest = latest_reorganisation()
    if latest is not None and latest != before:
        url = submission.undo.format(id=latest)
        status, refused = probe.send("POST", url, f"{submission.label}: undo")
        if refused:
            probe.failures.append(f"{submission.label}: undoing {latest} was refused ({status})")


@pytest.mark.parametrize("persona", ["admin", "officer"])
def test_one_hostile_field_among_valid_ones(world, app, client, persona):  # noqa: F811
    """A field behind another that fails is never read: here each field of an accepted
    submission holds each value of each class in turn (and JSON's numbers and shapes on JSON
    routes), the others staying as they were."""
    sign_in(client, persona)
    probe = Probe(client)
    serial = 0
    for submission in valid_submissions(world):
        if submission.persona != persona:
            continue
        texts = [value for values in TEXT_CLASSES.values() for value in values]
        attempts = [((), None)] + [
            (path, value)
            for path in submission.fields()
            for value in texts + (JSON_EXTRAS if submission.in_json(path) else [])
        ]
        for path, value in attempts:
            serial += 1
            values = submission.with_value(path, value, serial)
            applied_before = latest_reorganisation()
            if submission.is_json:
                status, refused = probe.send(
                    submission.method, submission.url, submission.label, body=values
                )
            else:
                status, refused = probe.send(
                    submission.method, submission.url, submission.label, form=values
                )
            if not path and refused:
                probe.failures.append(f"{submission.label}: the valid submission -> {status}")
            if submission.undo:
                undo_if_applied(probe, submission, applied_before)
        keep_signed_in(client, persona)
    assert probe.failures == [], "\n".join(probe.failures[:40])


def xlsx(rows: list[list], patch=None) -> bytes:
    """A workbook of `rows`, its sheet's XML rewritten by `patch` if given."""
    workbook = Workbook()
    for row in rows:
        workbook.active.append(row)
    buffer = io.BytesIO()
    workbook.save(buffer)
    if patch is None:
        return buffer.getvalue()
    source, out = zipfile.ZipFile(io.BytesIO(buffer.getvalue())), io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for item in source.infolist():
            data = source.read(item.filename)
            if item.filename == "xl/worksheets/sheet1.xml":
                data = patch(data.decode()).encode()
            target.writestr(item, data)
    return out.getvalue()


def with_entities(xml: str) -> str:
    doctype = '<!DOCTYPE x [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;">]>'
    return doctype + xml.replace("<v>", "<v>&b;", 1)


def a_million_rows(xml: str) -> str:
    return re.sub(r'<dimension ref="[^"]*"\s*/>', '<dimension ref="A1:XFD1048576"/>', xml)


def csv_of(rows: list[list[str]]) -> bytes:
    buffer = io.StringIO()
    csv.writer(buffer).writerows(rows)
    return buffer.getvalue().encode("utf-8", "surrogatepass")


# Typed cells only a workbook holds: numbers beyond any column, a float, a bool, old dates.
XLSX_CELLS = [10**20, 1e308, -(2**63), 3.5, True, datetime(1900, 1, 1), "²", "=1+1"]


def hostile_files(header: list[str], valid: list[str]):
    """(what, filename, bytes): the valid row with one column at a time holding each class
    (a lone surrogate goes as the bytes a broken program writes, which are not UTF-8), the
    typed cells of a workbook, and files that are not tables at all."""
    for column, name in enumerate(header):
        for values in TEXT_CLASSES.values():
            row = [*valid]
            row[column] = values[column % len(values)]
            yield f"{name}={row[column]!r}", "probe.csv", csv_of([header, row])
        row = [*valid]
        row[column] = XLSX_CELLS[column % len(XLSX_CELLS)]
        yield f"{name}={row[column]!r} (xlsx)", "probe.xlsx", xlsx([header, row])
    yield "typed cells", "probe.xlsx", xlsx([header, XLSX_CELLS[: len(header)]])
    yield "XML entities", "probe.xlsx", xlsx([header, valid], with_entities)
    yield "a million rows declared", "probe.xlsx", xlsx([header, valid], a_million_rows)
    yield "a CSV field over the csv module's limit", "probe.csv", csv_of([header, ["x" * 140_000]])
    yield "a stray quote", "probe.csv", (",".join(header) + '\n"unclosed,' + "\n").encode()
    yield "not UTF-8", "probe.csv", ",".join(header).encode() + b"\n\xff\xfe\x00\n"
    yield "a workbook that is not a zip", "probe.xlsx", b"PK\x03\x04 not really"
    yield "empty", "probe.csv", b""


def upload_routes(ids: dict) -> list[tuple[str, str, dict, list[str], list[str]]]:
    """(label, url, form, header, valid row) for every route that takes a file."""
    ward = db.session.get(Area, ids["area_id"])
    rename = [ward.code, ward.code, "Kim Tân Mới", ward.kind, ward.parent.code, TODAY, "100"]
    return [
        (
            "households import",
            "/imports",
            {"kind": "households"},
            ["ward_code", "head_name", "address", "phone", "category"],
            [ward.code, "Nguyễn Văn Mới", "Tổ 1", "0912345678", "other"],
        ),
        (
            "counts import",
            "/imports",
            {"kind": "counts"},
            ["area_code", "as_of", "participants", "source"],
            [ward.code, "2024-03-26", "462", "BHXH"],
        ),
        (
            "reorganisation file",
            "/admin/reorganisations/file",
            {"source": "Nghị quyết"},
            list(MAPPING_COLUMNS),
            rename,
        ),
        (
            "insurer's list",
            "/reconciliation/import",
            {"listed_on": TODAY, "office": str(ids["office_id"])},
            list(LIST_COLUMNS),
            [
                "1500000001",
                "010203004005",
                "Nguyễn Văn Mới",
                "1980-05-17",
                ward.code,
                "voluntary_si",
                "2026-01-01",
                "2026-12-31",
                "330000",
                "66000",
                "Bưu điện",
                "BL-1",
            ],
        ),
    ]


def commit_the_preview(probe: Probe, label: str, before: int | None) -> None:
    """An import previewed without problems is committed, and its job must not fail."""
    job = db.session.scalar(select(ImportJob).order_by(ImportJob.id.desc()).limit(1))
    if job is None or job.id == before or json.loads(job.preview).get("problems"):
        return
    commit = "/reconciliation/import" if job.kind == "insurer_list" else "/imports"
    probe.send("POST", f"{commit}/{job.id}/commit", f"{label}: commit")
    jobs.wait_for_threads()
    db.session.expire_all()
    job = db.session.get(ImportJob, job.id)
    if job.status == "failed":
        probe.failures.append(f"{label}: the commit of job {job.id} failed: {job.error}")


def test_every_upload_route_survives_hostile_files(world, app, client):  # noqa: F811
    sign_in(client, "admin")
    probe = Probe(client)
    for label, url, form, header, valid in upload_routes(world):
        files = [("the valid file", "probe.csv", csv_of([header, valid]))]
        for what, filename, data in files + list(hostile_files(header, valid)):
            last_job = db.session.scalar(select(func.max(ImportJob.id)))
            upload = {"file": (io.BytesIO(data), filename)}
            status, refused = probe.send("POST", url, f"{label}, {what}", form=form, files=upload)
            if what == "the valid file" and refused:
                probe.failures.append(f"{label}: the valid file -> {status}")
            if url in ("/imports", "/reconciliation/import") and not refused:
                commit_the_preview(probe, f"{label}, {what}", last_job)
    assert probe.failures == [], "\n".join(probe.failures[:40])


def test_the_lists_name_every_input(app):
    """Every query argument and form field the code reads, and every field of every form, is
    in the lists the probe sends (a new field joins the probe by being added there)."""
    from flask_wtf import FlaskForm
    from flask_wtf.file import FileField
    from wtforms.fields.core import UnboundField

    source = "\n".join(p.read_text() for p in (ROOT / "tracker").rglob("*.py"))
    read_args = set(re.findall(r'request\.args\.get(?:list)?\("([a-z_]+)"', source))
    read_args |= set(re.findall(r'(?:int_arg|date_arg|choice_arg)\("([a-z_]+)"', source))
    read_form = set(re.findall(r'request\.form\.get(?:list)?\("([a-z_]+)"', source))

    def subclasses(cls):
        for sub in cls.__subclasses__():
            yield sub
            yield from subclasses(sub)

    form_fields = {
        name
        for form in subclasses(FlaskForm)
        for name in dir(form)
        if isinstance(getattr(form, name, None), UnboundField)
    }
    ids = dict.fromkeys(
        ["area_id", "officer_id", "supervisor", "org_id", "contact_id", "household_id"], 1
    ) | {"office_id": 1}
    uploads = {
        form.__name__
        for form in subclasses(FlaskForm)
        for name in dir(form)
        if isinstance(getattr(form, name, None), UnboundField)
        and issubclass(getattr(form, name).field_class, FileField)
    }
    # upload_routes sends files to each
    assert uploads == {"ImportForm", "MappingFileForm", "ListForm"}
    assert read_args - set(query_plausible(ids)) == set()
    assert (read_form | form_fields) - set(form_plausible(ids)) == set()
    assert set(JSON_ROUTES["api.post_contact"]) | set(JSON_ROUTES["api.post_enrollment"]) | set(
        JSON_ROUTES["api.put_target"]
    ) <= set(json_plausible(ids))
