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


def test_backup_is_private_and_keeps_the_password_off_the_command_line(
    make_app, backend, database_config, tmp_path
):
    """A backup holds every password hash: written 0600 (it was 0644). pg_dump gets the
    password in its environment, not on its command line, where `ps` shows it to anyone."""
    import os
    import stat
    import subprocess
    from unittest.mock import patch

    from sqlalchemy.engine import make_url

    overrides = {}
    if backend == "postgresql":  # trust authentication: any password is accepted
        url = make_url(database_config["SQLALCHEMY_DATABASE_URI"]).set(password="s3cret-pw")
        overrides["SQLALCHEMY_DATABASE_URI"] = url.render_as_string(hide_password=False)
    app = make_app(**overrides)
    path = tmp_path / "backup.dump"
    path.write_text("an older backup, world-readable")
    path.chmod(0o644)
    calls = []
    real_run = subprocess.run

    def recording_run(args, **kwargs):
        calls.append((args, kwargs.get("env") or {}))
        return real_run(args, **kwargs)

    with app.app_context(), patch.object(subprocess, "run", recording_run):
        make_officer("lan")
        os.umask(0o022)
        backup.backup(path)
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert path.stat().st_size > 0
    for args, env in calls:
        assert not any("s3cret-pw" in str(arg) for arg in args), args
        assert env.get("PGPASSWORD") == "s3cret-pw"
    assert len(calls) == (1 if backend == "postgresql" else 0)
