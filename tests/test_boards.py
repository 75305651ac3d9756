"""Leaderboards, dashboard, charts and exports: ordering, shapes, contents, query counts."""

import json
from datetime import date
from decimal import Decimal

import plotly.graph_objects as go
import pytest
from sqlalchemy import event

from tests.factories import make_area, make_city, make_enrollment, make_officer, make_user
from tracker import charts, demo, progress
from tracker.extensions import db
from tracker.periods import parse
from tracker.services.targets import TargetChange, set_target


@pytest.fixture(autouse=True)
def _before_2024(targets_today):
    """These tests set the targets of 2023 and 2024: the target rules see the day before."""
    targets_today(date(2023, 1, 1))


@pytest.fixture
def office(app):
    _, city = make_city()
    ward = make_area("Kim Tân", parent=city)
    chief = make_user("chief", "supervisor", full_name="Chief")
    officers = {
        name: make_officer(name.lower(), supervisor=chief, areas=[ward], full_name=name)
        for name in ("An", "Bình", "Chi", "Dũng")
    }
    make_user("leader", "leader")
    return city, ward, chief, officers


def give(officer, ward, count, month=3):
    for day in range(1, count + 1):
        make_enrollment(officer, ward, date(2024, month, day))


def test_officer_leaderboard_order_ties_uncapped_and_rank_change(office):
    city, ward, chief, o = office
    for officer, target in ((o["An"], 2), (o["Bình"], 4), (o["Chi"], 4)):
        set_target(
            chief, TargetChange("officer", officer.id, "new_participants", parse("2024-03"), target)
        )
    give(o["An"], ward, 3)  # 150 %, uncapped
    give(o["Bình"], ward, 2)  # 50 %
    give(o["Chi"], ward, 2)  # 50 %, ties with Bình: by name
    give(o["Dũng"], ward, 9)  # no target: last, whatever the actual
    give(o["Chi"], ward, 5, month=2)  # February: Chi first, then Dũng, An, Bình
    board = progress.officer_leaderboard(parse("2024-03"), "new_participants", date(2024, 3, 31))
    assert [(r.rank, r.name) for r in board.rows] == [
        (1, "An"),
        (2, "Bình"),
        (3, "Chi"),
        (4, "Dũng"),
    ]
    assert board.rows[0].progress.attainment == pytest.approx(1.5)
    changes = {r.name: r.extra["rank_change"] for r in board.rows}
    # February (no targets): ranked by actual then name: Chi 5, then An, Bình, Dũng at 0
    assert changes == {"An": 1, "Bình": 1, "Chi": -2, "Dũng": 0}


def test_period_without_targets_ranks_by_actual_then_name(office):
    city, ward, chief, o = office
    give(o["Chi"], ward, 2)
    board = progress.officer_leaderboard(parse("2024-03"), "new_participants", date(2024, 3, 31))
    assert [r.name for r in board.rows] == ["Chi", "An", "Bình", "Dũng"]
    assert all(r.progress.attainment is None and r.progress.pace is None for r in board.rows)
    assert board.total.progress.target is None


@pytest.mark.parametrize(
    "builder,limit",
    [
        (
            lambda: progress.officer_leaderboard(
                parse("2024"), "new_participants", date(2024, 6, 1)
            ),
            11,  # with the credit setting and the insurer's confirmed count beside
        ),
        (
            lambda: progress.area_leaderboard(
                parse("2024"), "participants_total", date(2024, 6, 1), progress.default_parent()
            ),
            14,
        ),
        (lambda: progress.org_leaderboard(parse("2024"), date(2024, 6, 1)), 3),
    ],
)
def test_each_board_is_a_constant_number_of_statements(office, builder, limit):
    city, ward, chief, _ = office
    for number in range(30):
        officer = make_officer(f"extra{number}", supervisor=chief, areas=[ward])
        make_enrollment(officer, ward, date(2024, 2, 1))
    for number in range(10):
        make_area(f"Xã {number}", "commune", parent=city)
    statements = []

    def count(*args):
        statements.append(args[2])

    event.listen(db.engine, "before_cursor_execute", count)
    try:
        builder()
    finally:
        event.remove(db.engine, "before_cursor_execute", count)
    assert len(statements) <= limit


