"""AuditEvent rows: recorded in the same transaction as the change they describe."""

from __future__ import annotations

from typing import Any

from ..extensions import db
from ..models import AuditEvent, User


def record(
    actor: User | None,
    action: str,
    entity: str,
    entity_id: int | None,
    before: dict[str, Any] | None = None,
    after: dict[str, Any] | None = None,
) -> None:
    """Add an audit event to the session; the caller's commit makes it stick, or not at all."""
    db.session.add(
        AuditEvent(
            actor_id=actor.id if actor is not None else None,
            action=action,
            entity=entity,
            entity_id=entity_id,
            before=before,
            after=after,
        )
    )


def snapshot(obj: Any, fields: tuple[str, ...]) -> dict[str, Any]:
    """The audited fields of an object as JSON-safe values (never a password hash)."""
    values = {}
    for field in fields:
        value = getattr(obj, field)
        values[field] = value.isoformat() if hasattr(value, "isoformat") else value
    return values
