"""Every route, every query argument, form field and JSON field, every class of hostile input the
outside probe used (tests/hostile.py): never a server error, and a refusal writes nothing.

Two passes per route: each class in every field at once (each value of each class, and in the
path's own arguments), then Hypothesis mixing hostile values with plausible ones field by field,
so that one hostile field reaches code that only runs once the others are valid. Runs as an
administrator (every route) and as an officer (Today, the field forms), on SQLite and
PostgreSQL. test_the_lists_name_every_input keeps the lists below complete."""

from __future__ import annotations

import re
from datetime import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import func, select

from tests.hostile import (
    HOSTILE_TEXT,
    JSON_VALUE,
    TEXT_CLASSES,
    form_body,
    json_body,
    query_string,
)
from tests.test_access_matrix import _before_2024, routes, sign_in, url_for_rule, world  # noqa: F401
from tracker.extensions import db

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
        "income_basis",
        "payment_period",
        "months_paid",
        "collection_org",
        "session",
    ],
    "api.put_target": ["subject", "id", "metric", "period", "value", "note", "scheme"],
}
NEW_HOUSEHOLD_FIELDS = ["head_name", "address", "phone", "category"]
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
    }


def form_plausible(ids: dict) -> dict[str, str]:
    ward, officer, household = str(ids["area_id"]), str(ids["officer_id"]), str(ids["household_id"])
    return {
        "client_token": "hostile-token",
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
        "new_password": "a-much-better-one",
        "reset-new_password": "a-much-better-one",
        "confirm": "a-much-better-one",
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


def row_counts() -> dict[str, int]:
    db.session.expire_all()
    return {
        table.name: db.session.scalar(select(func.count()).select_from(table))
        for table in db.metadata.sorted_tables
        if table.name not in NOT_COUNTED
    }


class Probe:
    """Sends one request and records what broke: a 5xx, or a refusal that wrote rows."""

    def __init__(self, client):
        self.client, self.failures = client, []

    def send(self, method: str, url: str, label: str, query=None, form=None, body=None):
        if query:
            url += ("&" if "?" in url else "?") + query_string(query)
        before = row_counts()
        if body is not None:
            response = self.client.open(
                url, method=method, data=json_body(body), content_type="application/json"
            )
        elif method == "GET":
            response = self.client.open(url, method=method)
        else:
            response = self.client.open(
                url,
                method=method,
                data=form_body(form or {}),
                content_type="application/x-www-form-urlencoded",
            )
        status = response.status_code
        response.close()
        if status >= 500:
            self.failures.append(f"{label}: {method} {url[:160]} -> {status}")
        elif status >= 400 and row_counts() != before:
            self.failures.append(f"{label}: {method} {url[:160]} -> {status} but wrote rows")
        return status


def every_route(app, methods=("GET", "POST", "PUT")):
    for method in methods:
        for rule, _declared in routes(app, method):
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


@pytest.mark.parametrize("persona", ["admin", "officer"])
def test_every_route_survives_every_class(world, app, client, persona):  # noqa: F811
    sign_in(client, persona)
    probe = Probe(client)
    query_good, form_good, json_good = (
        query_plausible(world),
        form_plausible(world),
        json_plausible(world),
    )
    for method, rule in every_route(app):
        url = url_for_rule(rule, world)
        label = rule.endpoint
        if persona == "admin":  # each class, each value, in every field at once
            for values in TEXT_CLASSES.values():
                for value in values:
                    if rule.endpoint in JSON_ROUTES:
                        body = dict.fromkeys(JSON_ROUTES[rule.endpoint], value)
                        body["new_household"] = dict.fromkeys(NEW_HOUSEHOLD_FIELDS, value)
                        probe.send(method, url, label, body=body)
                    elif method == "GET":
                        probe.send(method, url, label, query=dict.fromkeys(query_good, value))
                    else:
                        probe.send(method, url, label, form=dict.fromkeys(form_good, value))
            for variant in _path_variants(rule, world):
                probe.send(method, variant, label)

        if rule.endpoint in JSON_ROUTES:
            fields = {
                name: st.one_of(JSON_VALUE, st.just(json_good[name]))
                for name in JSON_ROUTES[rule.endpoint]
            }
            strategy = st.fixed_dictionaries({}, optional=fields)
        elif method == "GET":
            strategy = st.fixed_dictionaries(
                {}, optional={k: st.one_of(HOSTILE_TEXT, st.just(v)) for k, v in query_good.items()}
            )
        else:
            strategy = st.fixed_dictionaries(
                {}, optional={k: st.one_of(HOSTILE_TEXT, st.just(v)) for k, v in form_good.items()}
            )

        mixed(probe, method, url, label, rule.endpoint in JSON_ROUTES, strategy)
    assert probe.failures == [], "\n".join(probe.failures[:40])


def test_the_lists_name_every_input(app):
    """Every query argument and form field the code reads, and every field of every form, is
    in the lists the probe sends (a new field joins the probe by being added there)."""
    from flask_wtf import FlaskForm
    from wtforms.fields.core import UnboundField

    source = "\n".join(p.read_text() for p in (ROOT / "tracker").rglob("*.py"))
    read_args = set(re.findall(r'request\.args\.get(?:list)?\("([a-z_]+)"', source))
    read_args |= set(re.findall(r'(?:int_arg|date_arg)\("([a-z_]+)"', source))
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
    assert read_args - set(query_plausible(ids)) == set()
    assert (read_form | form_fields) - set(form_plausible(ids)) == set()
    assert set(JSON_ROUTES["api.post_contact"]) | set(JSON_ROUTES["api.post_enrollment"]) | set(
        JSON_ROUTES["api.put_target"]
    ) <= set(json_plausible(ids))
