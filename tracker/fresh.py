"""Reads that cost nothing when nothing changed: a page's figures are computed once per data
version (tracker/data_versions.py) and shared by every user and process through the cache, and
a browser that already holds the page gets a 304 without anything being computed.

A view names what its figures depend on (the slices) and what they vary with (the parts: the
period, scope, metric, scheme...); the language and the office's today are always added. The
page itself is rendered for each request: it holds the user's menu, links and CSRF token."""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Iterable
from typing import TypeVar

from flask import Response, make_response, request, session
from flask_babel import get_locale
from flask_login import current_user

from . import assets, data_versions
from .dates import local_today
from .extensions import cache

T = TypeVar("T")


class Fresh:
    """One page's read: its version stamp, its ETag, and its figures from the cache."""

    def __init__(self, name: str, parts: Iterable, slices: Iterable[str]) -> None:
        self.key = ":".join(
            ["fresh", name, *map(str, parts), str(get_locale()), local_today().isoformat()]
        )
        self.slices = list(slices)
        self.stamp = data_versions.stamp(self.slices)

    @property
    def etag(self) -> str | None:
        """The page as this user sees it: the figures' version, the user and this session's
        form token (a page kept from an earlier sign-in holds one that no longer submits), the
        static build (a deploy changes the page's asset links), the address."""
        if self.stamp is None:
            return None
        user = current_user.get_id() if current_user.is_authenticated else "-"
        form_token = session.get("csrf_token", "")
        seed = "|".join(
            [self.key, *self.stamp, user, form_token, assets.current().id, request.full_path]
        )
        return hashlib.sha256(seed.encode()).hexdigest()[:32]

    def not_modified(self) -> Response | None:
        """A 304 when the browser's copy is this version (and no message waits to be shown)."""
        tag = self.etag
        if tag is None or session.get("_flashes") or not request.if_none_match.contains_weak(tag):
            return None
        return self.conditional(Response(status=304))

    def figures(self, compute: Callable[[], T]) -> T:
        """compute() once per version: later reads of the same version take the cached copy."""
        if self.stamp is None:
            return compute()
        key = self.key + ":" + ":".join(self.stamp)
        value = cache.get(key)
        if value is None:
            with data_versions.reading(self.slices):  # its parts cache by what they read
                value = compute()
            cache.set(key, value)
        return value

    def conditional(self, response) -> Response:
        """The response with its ETag; browsers keep it privately and ask again each time."""
        response = make_response(response)
        if self.etag is not None:
            response.set_etag(self.etag, weak=True)  # weak: the same page in gzip or br
            response.headers["Cache-Control"] = "private, no-cache"
        return response
