"""Personal API tokens: created with a name, shown once, stored hashed, revocable."""

from __future__ import annotations

from datetime import UTC, datetime

from sqlalchemy import select

from ..extensions import db
from ..identity import hash_token, new_token
from ..models import ApiToken, User
from . import audit

MAX_TOKENS = 20


class TokenError(ValueError):
    pass


def tokens_of(user: User) -> list[ApiToken]:
    return list(
        db.session.scalars(
            select(ApiToken)
            .where(ApiToken.user_id == user.id)
            .order_by(ApiToken.revoked_at.is_not(None), ApiToken.created_at.desc())
        )
    )


def create(user: User, name: str) -> str:
    """Returns the token itself: the only time anyone sees it."""
    live = [t for t in tokens_of(user) if t.revoked_at is None]
    if len(live) >= MAX_TOKENS:
        raise TokenError("too_many")
    plain = new_token()
    token = ApiToken(user_id=user.id, name=name.strip(), token_hash=hash_token(plain))
    db.session.add(token)
    db.session.flush()
    audit.record(user, "create", "api_token", token.id, None, {"name": token.name})
    db.session.commit()
    return plain


def revoke(user: User, token_id: int) -> bool:
    token = db.session.get(ApiToken, token_id)
    if token is None or token.user_id != user.id or token.revoked_at is not None:
        return False
    token.revoked_at = datetime.now(UTC)
    audit.record(user, "revoke", "api_token", token.id)
    db.session.commit()
    return True
