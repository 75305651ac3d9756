"""Entry point for `flask --app app` and `gunicorn app:app`."""

import gc

from tracker import create_app

app = create_app()
# What exists now (modules, the app) lives as long as the process: keep it out of the garbage
# collector's full passes, which otherwise walk it again and again while a national board builds
# its 20,000 rows (docs/performance.md: a third of that board's time).
gc.freeze()
