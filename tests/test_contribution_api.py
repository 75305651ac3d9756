"""GET /api/v1/contribution: the design's shape, the hand-computed table through HTTP, every
month from 2016 to 2030 answered from data, its 422s, and who may read it."""

from datetime import date

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.factories import make_area, make_officer, make_user
from tests.test_rules import REFUSED, TABLE, by_hand

KEYS = {"monthly_contribution", "state_support", "participant_pays", "months", "amount_due"}


@pytest.fixture
def reader(app, client):
    make_officer("lan", areas=[make_area("Kim Tân")])
    client.post("/login", data={"username": "lan", "password": "correct-horse-9"})
    return client


def ask(client, **params):
    return client.get("/api/v1/contribution", query_string=params)


def test_the_shape_of_the_design(reader):
    response = ask(reader, on="2027-01-01", category="poor", payment_period="3")
    assert response.status_code == 200
    assert response.json == {
        "monthly_contribution": 484_000,
        "state_support": 242_000,
        "participant_pays": 242_000,
        "months": 3,
        "amount_due": 726_000,
        "source": response.json["source"],
    }
    assert "351/2025" in response.json["source"] and "159/2025" in response.json["source"]


@pytest.mark.parametrize("day,category,basis,expected", TABLE)
def test_hand_computed_table_through_the_api(reader, day, category, basis, expected):
    params = {"on": day.isoformat(), "category": category}
    if basis is not None:
        params["income_basis"] = str(basis)
    body = ask(reader, **params).json
    assert (body["monthly_contribution"], body["state_support"], body["participant_pays"]) == (
        expected
    )
    assert body["months"] == 1 and body["amount_due"] == expected[2]


def test_every_month_from_2016_to_2030_answers_from_data(reader):
    for year in range(2016, 2031):
        for month in range(1, 13):
            day = date(year, month, 1)
            low, _, support = by_hand(day)
            body = ask(reader, on=day.isoformat(), category="near_poor").json
            assert body["monthly_contribution"] == low * 22 // 100, day
            assert body["state_support"] == support["near_poor"], day


@pytest.mark.parametrize(
    "params,due",
    [
        # A lump sum of five years on the 2025 rules, near-poor: 60 × 198,000.
        (
            {
                "on": "2025-07-01",
                "category": "near_poor",
                "payment_period": "lump_sum",
                "months": "60",
            },
            11_880_000,
        ),
        ({"on": "2026-03-02", "category": "other", "payment_period": "12"}, 12 * 264_000),
        # 100 months of support already had: support for 20 of these 60 months only.
        (
            {
                "on": "2027-01-01",
                "category": "other",
                "payment_period": "lump_sum",
                "months": "60",
                "support_used": "100",
            },
            60 * 484_000 - 20 * 96_800,
        ),
        (
            {"on": "2027-01-01", "category": "other", "payment_period": "6", "support_used": "120"},
            6 * 484_000,
        ),
        # A back-payment of five missed months, at the rules of the day it is paid.
        (
            {
                "on": "2026-06-01",
                "category": "other",
                "payment_period": "back_payment",
                "months": "5",
            },
            5 * 264_000,
        ),
    ],
)
def test_amount_due_for_the_period(reader, params, due):
    response = ask(reader, **params)
    assert response.status_code == 200, response.json
    assert response.json["amount_due"] == due


@pytest.mark.parametrize("day,category,basis,code", REFUSED)
def test_outside_the_law_is_a_422_with_fields(reader, day, category, basis, code):
    response = ask(reader, on=day.isoformat(), category=category, income_basis=str(basis))
    assert response.status_code == 422
    error = response.json["error"]
    if code == "no_rule":
        assert error["code"] == "no_rule_in_force"
        assert set(error["fields"]) == {"on"}
    else:
        assert error["code"] == "invalid"
        assert set(error["fields"]) == {"income_basis"}
    assert error["message"] and all(error["fields"].values())


@pytest.mark.parametrize(
    "params,field",
    [
        ({"on": "2026-02-30"}, "on"),
        ({"on": "yesterday"}, "on"),
        ({"category": "rich"}, "category"),
        ({"payment_period": "2"}, "payment_period"),
        ({"payment_period": "lump_sum"}, "months"),
        ({"payment_period": "lump_sum", "months": "61"}, "months"),
        ({"payment_period": "lump_sum", "months": "600"}, "months"),
        ({"payment_period": "back_payment", "months": "0"}, "months"),
        ({"income_basis": "1.500.000"}, "income_basis"),
        ({"income_basis": "-1"}, "income_basis"),
        ({"months": "x", "payment_period": "lump_sum"}, "months"),
        ({"support_used": "many"}, "support_used"),
    ],
)
def test_malformed_arguments_are_422s(reader, params, field):
    response = ask(reader, **params)
    assert response.status_code == 422
    assert field in response.json["error"]["fields"]


def test_defaults_today_the_minimum_monthly(reader):
    body = ask(reader).json
    assert body["months"] == 1
    assert body["monthly_contribution"] - body["state_support"] == body["participant_pays"]


@pytest.mark.parametrize("role", ["officer", "supervisor", "leader", "admin"])
def test_any_signed_in_user_may_read_it(app, client, role):
    make_user("someone", role)
    client.post("/login", data={"username": "someone", "password": "correct-horse-9"})
    assert ask(client, on="2026-01-01").status_code == 200


def test_anonymous_may_not(client):
    response = ask(client, on="2026-01-01")
    assert response.status_code in (302, 401)


@settings(
    max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    st.dictionaries(
        st.sampled_from(
            ["on", "category", "income_basis", "payment_period", "months", "support_used"]
        ),
        st.one_of(
            st.text(max_size=30),
            st.integers(-(10**20), 10**20).map(str),
            st.sampled_from(["2027-01-01", "lump_sum", "back_payment", "poor", "9" * 40]),
        ),
    )
)
def test_hostile_arguments_never_break_it(reader, params):
    response = ask(reader, **params)
    assert response.status_code in (200, 422), response.get_data(as_text=True)[:300]
    if response.status_code == 422:
        assert response.json["error"]["message"]
