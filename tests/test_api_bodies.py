"""A JSON body read by its declared model (tracker/api/bodies.py): strict types, and each bad
field with the message the API has always given."""

from flask_babel import force_locale

from tracker.api.bodies import read
from tracker.api.schemas import TargetIn

GOOD = {"subject": "officer", "id": 3, "metric": "contacts", "period": "2024", "value": 5}


def test_a_body_that_fits_is_read(app):
    with app.test_request_context():
        body, errors = read(TargetIn, {**GOOD, "unknown": [1]})
    assert errors == {} and (body.id, body.value, body.note) == (3, 5, None)


def test_each_bad_field_is_named_with_what_it_must_be(app):
    bad = {"subject": ["officer"], "id": True, "period": 2024, "value": "5", "note": 7}
    with app.test_request_context(), force_locale("en"):
        body, errors = read(TargetIn, bad)
    assert body is None
    assert errors == {
        "subject": "Required, as text.",
        "id": "Required, as a whole number.",
        "metric": "Required, as text.",
        "period": "Required, as text.",
        "value": "Required, as a whole number.",
        "note": "Text, if given.",
    }


def test_numbers_the_database_cannot_hold_are_refused(app):
    with app.test_request_context(), force_locale("en"):
        _, errors = read(TargetIn, {**GOOD, "id": 2**31, "value": -1})
    assert set(errors) == {"id", "value"}
