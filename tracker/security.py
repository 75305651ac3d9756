"""CSRF, sign-in throttling and the security and caching headers every response carries."""

from __future__ import annotations

from flask import Flask, request

from .extensions import csrf, limiter

# No inline script anywhere: chart data travels as JSON in a data element, drawn by our own
# static script. Plotly writes inline styles, hence 'unsafe-inline' for styles only.
CONTENT_SECURITY_POLICY = "; ".join(
    [
        "default-src 'self'",
        "script-src 'self'",
        "style-src 'self' 'unsafe-inline'",
        "img-src 'self' data:",
        "font-src 'self'",
        "connect-src 'self'",
        "object-src 'none'",
        "base-uri 'self'",
        "form-action 'self'",
        "frame-ancestors 'none'",
    ]
)


def _security_headers(response):
    headers = response.headers
    headers.setdefault("Content-Security-Policy", CONTENT_SECURITY_POLICY)
    headers.setdefault("X-Content-Type-Options", "nosniff")
    headers.setdefault("X-Frame-Options", "DENY")
    headers.setdefault("Referrer-Policy", "same-origin")
    if request.is_secure:
        headers.setdefault("Strict-Transport-Security", "max-age=31536000; includeSubDomains")
    # Pages, CSV, XLSX and JSON hold people's records: no shared or browser cache keeps them
    # (the service worker keeps its own copies for offline use). Static files set their own.
    headers.setdefault("Cache-Control", "private, no-store")
    return response


def init_app(app: Flask) -> None:
    csrf.init_app(app)
    limiter.init_app(app)
    app.after_request(_security_headers)
