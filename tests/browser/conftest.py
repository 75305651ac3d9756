"""Browser journeys: the app served from a thread, driven by Debian's headless Chromium."""

from __future__ import annotations

import shutil
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest
from flask import Flask
from werkzeug.serving import make_server

from tests.conftest import BASE_CONFIG
from tracker import create_app, demo
from tracker.extensions import db

CHROMIUM = "/usr/bin/chromium"
SCREENSHOTS = Path(__file__).resolve().parents[2] / "artifacts" / "screenshots"


def pytest_collection_modifyitems(items):
    for item in items:
        item.add_marker(pytest.mark.browser)


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args):
    if not Path(CHROMIUM).exists():
        pytest.skip(f"{CHROMIUM} is missing: apt-get install chromium (make browser)")
    return {
        **browser_type_launch_args,
        "executable_path": CHROMIUM,
        "args": [
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--no-first-run",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
        ],
    }


@pytest.fixture(scope="session")
def demo_database(sqlite_template, tmp_path_factory) -> Path:
    """The demo office seeded once per session (about 45 s); each server works on a copy."""
    path = tmp_path_factory.mktemp("demo") / "demo.db"
    shutil.copy(sqlite_template, path)
    app = demo_app(path)
    with app.app_context():
        demo.seed()
        db.session.remove()
        db.engine.dispose()  # the last connection out folds the WAL into the file
    return path


def demo_app(path: Path) -> Flask:
    return create_app(
        {**BASE_CONFIG, "WTF_CSRF_ENABLED": True, "SQLALCHEMY_DATABASE_URI": f"sqlite:///{path}"}
    )


def copy_of_demo(demo_database: Path, folder: Path) -> Flask:
    """The app on a fresh copy of the demo office, for tests that change what they see."""
    path = folder / "demo.db"
    shutil.copy(demo_database, path)
    return demo_app(path)


@contextmanager
def served(app: Flask) -> Iterator[str]:
    """The app on a free port from a thread, for as long as the block lasts."""
    server = make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_port}"
    finally:
        server.shutdown()
        thread.join(timeout=5)


@pytest.fixture(scope="session")
def live_app(demo_database, tmp_path_factory):
    """The demo office on its own SQLite file."""
    return copy_of_demo(demo_database, tmp_path_factory.mktemp("live"))


@pytest.fixture(scope="session")
def live_server(live_app):
    """The demo office served on a free port for the whole session."""
    with served(live_app) as base:
        yield base


@pytest.fixture
def sign_in(page, live_server):
    def sign_in_as(username: str, password: str = demo.DEMO_PASSWORD):
        page.goto(f"{live_server}/login")
        page.fill("#username", username)
        page.fill("#password", password)
        page.click("button[type=submit]")
        page.wait_for_url(f"{live_server}/**")

    return sign_in_as


@pytest.fixture
def screenshot(page):
    """Save what the user sees at desktop and phone widths, for people to look at."""

    def take(name: str) -> None:
        SCREENSHOTS.mkdir(parents=True, exist_ok=True)
        for label, width, height in (("desktop", 1280, 800), ("phone", 375, 812)):
            page.set_viewport_size({"width": width, "height": height})
            page.screenshot(path=str(SCREENSHOTS / f"{name}-{label}.png"), full_page=True)
        page.set_viewport_size({"width": 1280, "height": 800})

    return take


@pytest.fixture(scope="session")
def browser_context_args(browser_context_args):
    """Vietnamese dates in native date inputs, as on an officer's phone."""
    return {**browser_context_args, "locale": "vi-VN", "timezone_id": "Asia/Ho_Chi_Minh"}
