"""Work that outlives the request which asked for it (committing a 20,000-row import).

With REDIS_URL set, jobs go on an RQ queue in that Redis (the one sign-in throttling already
uses) and `flask --app app jobs-worker` runs them, in its own process: a gunicorn worker's 30 s
timeout never applies and a deploy restarting the web workers loses nothing. Without Redis, a
thread of the web process runs them, so a single-machine install needs nothing more. Either
way a job is a function named by its import path, called with plain arguments inside an app
context, and must be safe to run again (the import job resumes where it stopped).
"""

from __future__ import annotations

import importlib
import threading

import click
from flask import Flask, current_app

JOB_TIMEOUT = 3600  # seconds an RQ job may run before the worker stops it
_threads: list[threading.Thread] = []


def _call(path: str, args: tuple) -> None:
    module, _dot, name = path.rpartition(".")
    getattr(importlib.import_module(module), name)(*args)


def _run_in_thread(app: Flask, path: str, args: tuple) -> None:
    with app.app_context():
        try:
            _call(path, args)
        except Exception:  # noqa: BLE001 - a thread has nobody else to report to
            app.logger.exception("job %s%r failed", path, args)


def _redis(app: Flask):
    from redis import Redis

    return Redis.from_url(app.config["REDIS_URL"])


def queue(app: Flask):
    from rq import Queue

    return Queue(app.config["JOBS_QUEUE"], connection=_redis(app))


def uses_queue(app: Flask) -> bool:
    return bool(app.config.get("REDIS_URL"))


def enqueue(path: str, *args) -> None:
    """Run `path(*args)` outside this request: on the RQ queue, or in a thread."""
    app = current_app._get_current_object()
    if uses_queue(app):
        queue(app).enqueue(
            path, *args, job_timeout=JOB_TIMEOUT, result_ttl=3600, failure_ttl=7 * 86400
        )
        return
    thread = threading.Thread(
        target=_run_in_thread, args=(app, path, args), name=f"job {path}", daemon=True
    )
    _threads[:] = [t for t in _threads if t.is_alive()] + [thread]
    thread.start()


def wait_for_threads(timeout: float = 60) -> None:
    """Tests and the command line: let the in-process jobs finish."""
    for thread in list(_threads):
        thread.join(timeout)


@click.command("jobs-worker")
@click.option("--burst", is_flag=True, help="Stop once the queue is empty.")
def worker_command(burst: bool) -> None:
    """Run queued jobs (imports) from the RQ queue on REDIS_URL; keep it running beside
    gunicorn (docs/operations.md)."""
    from rq import SimpleWorker

    app = current_app._get_current_object()
    if not uses_queue(app):
        raise click.ClickException("REDIS_URL is not set: jobs run inside the web process.")
    # SimpleWorker runs each job in this process, inside this command's app context (a forking
    # worker would share the parent's database connections with its child).
    SimpleWorker([queue(app)], connection=_redis(app)).work(burst=burst)


def init_app(app: Flask) -> None:
    app.cli.add_command(worker_command)
