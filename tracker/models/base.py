"""Helpers shared by the model modules."""

from datetime import UTC, datetime


def utcnow() -> datetime:
    """Aware UTC now; passed as a default function so it runs per row, not at import."""
    return datetime.now(UTC)
