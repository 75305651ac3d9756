"""The reorganisations admin screen through the Flask client: a mapping file or one change on
the form is previewed, then applied; a file with bad rows answers 422 with each problem on its
row, shows no Apply button, and writes nothing, whether uploaded or posted to apply."""

from __future__ import annotations

import html
import re
from datetime import date
from io import BytesIO

import pytest
from flask_babel import force_locale
from sqlalchemy import func, select

from tests.factories import make_area, make_household, make_user
from tracker.admin.reorganisations import problem_message
from tracker.extensions import db
from tracker.models import Area, AreaSuccession, AuditEvent, Household, Reorganisation

HEADER = "old_code,new_code,new_name,kind,parent,effective_date,share\n"
MERGE = HEADER + (
    "02647,02647,Phường Lào Cai,phường,15,2025-07-01,100\n"
    "02644,02647,Phường Lào Cai,phường,15,2025-07-01,100\n"
    "02665,02647,Phường Lào Cai,phường,15,2025-07-01,100\n"
    "080,,,,,2025-07-01,\n"
)


@pytest.fixture
def city(app, auth):
    """Old Lào Cai city in brief, with a household in each unit and an administrator signed
    in."""
    province = make_area("Tỉnh Lào Cai", "province", code="15")
    district = make_area("Thành phố Lào Cai", "city", parent=province, code="080")
    kim_tan = make_area("Phường Kim Tân", "ward", parent=district, code="02647")
    coc_leu = make_area("Phường Cốc Lếu", "ward", parent=district, code="02644")
    van_hoa = make_area("Xã Vạn Hòa", "commune", parent=district, code="02665")
    homes = [
        make_household(kim_tan, "Nguyễn Văn An"),
        make_household(coc_leu, "Trần Thị Bình"),
        make_household(van_hoa, "Lò Văn Cường", address="Thôn 1"),
        make_household(van_hoa, "Lò Thị Dung", address="Thôn 2"),
    ]
    make_user("admin", "admin")
    auth.login("admin")
    return {"province": province, "van_hoa": van_hoa, "homes": homes}


def upload(client, text: str, source: str = "Nghị quyết 1673/NQ-UBTVQH15"):
    data = {"file": (BytesIO(text.encode()), "mapping.csv"), "source": source}
    return client.post("/admin/reorganisations/file", data=data)


def hidden_rows(page: str) -> str:
    """The rows the preview carries to the apply step, as the browser would post them."""
    return html.unescape(re.search(r'name="rows" value="([^"]*)"', page).group(1))


def problem_rows(page: str) -> list[tuple[int, str, str]]:
    """(line, column, reason) of each row of the problems table."""
    table = page.split('data-test="problems"')[1].split("</table>")[0]
    row = r"<tr><td>(\d+)</td><td><code>([^<]*)</code></td><td>([^<]*)</td></tr>"
    cells = re.findall(row, table)
    return [(int(line), column, html.unescape(reason)) for line, column, reason in cells]


def in_vietnamese(problem: str, params: dict | None = None) -> str:
    with force_locale("vi"):
        return problem_message(problem, params or {})


def nothing_written(areas_before: int) -> bool:
    return (
        db.session.scalar(select(func.count()).select_from(Reorganisation)) == 0
        and db.session.scalar(select(func.count()).select_from(AreaSuccession)) == 0
        and db.session.scalar(select(func.count()).select_from(Area)) == areas_before
        and db.session.scalar(select(Area).where(Area.valid_to.is_not(None))) is None
    )


BAD_FILES = {
    "unknown_code": (
        "99999,02647,Phường Lào Cai,phường,15,2025-07-01,100\n",
        [(2, "old_code", "unknown_code", {"code": "99999"})],
    ),
    "shares_not_100": (
        "02665,02700,Phường Bắc,phường,15,2025-07-01,60\n"
        "02665,02701,Phường Nam,phường,15,2025-07-01,30\n",
        [
            (2, "share", "shares_not_100", {"total": 90.0}),
            (3, "share", "shares_not_100", {"total": 90.0}),
        ],
    ),
    "code_taken": (  # Cốc Lếu bears 02644 and goes on: a new unit cannot take it
        "02647,02644,Phường Mới,phường,15,2025-07-01,100\n",
        [(2, "new_code", "code_taken", {"name": "Phường Cốc Lếu"})],
    ),
    "cycle": (
        "02647,07,Quận A,quận,08,2025-07-01,100\n02644,08,Quận B,quận,07,2025-07-01,100\n",
        [(2, "parent", "cycle", {}), (3, "parent", "cycle", {})],
    ),
}


