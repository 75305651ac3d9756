"""Numbers that add up: between two official counts new participants + returns − lapses equal
the difference, on random histories; schemes apart; the kept counts guarded; the newest
official data; Vietnamese order."""

from __future__ import annotations

import re
from datetime import UTC, date, datetime, timedelta

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import delete, func, insert, select, update

from tests.factories import make_area, make_city, make_enrollment, make_officer, make_user
from tracker import periods, progress
from tracker.dates import local_today
from tracker.extensions import db
from tracker.models import (
    ActivitySummary,
    AuditEvent,
    Contact,
    Enrollment,
    LapseBooking,
    ParticipantCount,
    Renewal,
)
from tracker.periods import Period, add_months
from tracker.progress import flows, kept, lapse_book, participants
from tracker.progress.lifecycle import lapse_day_of

GRACE = 30
START = date(2024, 1, 1)


def through(start: date, months: int) -> date:
    return add_months(start, months) - timedelta(days=1)


SCHEMES = ("voluntary_si", "household_hi")

# A participant: a ward, an officer and a scheme; enrolled on a day offset, paying some months,
# then payments each after a delay from the day the last one ran out (negative: early, on time;
# beyond the grace: a return), by one officer or the other; then kept, deleted, or deleted and
# restored.
participant = st.tuples(
    st.integers(0, 1),
    st.integers(0, 1),
    st.sampled_from(SCHEMES),
    st.integers(0, 300),
    st.sampled_from([1, 3, 6, 12]),
    st.lists(st.tuples(st.integers(-20, 200), st.integers(0, 1)), max_size=4),
    st.sampled_from(["kept", "deleted", "restored"]),
)


def build(histories, areas, officers):
    """Write the histories; return each live participant's change events (day, ±1) by scheme
    and ward index, computed here, independently of the app's SQL."""
    events = {(scheme, ward): [] for scheme in SCHEMES for ward in (0, 1)}
    for index, (ward, who, scheme, offset, months, payments, fate) in enumerate(histories):
        enrolled_on = START + timedelta(days=offset)
        enrollment = make_enrollment(
            officers[who], areas[ward], enrolled_on, months_paid=months, scheme=scheme
        )
        mine = [(enrolled_on, 1)]
        paid_through = through(enrolled_on, months)
        for number, (delay, taker) in enumerate(payments):
            renewed_on = paid_through + timedelta(days=1 + delay)
            if renewed_on > date(2026, 11, 1):
                break
            lapse = lapse_day_of(paid_through, GRACE)
            back = renewed_on >= lapse
            start = renewed_on if back else paid_through + timedelta(days=1)
            after = through(start, months)
            db.session.add(
                Renewal(
                    enrollment_id=enrollment.id,
                    officer_id=officers[taker].id,
                    renewed_on=renewed_on,
                    method=str(months),
                    months=months,
                    paid_through_before=paid_through,
                    paid_through_after=after,
                    client_token=f"r{index}-{number}",
                )
            )
            if back:
                mine += [(lapse, -1), (renewed_on, 1)]
            paid_through = after
        enrollment.paid_through_on = paid_through
        db.session.commit()
        mine.append((lapse_day_of(paid_through, GRACE), -1))
        if fate != "kept":  # through the ORM, so the kept counts follow
            enrollment.deleted_at = datetime.now(UTC)
            db.session.commit()
        if fate == "restored":
            enrollment.deleted_at = None
            db.session.commit()
        if fate != "deleted":
            events[(scheme, ward)] += mine
    return events


def active(events, day: date, today: date) -> int:
    return sum(change for when, change in events if when <= day and when <= today)


@pytest.fixture
def city_of_two(app):
    """A city with two wards, and two officers who work in both."""
    _, city = make_city()
    areas = [make_area(name, parent=city) for name in ("Phường Kim Tân", "Phường Cốc Lếu")]
    officers = [make_officer(name, areas=areas) for name in ("lan", "minh")]
    return city, areas, officers


def net(period: Period, by: str, scheme: str) -> dict[int, int]:
    """new + returned − lapsed by officer or area, from the progress functions."""
    total: dict[int, int] = {}
    for code, sign in (("new_participants", 1), ("returned", 1), ("lapsed", -1)):
        for key, count in progress.flow_actuals(code, period, by, scheme=scheme).items():
            total[key] = total.get(key, 0) + sign * count
    return total


