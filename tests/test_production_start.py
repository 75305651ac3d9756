"""A production start from a clean clone serves Vietnamese: README.md's steps exactly
(`flask --app app db upgrade`, then gunicorn) in a copy of the files git tracks, nothing else.

The compiled catalogs used to be ignored by git and compiled only by `make run`: a deploy that
followed the README served an English interface marked lang="vi". They are shipped now, and
test_i18n holds them in step with the .po files."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import urllib.request
import uuid

import pytest
from sqlalchemy import create_engine, text

from tests.conftest import POSTGRES_URL
from tests.servers import BIN, gunicorn
from tests.test_i18n import ROOT


def clean_clone(target):
    """What `git clone` gives: the tracked files, without anything built or ignored."""
    listed = subprocess.run(  # nosec B603 B607 - git, fixed arguments
        ["git", "ls-files", "-z"], cwd=ROOT, check=True, capture_output=True
    ).stdout.decode()
    for name in filter(None, listed.split("\0")):
        source = ROOT / name
        if source.is_file():
            (target / name).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(source, target / name)
    return target


@pytest.fixture
def production_database(backend, tmp_path):
    if backend == "sqlite":
        yield f"sqlite:///{tmp_path / 'production.db'}"
        return
    schema = f"prod_{uuid.uuid4().hex[:10]}"
    engine = create_engine(POSTGRES_URL)
    with engine.begin() as connection:
        connection.execute(text(f'CREATE SCHEMA "{schema}"'))
    yield POSTGRES_URL + "?options=" + urllib.request.quote(f"-csearch_path={schema}")
    with engine.begin() as connection:
        connection.execute(text(f'DROP SCHEMA "{schema}" CASCADE'))
    engine.dispose()


def test_readme_production_start_serves_vietnamese(tmp_path, production_database):
    clone = clean_clone(tmp_path / "clone")
    assert not (clone / "instance").exists()
    env = {
        "TRACKER_ENV": "production",
        "SECRET_KEY": "production-start-test",
        "DATABASE_URL": production_database,
        "PATH": f"{BIN}{os.pathsep}{os.environ['PATH']}",
    }
    subprocess.run(  # nosec B603 - the README's command
        [str(BIN / "flask"), "--app", "app", "db", "upgrade"],
        cwd=clone,
        env={**os.environ, **env},
        check=True,
        capture_output=True,
    )
    with gunicorn(env, cwd=clone) as base:
        with urllib.request.urlopen(f"{base}/login", timeout=10) as response:  # nosec B310
            page = response.read().decode()
        # static files through WhiteNoise: fingerprinted, Brotli, cached for good
        css = re.search(r'href="(/static/css/app\.[0-9a-f]{12}\.css)"', page).group(1)
        request = urllib.request.Request(base + css, headers={"Accept-Encoding": "br"})
        with urllib.request.urlopen(request, timeout=10) as response:  # nosec B310
            assert response.headers["Content-Encoding"] == "br"
            assert "immutable" in response.headers["Cache-Control"]
    assert '<html lang="vi">' in page
    assert "Đăng nhập" in page and "Sign in" not in page
