"""One blueprint per area of work."""

from flask import Flask


def register_blueprints(app: Flask) -> None:
    from .admin import bp as admin
    from .api import bp as api
    from .auth import bp as auth
    from .boards import bp as boards
    from .books import bp as books
    from .field import bp as field
    from .households import bp as households
    from .main import bp as main
    from .outreach import bp as outreach
    from .targets import bp as targets
    from .team import bp as team

    for blueprint in (
        main,
        auth,
        field,
        households,
        team,
        targets,
        boards,
        outreach,
        books,
        admin,
        api,
    ):
        app.register_blueprint(blueprint)