@settings(
    max_examples=15, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    histories=st.lists(participant, min_size=1, max_size=14),
    gap=st.integers(30, 600),
    wards_later=st.integers(0, 40),
)
def test_new_plus_returned_minus_lapsed_is_the_count_difference(
    city_of_two, histories, gap, wards_later
):
    """Two wards under a city, two officers, both schemes, deletions and restores: in each
    ward and in the city, and by officer, new + returned − lapsed between an official count and
    a later day is the difference, and so is the estimate; one scheme never moves the other.
    The city is counted on `first`, the wards `wards_later` days after (0: the same day, the
    city's own count then stands; later: the wards' newer counts make the city's figure)."""
    city, areas, officers = city_of_two
    with kept.bulk():  # a fresh history for each example
        for model in (Renewal, Enrollment, ParticipantCount):
            db.session.execute(delete(model))
    db.session.commit()
    events = build(histories, areas, officers)
    today = local_today()
    first = START + timedelta(days=200)
    counted = first + timedelta(days=wards_later)
    second = counted + timedelta(days=gap)
    for scheme in SCHEMES:
        both = events[(scheme, 0)] + events[(scheme, 1)]
        db.session.add(
            ParticipantCount(
                area_id=city.id, as_of=first, scheme=scheme, participants=active(both, first, today)
            )
        )
        for ward, area in enumerate(areas):
            participants = active(events[(scheme, ward)], counted, today)
            db.session.add(
                ParticipantCount(
                    area_id=area.id, as_of=counted, scheme=scheme, participants=participants
                )
            )
    db.session.commit()
    for scheme in SCHEMES:
        both = events[(scheme, 0)] + events[(scheme, 1)]
        found = progress.participants_on(second, [city.id, *(a.id for a in areas)], scheme)
        assert found[city.id].value == active(both, second, today), scheme
        span = Period(counted + timedelta(days=1), second)
        by_area = net(span, "area_id", scheme)
        for ward, area in enumerate(areas):
            mine = events[(scheme, ward)]
            assert found[area.id].value == active(mine, second, today), (scheme, ward)
            difference = active(mine, second, today) - active(mine, counted, today)
            assert by_area.get(area.id, 0) == difference, (scheme, ward)
        city_span = Period(first + timedelta(days=1), second)
        difference = active(both, second, today) - active(both, first, today)
        assert sum(net(city_span, "area_id", scheme).values()) == difference, scheme
        assert sum(net(city_span, "officer_id", scheme).values()) == difference, scheme


def test_household_health_insurance_never_moves_a_voluntary_figure(
    app, client, auth, targets_today
):
    targets_today(date(2024, 1, 1))
    _, city = make_city()
    ward = make_area("Phường Kim Tân", parent=city, code="KT")
    chief = make_user("chief", "supervisor")
    lan = make_officer("lan", supervisor=chief, areas=[ward])
    make_user("leader", "leader")
    db.session.add(ParticipantCount(area_id=ward.id, as_of=date(2024, 3, 26), participants=462))
    db.session.commit()
    make_enrollment(lan, ward, date(2024, 5, 2), months_paid=12)
    auth.login("leader")
    urls = [
        "/api/v1/leaderboard/officers?period=2024",
        "/api/v1/leaderboard/officers?period=2024&metric=net_growth",
        "/api/v1/leaderboard/areas?period=2024&parent=KT",
        "/api/v1/leaderboard/areas?period=2024&metric=new_participants",
        f"/api/v1/progress?officer={lan.id}&period=2024",
        "/boards/officers.csv?period=2024",
        "/boards/areas.csv?period=2024",
        "/boards/orgs.csv?period=2024",
        "/dashboard?period=2024",
    ]

    def figures():
        found = {}
        for url in urls:
            response = client.get(url)
            assert response.status_code == 200, url
            found[url] = response.json if response.is_json else _numbers(response)
        return found

    before = figures()
    make_enrollment(lan, ward, date(2024, 6, 3), scheme="household_hi", months_paid=12)
    assert figures() == before
    hi = client.get("/api/v1/leaderboard/officers?period=2024&scheme=household_hi").json
    assert hi["scheme"] == "household_hi" and hi["total"]["actual"] == 1


def _numbers(response) -> str:
    """The page or file without what changes between two reads (the CSRF token, the time an
    export says it was made)."""
    text = re.sub(r"\d{2}:\d{2}", "", response.get_data(as_text=True))
    return "\n".join(line for line in text.splitlines() if "csrf" not in line)


