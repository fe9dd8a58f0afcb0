"""Ward answers this worker already holds, served before Flask runs.

Through Flask, a cache hit spends most of its time in the framework (request context,
routing, session, hooks) to send a few kilobytes already in memory; on a two-core task
that caps the API at about half of what the server can do. This WSGI layer answers
GET/HEAD /api/v1/wards/<id>[/candidates|/ballot] itself when the served dataset is
known (no database needed) and this worker's mirror of Redis holds the answer. Anything
else, including every miss and every error, goes to Flask. A test pins its status,
headers and body to Flask's for the same request.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from typing import TYPE_CHECKING, Any

from werkzeug.http import parse_etags

from mycandidate.security import NON_HTML_HEADERS

if TYPE_CHECKING:
    from flask import Flask

    from mycandidate.cache import ResponseCache
    from mycandidate.context import DatasetMemo

_WARD_PATH = re.compile(r"/api/v1/wards/([0-9]{1,16})(?:/(candidates|ballot))?")


def ward_cache_parts(code: str, view: str | None) -> tuple[str, ...]:
    """The cache key parts of a ward endpoint; the routes and this layer must agree."""
    return ("ward", code, view) if view else ("ward", code)


class WardFastPath:
    def __init__(
        self, app: Flask, wsgi_app: Callable[..., Iterable[bytes]], cache_control: str
    ) -> None:
        self._app = app
        self._next = wsgi_app
        self._cache_control = cache_control

    def __call__(
        self, environ: dict[str, Any], start_response: Callable[..., Any]
    ) -> Iterable[bytes]:
        hit = self._hit(environ)
        if hit is None:
            return self._next(environ, start_response)
        etag, body = hit
        headers = [("ETag", f'"{etag}"'), ("Cache-Control", self._cache_control)]
        if etag in parse_etags(environ.get("HTTP_IF_NONE_MATCH")):
            start_response("304 NOT MODIFIED", [*headers, *NON_HTML_HEADERS])
            return []
        headers += [("Content-Type", "application/json"), ("Content-Length", str(len(body)))]
        start_response("200 OK", [*headers, *NON_HTML_HEADERS])
        return [] if environ["REQUEST_METHOD"] == "HEAD" else [body]

    def _hit(self, environ: dict[str, Any]) -> tuple[str, bytes] | None:
        if environ.get("REQUEST_METHOD") not in ("GET", "HEAD"):
            return None
        match = _WARD_PATH.fullmatch(environ.get("PATH_INFO", ""))
        if match is None:
            return None
        memo: DatasetMemo = self._app.extensions["mycandidate.dataset"]
        dataset = memo.peek()
        if dataset is None:
            return None
        cache: ResponseCache = self._app.extensions["mycandidate.cache"]
        key = cache.key(dataset, *ward_cache_parts(match[1], match[2]))
        value = cache.get_local(key)
        if value is None:
            return None
        etag, _, body = value.partition(b"\n")
        return etag.decode(), body