def demo_day(monkeypatch, day):
    for module in ("tracker.boards.views", "tracker.boards.dashboard", "tracker.api.boards"):
        monkeypatch.setattr(f"{module}.local_today", lambda: day)


def test_dashboard_and_api_show_the_articles_figures(app, client, auth, monkeypatch):
    demo.seed(today=date(2024, 4, 30))
    demo_day(monkeypatch, date(2024, 3, 26))
    auth.login("leader", demo.DEMO_PASSWORD)
    page = client.get("/dashboard?period=2024").get_data(as_text=True)
    assert 'data-test="participants">3.167<' in page
    assert 'data-test="target">4.600<' in page
    assert 'data-test="attainment">68,8 %<' in page
    assert "2,1 %" in page.split('data-test="growth-attainment">')[1][:20]
    body = client.get("/api/v1/leaderboard/areas?period=2024").json
    assert body["period"] == {"start": "2024-01-01", "end": "2024-12-31"}
    assert body["metric"] == "participants_total"
    assert body["total"]["name"] == "BHXH cơ sở thành phố Lào Cai"  # the office of the city
    assert (body["total"]["actual"], body["total"]["target"]) == (3167, 4600)
    assert round(body["total"]["attainment"] * 100, 1) == 68.8
    assert round(body["total"]["growth_attainment"] * 100, 1) == 2.1
    city = client.get("/api/v1/leaderboard/areas?period=2024&parent=080").json
    assert city["total"]["name"] == "Thành phố Lào Cai"
    assert (city["total"]["actual"], city["total"]["target"]) == (3167, 4600)
    kim_tan = next(row for row in body["rows"] if row["name"] == "Phường Kim Tân")
    assert kim_tan["actual"] == 462
    assert {
        "rank",
        "id",
        "code",
        "name",
        "target",
        "actual",
        "attainment",
        "expected",
        "pace",
    } <= set(kim_tan)


def test_api_officer_leaderboard_shape(office, client, auth):
    city, ward, chief, o = office
    set_target(chief, TargetChange("officer", o["An"].id, "contacts", parse("2024"), 10))
    auth.login("an")  # officers see the leaderboard too
    body = client.get("/api/v1/leaderboard/officers?period=2024&metric=contacts").json
    assert body["metric"] == "contacts" and len(body["rows"]) == 4
    first = body["rows"][0]
    assert first["name"] == "An" and first["code"] == "an" and first["target"] == 10
    assert set(body["total"]) >= {"name", "target", "actual", "attainment"}
    assert client.get("/api/v1/leaderboard/officers?metric=bogus").status_code == 422


def test_boards_pages_render_for_every_role(office, client, auth):
    for username in ("an", "chief", "leader"):
        auth.login(username)
        for path in (
            "/dashboard",
            "/boards/officers",
            "/boards/areas",
            "/boards/orgs",
            f"/boards/areas/{office[1].id}",
        ):
            assert client.get(path).status_code == 200, (username, path)
        auth.logout()


def test_officer_sees_names_but_no_links_to_others(office, client, auth):
    auth.login("an")
    page = client.get("/boards/officers").get_data(as_text=True)
    assert "Bình" in page and f"/officers/{office[3]['Bình'].id}" not in page
    assert f"/officers/{office[3]['An'].id}" in page


def plotly_figure(figure: dict) -> go.Figure:
    """A figure of tracker/charts.py, validated against Plotly's schema (the app builds plain
    dicts and skips the validation on every request)."""
    return go.Figure(figure)