def test_a_bulk_write_outside_kept_bulk_is_refused(app):
    _, city = make_city()
    ward = make_area("Phường A", parent=city)
    lan = make_officer("lan", areas=[ward])
    row = {
        "officer_id": lan.id,
        "area_id": ward.id,
        "contacted_on": date(2024, 3, 1),
        "channel": "phone",
        "outcome": "informed",
        "client_token": "bulk",
    }
    with pytest.raises(kept.BulkWriteError):
        db.session.execute(insert(Contact), [row])
    db.session.rollback()
    with pytest.raises(kept.BulkWriteError):
        db.session.connection().execute(insert(Contact.__table__), [row])
    db.session.rollback()
    with kept.bulk():
        db.session.execute(insert(Contact), [row])
    db.session.commit()
    march = Period(date(2024, 3, 1), date(2024, 3, 31))
    assert progress.flow_actuals("contacts", march, "officer_id") == {lan.id: 1}
    # Renewals too: their returns and lapses are kept.
    with pytest.raises(kept.BulkWriteError):
        db.session.execute(delete(Renewal))
    db.session.rollback()


def test_the_newest_official_data_wins(app):
    _, city = make_city()
    wards = [make_area(name, parent=city) for name in ("Phường A", "Phường B")]
    db.session.add(ParticipantCount(area_id=city.id, as_of=date(2024, 3, 26), participants=3169))
    for ward, count in zip(wards, (2000, 1156), strict=True):
        db.session.add(
            ParticipantCount(area_id=ward.id, as_of=date(2024, 6, 30), participants=count)
        )
    db.session.commit()
    assert progress.participants_on(date(2024, 5, 1), [city.id])[city.id].value == 3169
    assert progress.participants_on(date(2024, 7, 1), [city.id])[city.id].value == 3156


def test_names_in_vietnamese_order(app, client, auth):
    _, city = make_city()
    for name in ("Phường Đồng Tuyển", "Phường Bình Minh", "Phường Bắc Cường", "Phường Duyên Hải"):
        make_area(name, parent=city)
    board = progress.area_leaderboard(
        Period(date(2024, 1, 1), date(2024, 12, 31)), "contacts", date(2024, 6, 1), city
    )
    tied = [row.name for row in board.rows]  # nobody has a target or a contact: by name
    from tracker.collation import by_name
    from tracker.services.areas import local_areas

    names = [a.name for a in db.session.scalars(local_areas(date(2024, 6, 1)))]
    assert names == [
        "Phường Bắc Cường",
        "Phường Bình Minh",
        "Phường Duyên Hải",
        "Phường Đồng Tuyển",
    ]
    assert tied == names and by_name(reversed(names), lambda n: n) == names


def test_the_grace_setting_is_audited_and_moves_the_lapses(app, client, auth):
    """Administration › Settings: a longer grace moves each lapse later by the difference."""
    _, city = make_city()
    ward = make_area("Phường Kim Tân", parent=city)
    lan = make_officer("lan", areas=[ward])
    make_user("boss", "admin")
    for paid_through in (date(2024, 3, 19), date(2024, 5, 1)):
        enrollment = make_enrollment(lan, ward, date(2023, 12, 1), months_paid=3)
        enrollment.paid_through_on = paid_through
    db.session.commit()
    lapse_book.book()  # kept from here: the grace's change must rebuild them
    db.session.commit()

    def lapsed_by_month() -> list[int]:
        months = [Period(date(2024, m, 1), through(date(2024, m, 1), 1)) for m in (4, 5, 6, 7)]
        return [progress.flow_actuals("lapsed", span, "area_id").get(ward.id, 0) for span in months]

    assert lapsed_by_month() == [1, 0, 1, 0]  # on 2024-04-19 and 2024-06-01
    auth.login("boss")
    response = client.post("/admin/settings", data={"lapse_grace_days": "60"})
    assert response.status_code == 302
    event = db.session.scalar(select(AuditEvent).where(AuditEvent.entity == "setting"))
    assert (event.actor.username, event.before, event.after) == (
        "boss",
        {"lapse_grace_days": 30},
        {"lapse_grace_days": 60},
    )
    assert lapsed_by_month() == [0, 1, 0, 1]  # on 2024-05-19 and 2024-07-01
    assert lapse_book.kept_through() == lapse_book.today()  # rebuilt under 60, read kept
    assert client.post("/admin/settings", data={"lapse_grace_days": "400"}).status_code == 422
    assert lapsed_by_month() == [0, 1, 0, 1]