@pytest.mark.parametrize("case", list(BAD_FILES))
def test_a_file_with_bad_rows_shows_them_and_writes_nothing(city, client, case):
    body, expected = BAD_FILES[case]
    areas_before = db.session.scalar(select(func.count()).select_from(Area))
    preview = upload(client, HEADER + body)
    page = preview.get_data(as_text=True)
    assert preview.status_code == 422
    found = problem_rows(page)
    for line, column, code, params in expected:
        assert (line, column, in_vietnamese(code, params)) in found
    assert 'data-test="apply"' not in page
    assert nothing_written(areas_before)
    # Posting the same rows to apply, as a forged form would, is refused the same way.
    forced = client.post(
        "/admin/reorganisations/apply",
        data={"rows": hidden_rows(page), "source": "x", "action": "apply"},
    )
    assert forced.status_code == 422
    assert 'data-test="apply"' not in forced.get_data(as_text=True)
    assert nothing_written(areas_before)


def test_rows_that_cannot_be_read_are_refused_at_apply(city, client):
    rows = '[{"line": 2, "old_code": "02647", "new_code": "02647", "new_name": "X",'
    rows += ' "kind": "phường", "parent": "15", "effective_date": "31/02/2025", "share": "100"}]'
    refused = client.post("/admin/reorganisations/apply", data={"rows": rows, "action": "apply"})
    assert refused.status_code == 422
    page = refused.get_data(as_text=True)
    assert (2, "effective_date", in_vietnamese("not_a_date")) in problem_rows(page)
    assert db.session.scalar(select(func.count()).select_from(Reorganisation)) == 0


def test_a_good_file_previews_then_applies(city, client):
    preview = upload(client, MERGE)
    page = preview.get_data(as_text=True)
    assert preview.status_code == 200 and 'data-test="apply"' in page
    for figure, value in (("ending", 4), ("beginning", 1), ("households", 4)):
        assert f'data-test="{figure}">{value}<' in page
    assert db.session.scalar(select(func.count()).select_from(Reorganisation)) == 0  # a preview
    applied = client.post(
        "/admin/reorganisations/apply",
        data={
            "rows": hidden_rows(page),
            "source": "Nghị quyết 1673/NQ-UBTVQH15",
            "action": "apply",
        },
    )
    assert applied.status_code == 302 and applied.location.endswith("/admin/reorganisations")
    reorganisation = db.session.scalar(select(Reorganisation))
    assert (reorganisation.effective_on, reorganisation.source) == (
        date(2025, 7, 1),
        "Nghị quyết 1673/NQ-UBTVQH15",
    )
    merged = db.session.scalar(select(Area).where(Area.code == "02647", Area.valid_to.is_(None)))
    assert merged.name == "Phường Lào Cai" and merged.parent_id == city["province"].id
    assert {h.area_id for h in db.session.scalars(select(Household))} == {merged.id}
    assert db.session.scalar(select(AuditEvent.actor_id).where(AuditEvent.action == "reorganise"))
    listing = client.get("/admin/reorganisations").get_data(as_text=True)
    assert "Nghị quyết 1673/NQ-UBTVQH15" in listing and 'data-test="undo"' in listing


def test_a_split_on_the_form_assigns_the_households_chosen(city, client):
    van_hoa, (_an, _binh, cuong, dung) = city["van_hoa"], city["homes"]
    form = {
        "kind": "split",
        "effective_on": "2025-07-01",
        "source": "Nghị quyết 1673/NQ-UBTVQH15",
        "old": [str(van_hoa.id)],
        "into": "",
        "new_kind": "",
        "parent": str(city["province"].id),
        "parts": "02700; Xã Vạn Hòa Bắc; 60\n02703; Xã Vạn Hòa Nam; 40",
    }
    preview = client.post("/admin/reorganisations/new", data=form)
    page = preview.get_data(as_text=True)
    assert preview.status_code == 200 and 'data-test="apply"' in page
    households = page.split('data-test="split-households"')[1].split("</table>")[0]
    for home in (cuong, dung):  # both proposed to the largest part, 02700
        assert f'name="household-{home.id}"' in households
        assert re.search(rf'household-{home.id}".*?value="02700" selected', households, re.S)
    rows = hidden_rows(page)
    choices = {f"household-{cuong.id}": "02703", f"household-{dung.id}": "02700"}
    again = client.post(
        "/admin/reorganisations/apply", data={"rows": rows, **choices, "action": "preview"}
    )
    shown = again.get_data(as_text=True).split('data-test="split-households"')[1]
    assert re.search(rf'household-{cuong.id}".*?value="02703" selected', shown, re.S)
    assert db.session.scalar(select(func.count()).select_from(Reorganisation)) == 0
    applied = client.post(
        "/admin/reorganisations/apply", data={"rows": rows, **choices, "action": "apply"}
    )
    assert applied.status_code == 302
    placed = {
        household.head_name: household.area.code
        for household in db.session.scalars(
            select(Household).where(Household.id.in_((cuong.id, dung.id)))
        )
    }
    assert placed == {"Lò Văn Cường": "02703", "Lò Thị Dung": "02700"}
    parts = db.session.execute(
        select(Area.code, AreaSuccession.share)
        .join(AreaSuccession, AreaSuccession.successor_id == Area.id)
        .where(AreaSuccession.predecessor_id == van_hoa.id)
    ).all()
    assert sorted(parts) == [("02700", 6_000), ("02703", 4_000)]
    assert db.session.get(Area, van_hoa.id).valid_to == date(2025, 7, 1)
