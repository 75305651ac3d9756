from flask import jsonify
from flask_login import current_user

from ..access import signed_in
from . import bp


@bp.route("/me")
@signed_in
def me():
    user = current_user
    return jsonify(
        id=user.id,
        username=user.username,
        full_name=user.full_name,
        role=user.role,
        areas=[{"id": a.id, "code": a.code, "name": a.name} for a in user.areas],
    )
