"""What the dashboard says when there is little to show: no target (and, for whoever may set
one, where to set it), the officers at both ends when few have a target, and the funnel."""

from __future__ import annotations

from datetime import date

import pytest

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
from tracker.periods import parse
from tracker.services.targets import TargetChange, set_target


@pytest.fixture(autouse=True)
def _in_2023(targets_today):
    targets_today(date(2023, 1, 1))


@pytest.fixture
def city(app):
    _, city = make_city()
    ward = make_area("Kim Tân", parent=city)
    chief = make_user("chief", "supervisor")
    make_user("leader", "leader")
    make_user("boss", "admin")
    return city, ward, chief


def team_of(count: int, ward, chief, with_targets: int):
    """`count` officers, the first `with_targets` of them with a 2024 target of 10 and as many
    enrollments as their number (so they rank in order)."""
    officers = []
    for number in range(count):
        officer = make_officer(f"o{number:02d}", supervisor=chief, areas=[ward])
        officers.append(officer)
        if number < with_targets:
            set_target(
                chief, TargetChange("officer", officer.id, "new_participants", parse("2024"), 10)
            )
        for day in range(number % 10):
            make_enrollment(officer, ward, date(2024, 3, day + 1))
    return officers


def page_of(client, auth, username: str, query: str = "period=2024") -> str:
    auth.login(username)
    page = client.get(f"/dashboard?{query}").get_data(as_text=True)
    auth.logout()
    return page


def test_without_a_target_whoever_may_set_one_is_shown_where(city, client, auth):
    _, ward, chief = city
    lan = make_officer("lan", supervisor=chief, areas=[ward])
    leader = page_of(client, auth, "leader")
    assert 'data-test="no-target"' in leader and "Chưa giao chỉ tiêu kỳ 2024." in leader
    assert 'data-test="set-target" href="/targets/areas?year=2024"' in leader
    assert 'data-test="set-officer-targets"' not in leader  # leaders set areas', not officers'
    admin = page_of(client, auth, "boss")
    assert 'data-test="set-target"' in admin and 'data-test="set-officer-targets"' in admin
    supervisor = page_of(client, auth, "chief")
    assert 'data-test="set-target"' not in supervisor
    assert 'data-test="set-officer-targets" href="/targets/team?year=2024"' in supervisor
    officer = page_of(client, auth, lan.username)
    assert 'data-test="no-target"' in officer and "/targets/" not in officer
    assert "Lãnh đạo giao chỉ tiêu cho các xã/phường/thị trấn." in officer
    assert 'data-test="no-officer-targets"' in officer
    household_hi = page_of(client, auth, "leader", "period=2024-Q3&scheme=household_hi")
    assert 'href="/targets/areas?year=2024&amp;scheme=household_hi"' in household_hi


def test_with_a_target_there_is_no_invitation_to_set_one(city, client, auth):
    city_area, _ward, _chief = city
    set_target(
        make_user("boss2", "admin"),
        TargetChange("area", city_area.id, "participants_total", parse("2024"), 500),
    )
    page = page_of(client, auth, "leader")
    assert 'data-test="target">500<' in page and 'data-test="set-target"' not in page


@pytest.mark.parametrize("with_targets,bottom", [(12, 5), (10, 5), (8, 3), (5, 0), (0, 0)])
def test_the_bottom_holds_five_once_ten_have_a_target(city, with_targets, bottom):
    _, ward, chief = city
    team_of(12, ward, chief, with_targets)
    extremes = progress.officer_extremes(parse("2024"), "new_participants", date(2024, 6, 1), 5)
    assert len(extremes.top) == min(5, with_targets) and len(extremes.bottom) == bottom
    assert not {row.id for row in extremes.top} & {row.id for row in extremes.bottom}
    ranked = [row.rank for row in extremes.top] + [row.rank for row in extremes.bottom][::-1]
    assert ranked == sorted(ranked)  # best first at the top, worst first at the bottom
    assert (extremes.with_target, extremes.without_target) == (with_targets, 12 - with_targets)
    if bottom:
        assert extremes.bottom[0].rank == with_targets  # the worst of those with a target


def test_the_page_says_why_the_bottom_is_short(city, client, auth):
    _, ward, chief = city
    team_of(10, ward, chief, 8)
    page = page_of(client, auth, "leader")
    assert page.count('<li class="list-group-item') == 5 + 3
    short = page.split('data-test="bottom-short">')[1].split("</p>")[0]
    assert "Mới có 8 cán bộ được giao chỉ tiêu kỳ 2024." in short
    assert "đủ năm người khi có từ mười cán bộ" in short
    assert "2 cán bộ chưa được giao chỉ tiêu kỳ 2024" in page


def test_a_full_bottom_five_says_nothing_more(city, client, auth):
    _, ward, chief = city
    team_of(10, ward, chief, 10)
    page = page_of(client, auth, "leader")
    assert page.count('<li class="list-group-item') == 10
    assert 'data-test="bottom-short"' not in page and 'data-test="without-target"' not in page


def test_the_funnel_and_the_success_rate(city, client, auth):
    _, ward, chief = city
    lan = make_officer("lan", supervisor=chief, areas=[ward])
    households = [make_household(ward, f"Hộ {n}") for n in range(4)]
    for household in households:
        make_contact(lan, ward, date(2024, 3, 1), "informed", household=household)
    make_contact(lan, ward, date(2024, 3, 2), "interested", household=households[0])
    make_enrollment(lan, ward, date(2024, 3, 9), household=households[0])
    make_enrollment(lan, ward, date(2024, 3, 9))  # no household: not a step of the funnel
    page = page_of(client, auth, "leader")
    assert "Tỷ lệ vận động thành công: 25,0 % số hộ đã được tuyên truyền, vận động." in page
    empty = page_of(client, auth, "leader", "period=2023")
    assert 'data-test="funnel-empty"' in empty and "Tỷ lệ vận động thành công" not in empty
