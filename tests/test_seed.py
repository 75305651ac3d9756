"""seed-demo: the article's figures, the demo users, and idempotency."""

import os
from datetime import date

from sqlalchemy import func, select

from tracker import demo
from tracker.extensions import db
from tracker.models import Area, ParticipantCount, Target, User


def test_seed_demo_cli_is_idempotent(app, monkeypatch):
    monkeypatch.setattr(demo, "local_today", lambda: date(2024, 5, 31))
    runner = app.test_cli_runner()
    first = runner.invoke(args=["seed-demo"])
    assert first.exit_code == 0, first.output
    assert "contacts: 0 added" not in first.output
    counts = {
        model: db.session.scalar(select(func.count()).select_from(model))
        for model in (Area, User, ParticipantCount, Target)
    }
    second = runner.invoke(args=["seed-demo"])
    assert second.exit_code == 0
    lines = second.output.strip().splitlines()
    assert all(line.endswith(": 0 added") for line in lines[:-1])
    listed = lines[-1].removeprefix("the insurer's list for Reconciliation: ")
    assert listed.endswith("demo-insurer-list.csv") and os.path.getsize(listed) > 0
    assert counts == {
        model: db.session.scalar(select(func.count()).select_from(model)) for model in counts
    }


def test_seed_demo_figures(app):
    demo.seed(today=date(2024, 4, 30))
    city = db.session.scalar(select(Area).where(Area.name == "Thành phố Lào Cai"))
    official = dict(
        db.session.execute(
            select(ParticipantCount.as_of, ParticipantCount.participants).where(
                ParticipantCount.area_id == city.id
            )
        ).all()
    )
    assert official == {date(2022, 12, 31): 2944, date(2023, 12, 31): 3136, date(2024, 3, 26): 3167}
    kim_tan = db.session.scalar(select(Area).where(Area.name == "Phường Kim Tân"))
    assert (
        db.session.scalar(
            select(ParticipantCount.participants).where(
                ParticipantCount.area_id == kim_tan.id, ParticipantCount.as_of == date(2024, 3, 26)
            )
        )
        == 462
    )
    wards = (
        select(ParticipantCount.participants)
        .join(Area)
        .where(Area.parent_id == city.id, ParticipantCount.as_of == date(2024, 3, 26))
    )
    assert len(db.session.scalars(wards).all()) == 17  # the official list of 2024, no Phố Mới
    assert db.session.scalar(select(func.sum(wards.subquery().c.participants))) == 3167
    assert db.session.scalar(select(Area.id).where(Area.name.like("%Phố Mới%"))) is None
    target = db.session.scalar(select(Target).where(Target.area_id == city.id))
    assert (target.metric, target.value, target.period_start, target.period_end) == (
        "participants_total",
        4600,
        date(2024, 1, 1),
        date(2024, 12, 31),
    )


def test_demo_users_sign_in_with_the_readme_password(app, auth, client):
    demo.seed(today=date(2024, 1, 31))
    for username in ("admin", "leader", "supervisor", "officer"):
        assert auth.login(username, demo.DEMO_PASSWORD).status_code == 302
        auth.logout()
    officer = db.session.scalar(select(User).where(User.username == "officer"))
    assert officer.supervisor.username == "supervisor"
    with open("README.md", encoding="utf-8") as readme:
        assert f"password `{demo.DEMO_PASSWORD}`" in readme.read()


def test_demo_in_todays_vietnam(app, client, auth, monkeypatch):
    """A leader reads 2026 in today's four units and 2024 in the old city's, switches 2024 to
    today's units and finds Kim Tân's 462 inside phường Lào Cai with the city's 3,167 intact."""
    today = date(2026, 11, 26)
    demo.seed(today=today)
    for module in ("tracker.boards.views", "tracker.boards.dashboard", "tracker.api.boards"):
        monkeypatch.setattr(f"{module}.local_today", lambda: today)
    auth.login("leader", demo.DEMO_PASSWORD)
    board = "/api/v1/leaderboard/areas?"
    now = client.get(board + "period=2026").json
    assert sorted(row["name"] for row in now["rows"]) == [
        "Phường Cam Đường",
        "Phường Lào Cai",
        "Xã Cốc San",
        "Xã Hợp Thành",
    ]
    assert all(row["target"] for row in now["rows"]) and now["total"]["target"]
    then = client.get(board + "period=2024").json
    assert len(then["rows"]) == 17 and "Phường Kim Tân" in {row["name"] for row in then["rows"]}
    assert then["total"]["target"] == 4600
    day = client.get(board + "from=2024-03-26&to=2024-03-26&units=current").json
    assert day["total"]["actual"] == 3167
    lao_cai = next(row for row in day["rows"] if row["name"] == "Phường Lào Cai")
    assert lao_cai["actual"] == 462 + 318 + 236 + 296 + 104  # Kim Tân, Cốc Lếu, Duyên Hải, …
    assert "Phường Kim Tân" in lao_cai["predecessors"]
    assert sum(row["actual"] for row in day["rows"]) == 3167
    page = client.get("/dashboard").get_data(as_text=True)
    assert 'data-test="target">—<' not in page and "BHXH cơ sở thành phố Lào Cai" in page
