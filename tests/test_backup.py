"""Backup and restore: a round trip that loses nothing, on SQLite and PostgreSQL."""

from datetime import date

from sqlalchemy import func, select

from tests.factories import make_area, make_contact, make_officer
from tracker import backup
from tracker.extensions import db
from tracker.models import Contact, User
from tracker.progress import kept


def test_round_trip_loses_nothing(app, tmp_path):
    ward = make_area("Kim Tân")
    lan = make_officer("lan", areas=[ward])
    for day in range(1, 6):
        make_contact(lan, ward, date(2024, 1, day), notes=f"ghi chú {day} – Kim Tân")
    path = tmp_path / "backup.dump"
    backup.backup(path)
    assert path.stat().st_size > 0
    with kept.bulk():
        db.session.execute(Contact.__table__.delete())
    db.session.commit()
    assert db.session.scalar(select(func.count()).select_from(Contact)) == 0
    backup.restore(path)
    notes = sorted(db.session.scalars(select(Contact.notes)))
    assert notes == [f"ghi chú {day} – Kim Tân" for day in range(1, 6)]
    assert db.session.scalar(select(User.username)) == "lan"


def test_cli_refuses_a_missing_file(app, tmp_path):
    result = app.test_cli_runner().invoke(args=["restore", str(tmp_path / "nope"), "--yes"])
    assert result.exit_code != 0 and "does not exist" in result.output
