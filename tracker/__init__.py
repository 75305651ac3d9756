"""Outreach Tracker: grow voluntary social insurance coverage, officer by officer and ward by ward.

`create_app` reads as a table of contents: settings, extensions, blueprints, error pages, CLI.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from flask import Flask


def create_app(config: dict[str, Any] | None = None) -> Flask:
    app = Flask(
        __name__,
        instance_relative_config=True,
        template_folder="../templates",
        static_folder="../static",
    )
    Path(app.instance_path).mkdir(parents=True, exist_ok=True)

    from .config import load_settings

    app.config.update(load_settings(Path(app.instance_path)))
    if config:
        app.config.update(config)
    app.logger.setLevel(app.config["LOG_LEVEL"])

    if app.config["PROXY_FIX"]:
        from werkzeug.middleware.proxy_fix import ProxyFix

        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=1, x_proto=1, x_host=1)

    from . import (
        access,
        assets,
        charts,
        data_versions,
        database,
        errors,
        i18n,
        identity,
        inputs,
        progress,
        routing,
        security,
    )
    from .blueprints import register_blueprints
    from .cli import register_commands
    from .extensions import compress

    routing.init_app(app)
    inputs.init_app(app)
    database.init_app(app)
    progress.init_app(app)  # keeps the kept counts true; refuses bulk writes that would not
    data_versions.init_app(app)  # boards computed once per version of what they read
    identity.init_app(app)
    security.init_app(app)
    access.init_app(app)
    i18n.init_app(app)
    charts.init_app(app)
    register_blueprints(app)
    errors.init_app(app)
    compress.init_app(app)  # pages and API answers in br or gzip
    register_commands(app)
    assets.init_app(app)  # outermost: WhiteNoise answers /static/ before Flask sees it
    return app
