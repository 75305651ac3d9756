"""Who may do what: the one home of the role table (docs/design.md).

Every view declares its rule with one of the decorators below; a request to a view without a
declared rule is refused (and tests/test_access.py fails on it). Templates ask `can(...)`.
No role string is compared anywhere else in the code.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import TYPE_CHECKING, Any

from flask import Flask, abort, current_app, request
from flask_login import current_user

if TYPE_CHECKING:
    from .models import User

ALL_ROLES = frozenset({"officer", "supervisor", "leader", "admin"})

# Capability → roles that have it (docs/design.md, "Roles: who may do what").
CAPABILITIES: dict[str, frozenset[str]] = {
    "log_fieldwork": frozenset({"officer", "supervisor", "admin"}),
    "view_records": ALL_ROLES,
    "view_households": ALL_ROLES,
    "set_officer_targets": frozenset({"supervisor", "admin"}),
    "set_area_targets": frozenset({"leader", "admin"}),
    "reopen_targets": frozenset({"leader", "admin"}),
    "view_team": frozenset({"supervisor", "leader", "admin"}),
    "view_boards": ALL_ROLES,
    "export": ALL_ROLES,
    "administer": frozenset({"admin"}),
    "review_prospects": frozenset({"supervisor", "admin"}),
    "import_data": frozenset({"supervisor", "admin"}),
    "merge_households": frozenset({"supervisor", "admin"}),
    "view_audit": frozenset({"leader", "admin"}),
    "reconcile": frozenset({"supervisor", "admin"}),
    "view_reconciliation": frozenset({"supervisor", "leader", "admin"}),
}

RULE_ATTRIBUTE = "access_rule"
PUBLIC = "public"
SIGNED_IN = "signed_in"


def has_capability(user: Any, capability: str) -> bool:
    if capability not in CAPABILITIES:
        raise KeyError(f"unknown capability {capability!r}")
    return bool(user.is_authenticated and user.role in CAPABILITIES[capability])


def role_has(role: str, capability: str) -> bool:
    """For a role not yet saved (a form's choice): would it have this capability?"""
    return role in CAPABILITIES[capability]


def reports_to_supervisor(role: str) -> bool:
    """Only officers belong to a supervisor's team."""
    return role == "officer"


def carries_personal_targets(user: User) -> bool:
    """Officers are the people targets are set for (supervisors set them)."""
    return user.role == "officer"


def is_officer_clause():
    """SQL condition selecting active officers (boards rank officers only)."""
    from .models import User

    return (User.role == "officer") & User.active


def is_supervisor_clause():
    """SQL condition selecting active supervisors (for pick lists)."""
    from .models import User

    return (User.role == "supervisor") & User.active


def can(capability: str) -> bool:
    """For templates and views: may the current user do this?"""
    return has_capability(current_user, capability)


def _declare(view: Callable, rule: str) -> Callable:
    setattr(view, RULE_ATTRIBUTE, rule)
    return view


def public(view: Callable) -> Callable:
    """Open to everyone, signed in or not (sign-in page, health check)."""
    return _declare(view, PUBLIC)


def signed_in(view: Callable) -> Callable:
    """Any active signed-in user, whatever the role."""
    return _declare(view, SIGNED_IN)


def requires(capability: str) -> Callable[[Callable], Callable]:
    """Only users whose role has `capability`; others get 403."""
    if capability not in CAPABILITIES:
        raise KeyError(f"unknown capability {capability!r}")

    def decorator(view: Callable) -> Callable:
        @wraps(view)
        def wrapped(*args: Any, **kwargs: Any) -> Any:
            if current_user.is_authenticated and not has_capability(current_user, capability):
                abort(403)
            return view(*args, **kwargs)

        return _declare(wrapped, capability)

    return decorator


def rule_of(view: Callable | None) -> str | None:
    return getattr(view, RULE_ATTRIBUTE, None)


def _enforce_declared_rule() -> Any:
    """Before every request: the view must declare a rule, and non-public views need a user."""
    if request.endpoint is None:
        return None  # 404 / 405: let Flask answer
    view = current_app.view_functions.get(request.endpoint)
    rule = "public" if request.endpoint == "static" else rule_of(view)
    if rule is None:
        current_app.logger.error("view %s declares no access rule", request.endpoint)
        abort(403)
    if rule != PUBLIC and not current_user.is_authenticated:
        return current_app.login_manager.unauthorized()
    return None


# Object-level checks ------------------------------------------------------------------------


def sees_everyone(user: User) -> bool:
    """Leaders and admins see every officer's work; others see themselves and their team."""
    return user.role in ("leader", "admin")


def visible_officer_ids(user: User) -> set[int] | None:
    """Officers whose contacts and enrollments `user` may see; None means everyone."""
    if sees_everyone(user):
        return None
    ids = {user.id}
    if leads_team(user):
        ids.update(member.id for member in user.team)
    return ids


def leads_team(user: User) -> bool:
    """Supervisors lead a team of officers."""
    return user.role == "supervisor"


def can_be_supervisor(user: User) -> bool:
    return leads_team(user) and user.active


def works_in_field(user: User) -> bool:
    """Officers, supervisors and admins log contacts and enrollments."""
    return has_capability(user, "log_fieldwork")


def may_see_officer(user: User, officer: User) -> bool:
    ids = visible_officer_ids(user)
    return ids is None or officer.id in ids


def may_edit_record(user: User, owner_id: int) -> bool:
    """Contacts and enrollments are edited by their officer (or an admin); leaders read only.
    The 7-day window is a rule of the record, checked by the service."""
    if has_capability(user, "administer"):
        return True
    return has_capability(user, "log_fieldwork") and owner_id == user.id


def loggable_area_ids(user: User) -> set[int] | None:
    """Wards and communes `user` may log contacts in: their own; None means any (admins)."""
    if not has_capability(user, "log_fieldwork"):
        return set()
    if has_capability(user, "administer"):
        return None
    return {assignment.area_id for assignment in user.assignments}


def visible_area_ids(user: User) -> set[int] | None:
    """Wards whose households `user` may see: assigned ones, the team's for supervisors;
    None means all (leaders and admins)."""
    if sees_everyone(user):
        return None
    ids = {assignment.area_id for assignment in user.assignments}
    if leads_team(user):
        for member in user.team:
            ids.update(assignment.area_id for assignment in member.assignments)
    return ids


def may_set_target_for(user: User, subject: str, officer: User | None = None) -> bool:
    if subject == "officer":
        if user.role == "admin":
            return True
        return (
            has_capability(user, "set_officer_targets")
            and officer is not None
            and officer.supervisor_id == user.id
        )
    return has_capability(user, "set_area_targets")


def may_see_import(user: User, job) -> bool:
    """An import (its preview, its progress, its commit) is its importer's; admins see all."""
    return has_capability(user, "import_data") and (
        job.user_id == user.id or has_capability(user, "administer")
    )


def may_see_insurer_record(user: User, record) -> bool:
    """A row of the insurer's list: leaders and admins see all; a supervisor sees their office's
    rows that hold no enrollment or one of their team's."""
    if not has_capability(user, "view_reconciliation"):
        return False
    if sees_everyone(user):
        return True
    if record.office_id != user.office_id:
        return False
    return record.enrollment is None or record.enrollment.officer_id in visible_officer_ids(user)


def init_app(app: Flask) -> None:
    app.before_request(_enforce_declared_rule)
    app.jinja_env.globals["can"] = can
