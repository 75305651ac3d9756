"""The funnel from contact to enrollment counts households, each step within the one before
(docs/design.md, "The funnel"): checked against the rule written out in Python on random
histories of contacts and enrollments, deleted ones, households shared by two officers and two
wards, and both schemes."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import delete, insert

from tests.factories import (
    make_area,
    make_city,
    make_contact,
    make_enrollment,
    make_household,
    make_officer,
    make_user,
)
from tracker import progress
from tracker.extensions import db
from tracker.models import Contact, Enrollment
from tracker.periods import Period, month, parse, quarter, year
from tracker.progress import kept
from tracker.vocab import CONTACT_OUTCOMES, INTERESTED_OUTCOMES

START = date(2024, 1, 1)
HOUSEHOLDS = 4
SCHEMES = ("voluntary_si", "household_hi")


@pytest.fixture
def two_wards(app):
    _, city = make_city()
    wards = [make_area("Kim Tân", parent=city), make_area("Cốc Lếu", parent=city)]
    chief = make_user("chief", "supervisor")
    officers = [make_officer(f"o{n}", supervisor=chief, areas=wards) for n in range(2)]
    households = [make_household(wards[n % 2], f"Hộ {n}") for n in range(HOUSEHOLDS)]
    return wards, officers, households


day = st.integers(0, 365).map(lambda offset: START + timedelta(days=offset))  # 2024
maybe_household = st.one_of(st.none(), st.integers(0, HOUSEHOLDS - 1))
contact = st.fixed_dictionaries(
    {
        "officer": st.integers(0, 1),
        "ward": st.integers(0, 1),
        "household": maybe_household,
        "on": day,
        "outcome": st.sampled_from(sorted(CONTACT_OUTCOMES)),
        "deleted": st.booleans(),
    }
)
enrollment = st.fixed_dictionaries(
    {
        "officer": st.integers(0, 1),
        "ward": st.integers(0, 1),
        "household": maybe_household,
        "on": day,
        "scheme": st.sampled_from(SCHEMES),
        "deleted": st.booleans(),
    }
)
period = st.one_of(
    st.just(year(2024)),
    st.builds(quarter, st.just(2024), st.integers(1, 4)),
    st.builds(month, st.just(2024), st.integers(1, 12)),
    st.builds(
        lambda first, days: Period(first, first + timedelta(days=days)), day, st.integers(0, 90)
    ),
)


def write(contacts, enrollments, wards, officers, households) -> None:
    """A fresh history, written in bulk (the kept counts are recounted when it ends)."""
    deleted_at = date(2026, 1, 1)
    with kept.bulk():
        db.session.execute(delete(Contact))
        db.session.execute(delete(Enrollment))
        if contacts:
            db.session.execute(
                insert(Contact),
                [
                    {
                        "officer_id": officers[c["officer"]].id,
                        "area_id": wards[c["ward"]].id,
                        "household_id": None
                        if c["household"] is None
                        else households[c["household"]].id,
                        "contacted_on": c["on"],
                        "channel": "home_visit",
                        "outcome": c["outcome"],
                        "client_token": f"c{n}",
                        "deleted_at": deleted_at if c["deleted"] else None,
                    }
                    for n, c in enumerate(contacts)
                ],
            )
        if enrollments:
            db.session.execute(
                insert(Enrollment),
                [
                    {
                        "officer_id": officers[e["officer"]].id,
                        "area_id": wards[e["ward"]].id,
                        "household_id": None
                        if e["household"] is None
                        else households[e["household"]].id,
                        "enrolled_on": e["on"],
                        "scheme": e["scheme"],
                        "participant_name": "Người tham gia",
                        "client_token": f"e{n}",
                        "deleted_at": deleted_at if e["deleted"] else None,
                    }
                    for n, e in enumerate(enrollments)
                ],
            )
    db.session.commit()


def oracle(contacts, enrollments, span: Period, subject: str, chosen, scheme) -> dict:
    """The rule, written out: households contacted in the period (by the chosen officers or in
    the chosen wards); of them, those with an interested contact among those; of those, the
    ones with a live enrollment of the scheme in the period, whoever recorded it."""
    seen = [
        c
        for c in contacts
        if not c["deleted"]
        and c["household"] is not None
        and span.start <= c["on"] <= span.end
        and c[subject] in chosen
    ]
    contacted = {c["household"] for c in seen}
    interested = {c["household"] for c in seen if c["outcome"] in INTERESTED_OUTCOMES}
    enrolled = {
        e["household"]
        for e in enrollments
        if not e["deleted"] and e["scheme"] == scheme and span.start <= e["on"] <= span.end
    }
    return {
        "contacted": len(contacted),
        "interested": len(interested),
        "enrolled": len(interested & enrolled),
    }


@settings(
    max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    contacts=st.lists(contact, max_size=30),
    enrollments=st.lists(enrollment, max_size=12),
    span=period,
    subject=st.sampled_from(["officer", "ward"]),
    chosen=st.sampled_from([(0,), (1,), (0, 1)]),
    scheme=st.sampled_from(SCHEMES),
)
def test_each_step_is_within_the_one_before(
    two_wards, contacts, enrollments, span, subject, chosen, scheme
):
    wards, officers, households = two_wards
    write(contacts, enrollments, wards, officers, households)
    by = "officer_id" if subject == "officer" else "area_id"
    subjects = officers if subject == "officer" else wards
    steps = progress.funnel(span, by, [subjects[n].id for n in chosen], scheme)
    assert list(steps) == ["contacted", "interested", "enrolled"]
    assert steps["contacted"] >= steps["interested"] >= steps["enrolled"] >= 0
    assert steps == oracle(contacts, enrollments, span, subject, chosen, scheme)
    if chosen == (0, 1):  # everyone's: the same as no filter
        assert progress.funnel(span, by, None, scheme) == steps


def test_the_case_that_was_not_a_funnel(two_wards):
    """16 interested and 21 enrolled: enrollments without a household, or of households not
    contacted in the period, counted beside the households. Now they are not in it."""
    wards, (lan, _other), households = two_wards
    interested = households[0]
    make_contact(lan, wards[0], date(2024, 3, 1), "interested", household=interested)
    make_contact(lan, wards[0], date(2024, 3, 2), "informed", household=households[1])
    make_enrollment(lan, wards[0], date(2024, 3, 5), household=interested)
    make_enrollment(lan, wards[0], date(2024, 3, 6))  # no household
    make_enrollment(lan, wards[0], date(2024, 3, 7), household=households[2])  # not contacted
    make_enrollment(lan, wards[0], date(2024, 3, 8), household=households[1])  # not interested
    steps = progress.funnel(parse("2024-03"), "officer_id", [lan.id])
    assert steps == {"contacted": 2, "interested": 1, "enrolled": 1}
    assert progress.flow_actuals("new_participants", parse("2024-03"))[lan.id] == 4
