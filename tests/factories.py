"""Plain factory functions: each test builds the little world it needs, visibly."""

from __future__ import annotations

import itertools
from datetime import date

from tracker.extensions import db
from tracker.models import (
    Area,
    Assignment,
    CollectionOrg,
    Contact,
    Enrollment,
    Household,
    Office,
    User,
)

PASSWORD = "correct-horse-9"
_sequence = itertools.count(1)


def make_area(
    name: str = "Kim Tân",
    kind: str = "ward",
    parent: Area | None = None,
    code: str | None = None,
    **values,
) -> Area:
    area = Area(
        code=code or f"A{next(_sequence)}",
        name=name,
        kind=kind,
        parent_id=parent.id if parent else None,
        **values,
    )
    db.session.add(area)
    db.session.commit()
    return area


def make_city() -> tuple[Area, Area]:
    province = make_area("Lào Cai", "province")
    city = make_area("Thành phố Lào Cai", "district", parent=province)
    return province, city


def make_user(
    username: str,
    role: str = "officer",
    supervisor: User | None = None,
    areas: list[Area] = (),
    active: bool = True,
    full_name: str | None = None,
    password: str = PASSWORD,
) -> User:
    user = User(
        username=username,
        full_name=full_name or username.title(),
        role=role,
        supervisor_id=supervisor.id if supervisor else None,
        active=active,
        locale="vi",
    )
    user.set_password(password)
    db.session.add(user)
    db.session.flush()
    for index, area in enumerate(areas):
        db.session.add(Assignment(officer_id=user.id, area_id=area.id, is_primary=index == 0))
    db.session.commit()
    return user


def make_officer(username: str = "officer", supervisor: User | None = None, areas=(), **kw) -> User:
    return make_user(username, "officer", supervisor=supervisor, areas=areas, **kw)


def make_household(area: Area, head_name: str = "Nguyễn Văn A", **values) -> Household:
    household = Household(area_id=area.id, head_name=head_name, **values)
    db.session.add(household)
    db.session.commit()
    return household


def make_contact(
    officer: User,
    area: Area,
    on: date,
    outcome: str = "informed",
    household: Household | None = None,
    **values,
) -> Contact:
    contact = Contact(
        officer_id=officer.id,
        area_id=area.id,
        contacted_on=on,
        outcome=outcome,
        channel=values.pop("channel", "home_visit"),
        household_id=household.id if household else None,
        client_token=values.pop("client_token", f"t{next(_sequence)}"),
        **values,
    )
    db.session.add(contact)
    db.session.commit()
    return contact


def make_enrollment(
    officer: User, area: Area, on: date, household: Household | None = None, **values
) -> Enrollment:
    enrollment = Enrollment(
        officer_id=officer.id,
        area_id=area.id,
        enrolled_on=on,
        participant_name=values.pop("participant_name", "Người tham gia"),
        household_id=household.id if household else None,
        client_token=values.pop("client_token", f"e{next(_sequence)}"),
        **values,
    )
    db.session.add(enrollment)
    db.session.commit()
    return enrollment


def make_org(name: str = "Bưu điện", kind: str = "post_office") -> CollectionOrg:
    org = CollectionOrg(name=name, kind=kind)
    db.session.add(org)
    db.session.commit()
    return org


def make_office(
    name: str = "BHXH cơ sở", covers: list[Area] = (), code: str | None = None
) -> Office:
    office = Office(code=code or f"O{next(_sequence)}", name=name, areas=list(covers))
    db.session.add(office)
    db.session.commit()
    return office
