"""Today lists a few follow-ups and renewals and counts the rest in SQL ("and N more")."""

from __future__ import annotations

import re
from datetime import timedelta

from tests.factories import make_area, make_city, make_enrollment, make_household, make_officer
from tracker.dates import local_today
from tracker.extensions import db
from tracker.services import today as today_service


def _officer_with_work(follow_ups: int, overdue: int, renewals: int):
    _, city = make_city()
    ward = make_area("Kim Tân", parent=city)
    officer = make_officer("lan", areas=[ward])
    day = local_today()
    for index in range(follow_ups):
        due = day - timedelta(days=3) if index < overdue else day
        make_household(
            ward,
            f"Hộ {index:03d}",
            officer_id=officer.id,
            status="interested",
            next_follow_up_on=due,
        )
    make_household(  # due tomorrow: not on today's list
        ward,
        "Hộ ngày mai",
        officer_id=officer.id,
        status="interested",
        next_follow_up_on=day + timedelta(days=1),
    )
    make_household(  # enrolled already: nothing to follow up
        ward, "Hộ đã tham gia", officer_id=officer.id, status="enrolled", next_follow_up_on=day
    )
    for _ in range(renewals):
        make_enrollment(officer, ward, day - timedelta(days=365), paid_through_on=day)
    return officer, day


def test_the_lists_hold_the_first_few_and_count_the_rest(app):
    officer, day = _officer_with_work(follow_ups=27, overdue=4, renewals=13)
    found = today_service.for_officer(officer, day)
    assert len(found.follow_ups) == today_service.SHOWN == 10
    assert (found.follow_ups_due, found.overdue, found.more_follow_ups) == (27, 4, 17)
    assert all(h.next_follow_up_on < day for h in found.follow_ups[:4])  # longest overdue first
    assert (len(found.renewals), found.renewals_due, found.more_renewals) == (10, 13, 3)


def test_a_short_list_has_nothing_more(app):
    officer, day = _officer_with_work(follow_ups=3, overdue=0, renewals=0)
    found = today_service.for_officer(officer, day)
    assert (found.follow_ups_due, found.overdue, found.more_follow_ups) == (3, 0, 0)
    assert (found.renewals, found.renewals_due) == ([], 0)


def test_the_page_says_how_many_more(app, client, auth):
    _officer_with_work(follow_ups=23, overdue=2, renewals=0)
    db.session.commit()
    auth.login("lan")
    page = client.get("/").get_data(as_text=True)
    badge = re.search(r'data-test="follow-ups-count">([^<]+)<', page).group(1)
    assert badge == "23"
    assert "và 13 mục khác" in page
    assert 'data-test="more-renewals"' not in page