# Kept returns and lapses ---------------------------------------------------------------------


def calendar_periods() -> list[Period]:
    found = set()
    for year in (2024, 2025, 2026):
        for month in range(1, 13):
            found.update(periods.containing(date(year, month, 1)).values())
    return sorted(found)


def assert_kept_lifecycle_is_live(ids: list[int], ranges: list[tuple[date, date]]) -> None:
    """Kept returns and lapses (with the unbooked days counted live) equal the live ones for
    every calendar period, by officer and by area, and so does the estimate's net movement
    over arbitrary ranges."""
    db.session.expire_all()
    for scheme in SCHEMES:
        for period in calendar_periods():
            for by in ("officer_id", "area_id"):
                for code in ("returned", "lapsed", "net_growth"):
                    kept_counts = flows.flow_actuals(code, period, by, scheme=scheme)
                    live = flows.live_flow_actuals(code, period, by, scheme=scheme)
                    assert kept_counts == {k: v for k, v in live.items() if v}, (
                        code,
                        scheme,
                        period,
                        by,
                    )
        for start, end in ranges:
            kept_net = participants._net_between(ids, start, end, scheme)
            with pytest.MonkeyPatch.context() as patch:
                patch.setattr(lapse_book, "kept_through", lambda: None)
                live_net = participants._net_between(ids, start, end, scheme)
            assert {k: v for k, v in kept_net.items() if v} == {
                k: v for k, v in live_net.items() if v
            }, (scheme, start, end)


@settings(
    max_examples=10, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    histories=st.lists(participant, min_size=1, max_size=8),
    booked_days_ago=st.integers(0, 1100),
    ranges=st.lists(st.tuples(st.integers(0, 1050), st.integers(0, 700)), min_size=1, max_size=3),
)
def test_kept_returns_and_lapses_equal_live_ones(city_of_two, histories, booked_days_ago, ranges):
    """Random histories written through the ORM after the lapses were booked some days ago
    (every payment, deletion and restore moves the kept counts in its flush): the kept counts
    plus the unbooked days counted live equal the live counts; then the daily job books the
    missed days, and they still do."""
    city, areas, officers = city_of_two
    with kept.bulk():  # a fresh history for each example
        for model in (Renewal, Enrollment, ParticipantCount):
            db.session.execute(delete(model))
    lapse_book.rebuild(
        db.session.connection(), lapse_book.today() - timedelta(days=booked_days_ago)
    )
    db.session.commit()
    build(histories, areas, officers)
    ids = [city.id, *(area.id for area in areas)]
    spans = [(START + timedelta(days=a), START + timedelta(days=a + n)) for a, n in ranges]
    assert lapse_book.kept_through() == lapse_book.today() - timedelta(days=booked_days_ago)
    assert_kept_lifecycle_is_live(ids, spans)
    assert lapse_book.book() == booked_days_ago
    db.session.commit()
    assert lapse_book.kept_through() == lapse_book.today()
    assert_kept_lifecycle_is_live(ids, spans)


def kept_lapses(ward_id: int) -> int:
    return db.session.scalar(
        select(func.sum(ActivitySummary.lapsed)).where(
            ActivitySummary.subject == "area",
            ActivitySummary.subject_id == ward_id,
            ActivitySummary.kind == "year",
        )
    )


