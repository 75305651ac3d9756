"""Real servers for tests that need them: gunicorn started the way README.md says, on a free
loopback port, stopped at the end (tests/test_production_start.py, tests/test_import_load.py)."""

from __future__ import annotations

import contextlib
import os
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

BIN = Path(sys.executable).parent


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def database_url(app) -> str:
    """The app's database as a URL another process can use (the PostgreSQL test schema rides
    in libpq's options)."""
    url = app.config["SQLALCHEMY_DATABASE_URI"]
    options = app.config.get("SQLALCHEMY_ENGINE_OPTIONS", {}).get("connect_args", {}).get("options")
    if options:
        url += "?options=" + urllib.request.quote(options)
    return url


def wait_until_up(base: str, path: str = "/healthz", seconds: float = 30) -> None:
    deadline = time.monotonic() + seconds
    while True:
        try:
            with urllib.request.urlopen(base + path, timeout=2):  # nosec B310 - loopback
                return
        except OSError:
            if time.monotonic() > deadline:
                raise
            time.sleep(0.1)


@contextlib.contextmanager
def gunicorn(env: dict, cwd: Path | None = None, workers: int = 4, threads: int = 1, log=None):
    """README.md's `gunicorn -c python:tracker.gunicorn_conf app:app` on a loopback port, with
    the workers and threads asked for; yields the base URL."""
    port = free_port()
    command = [str(BIN / "gunicorn"), "-c", "python:tracker.gunicorn_conf"]
    command += ["-w", str(workers), "--threads", str(threads), "-b", f"127.0.0.1:{port}"]
    server = subprocess.Popen(  # nosec B603 - our own gunicorn on loopback
        [*command, "app:app"],
        cwd=cwd,
        env={**os.environ, **env},
        stdout=subprocess.DEVNULL,
        stderr=log or subprocess.DEVNULL,
    )
    base = f"http://127.0.0.1:{port}"
    try:
        wait_until_up(base)
        yield base
    finally:
        server.terminate()
        server.wait(timeout=20)