def test_chart_figures_carry_the_series(app):
    with app.test_request_context():
        period = parse("2024-03")
        figure = plotly_figure(
            charts.burnup(
                "t",
                period,
                date(2024, 3, 3),
                {date(2024, 3, 1): 2, date(2024, 3, 3): 1},
                31.0,
                31.0,
            )
        )
        actual, target, expected, forecast = figure.data
        assert list(actual.y) == [2, 2, 3] and list(target.y) == [31, 31]
        assert list(expected.y) == [0, 31] and list(forecast.y) == [3, 31]
        assert figure.layout.xaxis.tickformat == "%d/%m"
        bars = charts.areas_against_targets(
            "t", [("<b>Kim Tân</b>", 462, Decimal("671.0")), ("Cốc Lếu", 318, None)]
        )
        checked = plotly_figure(bars)
        assert list(checked.data[0].x) == [318, 462] and checked.layout.margin.l == 110
        assert "&lt;b&gt;Kim Tân&lt;/b&gt;" in checked.data[0].y
        years = plotly_figure(
            charts.participants_by_year(
                "t", [("2022", 2944, False), ("2023", 3136, False)], ("2024", 4600)
            )
        )
        assert list(years.data[0].y) == [2944, 3136] and list(years.data[1].y) == [4600]
        funnel = plotly_figure(charts.funnel("t", {"contacted": 8, "interested": 4, "enrolled": 2}))
        assert list(funnel.data[0].x) == [8, 4, 2]
        assert list(funnel.data[0].y) == [
            "Hộ đã được tuyên truyền, vận động",
            "trong đó quan tâm",
            "trong đó đã tham gia",
        ]
        assert funnel.layout.yaxis.autorange == "reversed" and funnel.layout.showlegend is False
        calendar = plotly_figure(charts.activity_calendar("t", period, {date(2024, 3, 4): 5}))
        assert calendar.data[0].z[0][1] == 5  # Monday of the second week
        text = str(charts.to_json(bars))
        drawn = json.loads(text)
        assert "</" not in text and drawn["data"][0]["type"] == "bar"
        assert drawn["data"][1]["x"] == [None, 671.0]  # a Decimal target, as a number


def test_officer_board_shows_a_page_at_a_time_ranked_over_everyone(
    office, client, auth, monkeypatch
):
    from tracker.boards import views

    city, ward, chief, o = office
    give(o["Dũng"], ward, 3)
    give(o["Chi"], ward, 2)
    give(o["Bình"], ward, 1)
    monkeypatch.setattr(views, "OFFICERS_PER_PAGE", 3)
    auth.login("leader")

    def ranks(page: int) -> list[str]:
        html = client.get(f"/boards/officers?period=2024-03&page={page}").get_data(as_text=True)
        body = html.split('data-test="officer-board"')[1].split("</tbody>")[0]
        return [cell.split("<")[0] for cell in body.split('<td class="text-end fw-semibold">')[1:]]

    assert ranks(1) == ["1", "2", "3"]
    assert ranks(2) == ["4"]  # An, last, still ranked against all four
    page_two = client.get("/boards/officers?period=2024-03&page=2").get_data(as_text=True)
    assert "An" in page_two and "Dũng" not in page_two.split('data-test="officer-board"')[1]
    assert ranks(99) == []  # past the end: an empty page, not an error


def test_dashboard_extremes_are_the_full_boards_ends(office):
    city, ward, chief, o = office
    for officer, target in ((o["An"], 2), (o["Bình"], 4), (o["Chi"], 3)):
        set_target(
            chief, TargetChange("officer", officer.id, "new_participants", parse("2024-03"), target)
        )
    give(o["An"], ward, 1)
    give(o["Bình"], ward, 3)
    give(o["Chi"], ward, 3)
    give(o["Dũng"], ward, 5)  # no target: in neither list
    period, today = parse("2024-03"), date(2024, 3, 31)
    board = progress.officer_leaderboard(period, "new_participants", today)
    with_target = [row for row in board.rows if row.progress.target is not None]
    extremes = progress.officer_extremes(period, "new_participants", today, 2)
    assert [(r.rank, r.name, r.progress) for r in extremes.top] == [
        (r.rank, r.name, r.progress) for r in with_target[:2]
    ]
    assert [(r.rank, r.name) for r in extremes.bottom] == [(3, "An")]
    assert (extremes.with_target, extremes.without_target) == (3, 1)


def test_chart_labels_escape_markup_but_keep_quotes(app):
    """Plotly reads <, > and & as markup but knows no &quot;: quotes stay as typed."""
    from tracker import charts

    with app.test_request_context():
        figure = plotly_figure(
            charts.areas_against_targets('Phường "Kim Tân" <b>', [('Tổ "Một" & <i>', 3, 5)])
        )
    assert figure.layout.title.text == 'Phường "Kim Tân" &lt;b&gt;'
    assert figure.data[0].y[0] == 'Tổ "Một" &amp; &lt;i&gt;'