def test_the_daily_job_books_each_day_once_and_catches_up(app, monkeypatch):
    """Booked through the 10th; lapses on the 11th and 13th. Run on the 12th it books one;
    again on the 12th, nothing; the 13th missed, the run on the 14th books it. Reads between
    runs count the unbooked days live, so they are right whether or not the job ran."""
    _, city = make_city()
    ward = make_area("Phường Kim Tân", parent=city)
    lan = make_officer("lan", areas=[ward])
    for paid_through in (date(2024, 4, 10), date(2024, 4, 12)):  # lapse 2024-05-11, 05-13
        enrollment = make_enrollment(lan, ward, date(2023, 12, 1), months_paid=3)
        enrollment.paid_through_on = paid_through
    db.session.commit()
    may = Period(date(2024, 5, 1), date(2024, 5, 31))
    day = {"today": date(2024, 5, 10)}
    monkeypatch.setattr(lapse_book.lifecycle, "local_today", lambda: day["today"])
    lapse_book.rebuild(db.session.connection())
    db.session.commit()
    assert kept_lapses(ward.id) == 0
    for today, booked, kept_count, read in (
        (date(2024, 5, 12), 2, 1, 1),
        (date(2024, 5, 12), 0, 1, 1),
        (date(2024, 5, 14), 2, 2, 2),
    ):
        day["today"] = today
        assert progress.flow_actuals("lapsed", may, "area_id") == {ward.id: read}  # before
        assert lapse_book.book() == booked
        db.session.commit()
        assert kept_lapses(ward.id) == kept_count
        assert progress.flow_actuals("lapsed", may, "area_id") == {ward.id: read}  # after


def test_a_payment_moves_the_kept_return_and_lapse_in_its_flush(app):
    """A lapsed participant pays again: the return and the earlier spell's lapse are kept in
    the renewal's own flush; deleting the enrollment takes both away."""
    _, city = make_city()
    ward = make_area("Phường Kim Tân", parent=city)
    lan, minh = (make_officer(name, areas=[ward]) for name in ("lan", "minh"))
    enrollment = make_enrollment(
        lan, ward, date(2024, 1, 1), months_paid=1, paid_through_on=date(2024, 1, 31)
    )
    lapse_book.book()
    db.session.commit()
    year = periods.year(2024)
    assert flows.flow_actuals("lapsed", year, "officer_id") == {lan.id: 1}
    db.session.add(
        Renewal(
            enrollment_id=enrollment.id,
            officer_id=minh.id,
            renewed_on=date(2024, 6, 1),
            method="1",
            months=1,
            paid_through_before=enrollment.paid_through_on,
            paid_through_after=date(2024, 6, 30),
            client_token="back",
        )
    )
    enrollment.paid_through_on = date(2024, 6, 30)
    db.session.commit()
    returned = select(func.sum(ActivitySummary.returned)).where(
        ActivitySummary.subject == "officer",
        ActivitySummary.subject_id == minh.id,
        ActivitySummary.kind == "year",
    )
    assert db.session.scalar(returned) == 1
    assert flows.flow_actuals("returned", year, "officer_id") == {minh.id: 1}
    assert flows.flow_actuals("lapsed", year, "officer_id") == {lan.id: 2}  # both spells
    assert kept_lapses(ward.id) == 2
    enrollment.deleted_at = datetime.now(UTC)
    db.session.commit()
    assert db.session.scalar(returned) == 0
    assert kept_lapses(ward.id) == 0


def test_kept_counts_of_another_grace_are_not_read(app, monkeypatch):
    """Kept under a grace that is no longer the setting (written behind the app's back): the
    reads count live rather than show them, and the job rebuilds them."""
    _, city = make_city()
    ward = make_area("Phường Kim Tân", parent=city)
    lan = make_officer("lan", areas=[ward])
    make_enrollment(lan, ward, date(2024, 1, 1), months_paid=1, paid_through_on=date(2024, 1, 31))
    lapse_book.book()
    db.session.commit()
    db.session.execute(update(LapseBooking).values(grace_days=90))
    db.session.execute(update(ActivitySummary).values(lapsed=7))
    db.session.commit()
    assert lapse_book.kept_through() is None
    year = periods.year(2024)
    assert flows.flow_actuals("lapsed", year, "area_id") == {ward.id: 1}
    assert lapse_book.book() == 1  # a rebuild
    db.session.commit()
    assert kept_lapses(ward.id) == 1
    assert lapse_book.kept_through() == lapse_book.today()


def test_book_lapses_command(app):
    _, city = make_city()
    ward = make_area("Phường Kim Tân", parent=city)
    make_enrollment(
        make_officer("lan", areas=[ward]),
        ward,
        date(2024, 1, 1),
        months_paid=1,
        paid_through_on=date(2024, 1, 31),
    )
    runner = app.test_cli_runner()
    first = runner.invoke(args=["book-lapses"])
    assert first.exit_code == 0, first.output
    assert kept_lapses(ward.id) == 1
    again = runner.invoke(args=["book-lapses"])
    assert again.exit_code == 0 and "(0 day(s) booked)" in again.output
    assert kept_lapses(ward.id) == 1
