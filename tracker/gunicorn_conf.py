"""gunicorn's settings for production: `gunicorn -c python:tracker.gunicorn_conf app:app`.

Threaded workers (gthread): a request mostly waits on the database, so each process serves
several at once, and a process per core keeps Python's lock from serialising the rest. Every
thread may hold one database connection: the pool (tracker/config.py) is sized from the same
WEB_THREADS, so workers × threads is the most connections the app opens (docs/operations.md).
"""

from __future__ import annotations

import os

# Every address: the reverse proxy in front (docs/operations.md) is what the world reaches.
bind = os.environ.get("BIND", "0.0.0.0:8000")
workers = int(os.environ.get("WEB_CONCURRENCY", os.cpu_count() or 2))
threads = int(os.environ.get("WEB_THREADS", "4"))
worker_class = "gthread"
timeout = 30  # a request taking longer is a bug; long work goes to the jobs worker
graceful_timeout = 20
keepalive = 5
accesslog = "-"

# Boards are computed once per data version (tracker/data_versions.py). The versions must be
# seen by every process: Redis when REDIS_URL is set; without it, one worker may keep them in
# its memory, but several would each miss the others' writes, so the cache is turned off.
if workers > 1 and not os.environ.get("REDIS_URL"):
    os.environ.setdefault("DATA_CACHE", "off")
