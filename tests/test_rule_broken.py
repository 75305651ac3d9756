"""One error for a broken rule (tracker.errors.RuleBroken), one table of its messages, and its
two renderers: on a form's fields and as the API's error JSON."""

from __future__ import annotations

from pathlib import Path

from babel.messages.pofile import read_po
from flask_babel import force_locale
from flask_wtf import FlaskForm
from wtforms import StringField

from tracker.error_messages import MESSAGES
from tracker.errors import RuleBroken, message, on_form, rule_json

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
