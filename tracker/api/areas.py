"""GET /api/v1/areas?on=YYYY-MM-DD: the units that exist on a day, with where they came from
and where they went (docs/design.md, "Areas in time")."""

from __future__ import annotations

from flask import jsonify
from flask_babel import gettext as _

from .. import progress
from ..access import requires
from ..dates import local_today
from ..errors import json_error
from ..web import date_arg_or_none
from . import bp
from .schemas import AreasOut, AreasQuery
from .spec import declare


@bp.route("/areas")
@requires("view_boards")
@declare(query=AreasQuery, ok=AreasOut, tags=["areas"])
def areas_on():
    day, bad = date_arg_or_none("on")
    if bad:
        return json_error(
            422, _("Some fields are not valid."), "invalid", {"on": _("A date as YYYY-MM-DD.")}
        )
    day = day or local_today()
    tree = progress.area_tree()
    rows = [
        {
            "id": area.id,
            "code": area.code,
            "name": area.name,
            "kind": area.kind,
            "parent": area.parent_id,
            "valid_from": area.valid_from.isoformat() if area.valid_from else None,
            "valid_to": area.valid_to.isoformat() if area.valid_to else None,
            "predecessors": sorted(s.other for s in tree.predecessors.get(area.id, [])),
            "successors": sorted(s.other for s in tree.successors.get(area.id, [])),
        }
        for area in sorted(tree.areas.values(), key=lambda a: (a.code, a.id))
        if area.exists_on(day)
    ]
    return jsonify(on=day.isoformat(), rows=rows)
