"""seed-demo: the article's figures, the demo users, and idempotency."""

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
    assert all(line.endswith(": 0 added") for line in second.output.strip().splitlines())
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
    kim_tan = db.session.scalar(select(Area).where(Area.name == "Kim Tân"))
    assert (
        db.session.scalar(
            select(ParticipantCount.participants).where(
                ParticipantCount.area_id == kim_tan.id, ParticipantCount.as_of == date(2024, 3, 26)
            )
        )
        == 462
    )
    wards_total = db.session.scalar(
        select(func.sum(ParticipantCount.participants))
        .join(Area)
        .where(Area.parent_id == city.id, ParticipantCount.as_of == date(2024, 3, 26))
    )
    assert wards_total == 3167
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
