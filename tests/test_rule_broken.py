"""One error for a broken rule (tracker.errors.RuleBroken), one table of its messages, and its
two renderers: on a form's fields and as the API's error JSON."""

from __future__ import annotations

import ast
import importlib
import pkgutil
from pathlib import Path

import pytest
from babel.messages.pofile import read_po
from flask_babel import force_locale
from flask_wtf import FlaskForm
from wtforms import StringField

from tests.factories import make_area, make_city, make_officer, make_user
from tracker import services
from tracker.dates import local_today
from tracker.error_messages import MESSAGES
from tracker.errors import RuleBroken, message, on_form, rule_json
from tracker.models import IncomeBasisRule
from tracker.services import fieldwork
from tracker.services import sessions as session_service
from tracker.services.contributions import ContributionError
from tracker.services.fieldwork import contribution_problem
from tracker.services.sessions import SessionInput

CATALOG = Path(__file__).parent.parent / "tracker/translations/vi/LC_MESSAGES/messages.po"


class _Form(FlaskForm):
    username = StringField()


def test_every_message_is_already_translated():
    """The table reuses texts the catalog holds, so nothing needs retranslating."""
    with CATALOG.open("rb") as handle:
        catalog = read_po(handle)
    missing = [
        code
        for code, text in MESSAGES.items()
        if not (catalog.get(text._args[0]) and catalog.get(text._args[0]).string)
    ]
    assert missing == []


def test_messages_translate_and_interpolate(app):
    with app.test_request_context():
        assert message("username_taken") == "Tên đăng nhập này đã được sử dụng."
        with force_locale("en"):
            assert message("username_taken") == "This username is already in use."
            assert message("no_such_code") == "no_such_code"


def test_on_form_puts_each_rule_under_its_field_or_above_the_form(app):
    with app.test_request_context(method="POST"), force_locale("en"):
        form = _Form(meta={"csrf": False})
        form.validate()
        on_form(form, RuleBroken({"username": "username_taken", "households": "not_yours"}))
        assert form.username.errors == ["This username is already in use."]
        assert form.form_errors == ["Some households are not in your wards."]


def test_rule_json_keeps_the_api_error_shape(app):
    with app.test_request_context(), force_locale("en"):
        invalid = rule_json(RuleBroken("value", "out_of_range"))
        assert invalid.status_code == 422
        assert invalid.json == {
            "error": {
                "code": "invalid",
                "message": "Some fields are not valid.",
                "fields": {"value": "The value is out of range."},
            }
        }
        forbidden = rule_json(RuleBroken("id", "target_forbidden", status=403))
        assert forbidden.status_code == 403
        assert forbidden.json["error"] == {
            "code": "forbidden",
            "message": "You may not set this target.",
            "fields": {},
        }
        missing = rule_json(RuleBroken("id", "unknown_subject", status=404))
        assert (missing.status_code, missing.json["error"]["code"]) == (404, "not_found")
        assert missing.json["error"]["fields"] == {"id": ""}


TRACKER = Path(__file__).parent.parent / "tracker"


def _codes_in_source() -> set[str]:
    """Every code written as a literal where a rule is broken: RuleBroken(field, "code"),
    RuleBroken({field: "code"}), and the field-work services' errors[field] = "code" or
    ("code", {params}) and errors.setdefault(field, "code")."""

    def code_of(node):
        if isinstance(node, ast.Tuple) and node.elts:
            node = node.elts[0]
        if isinstance(node, ast.Constant) and isinstance(node.value, str):
            return node.value
        return None

    found = set()
    for path in TRACKER.rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            values = []
            if isinstance(node, ast.Call) and getattr(node.func, "id", None) == "RuleBroken":
                if len(node.args) > 1:
                    values.append(node.args[1])
                elif node.args and isinstance(node.args[0], ast.Dict):
                    values.extend(node.args[0].values)
            elif isinstance(node, ast.Assign) and any(
                isinstance(t, ast.Subscript) and getattr(t.value, "id", None) == "errors"
                for t in node.targets
            ):
                values.append(node.value)
            elif (
                isinstance(node, ast.Call)
                and getattr(node.func, "attr", None) == "setdefault"
                and getattr(node.func.value, "id", None) == "errors"
            ):
                values.append(node.args[1])
            found.update(code for code in map(code_of, values) if code)
    return found


def test_every_code_raised_in_the_source_has_a_message():
    codes = _codes_in_source()
    assert {"edit_window_over", "attendees_range", "too_long", "unknown_subject"} <= codes
    assert sorted(codes - set(MESSAGES)) == []


def test_contribution_problems_are_codes_with_messages(app):
    for code in ("no_rule", "no_support_rule", "income_basis_step"):
        assert contribution_problem(ContributionError(code)) == (f"contribution_{code}", {})
    rule = IncomeBasisRule(minimum_basis=1_500_000, maximum_basis=46_800_000)
    with app.test_request_context(), force_locale("en"):
        error = RuleBroken(
            "income_basis",
            contribution_problem(ContributionError("income_basis_out_of_range", rule)),
        )
        assert error.text() == "From 1,500,000 to 46,800,000 đồng a month on this date."


def test_no_service_keeps_an_error_type_of_its_own_for_bad_input():
    """One error type: the old ValidationError of field work is gone from every service."""
    assert not hasattr(fieldwork, "ValidationError")
    for module in pkgutil.walk_packages(services.__path__, "tracker.services."):
        loaded = importlib.import_module(module.name)
        assert not hasattr(loaded, "ValidationError"), module.name


def test_field_work_raises_rule_broken_with_per_field_values(app):
    """Two texts too long keep each its own maximum; the attendees' maximum is written in the
    reader's locale, not a hard-coded 10.000."""
    _, city = make_city()
    ward = make_area("Kim Tân", parent=city, code="KT")
    officer = make_officer("lan", supervisor=make_user("chief", "supervisor"), areas=[ward])
    data = SessionInput(ward.id, local_today(), None, "awareness", "x" * 201, "y" * 161, 20_000, "")
    with app.test_request_context():
        with force_locale("en"), pytest.raises(RuleBroken) as refused:
            session_service.record(officer, data)
        assert refused.value.fields == {
            "title": "too_long",
            "partner_org": "too_long",
            "attendees": "attendees_range",
        }
        with force_locale("en"):
            english = refused.value.messages()
        assert english["title"] == "At most 200 characters."
        assert english["partner_org"] == "At most 160 characters."
        assert english["attendees"] == "From 0 to 10,000 people."
        with pytest.raises(RuleBroken) as in_vietnamese:
            session_service.record(officer, data)
        assert "10.000" in in_vietnamese.value.messages()["attendees"]
        assert in_vietnamese.value.messages()["title"] != english["title"]
