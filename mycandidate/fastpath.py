"""Answers this worker has already sent, replayed before Flask runs.

Through Flask, a cache hit spends most of its time in the framework (request context,
routing, hooks) to send a few kilobytes already in memory; on a two-core task that caps
the app at about half of what the server can do. This WSGI layer keeps the status,
headers and body Flask sent for a GET answered by the cache routine (status 200, no
cookie), keyed by the served dataset and everything such an answer depends on: scheme,
host, path, query and Accept-Encoding (so each encoding is kept compressed once). The
same request is then answered from memory, GET or HEAD, with no database. Conditional
requests, every other method, misses and errors go to Flask.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Iterable
from typing import TYPE_CHECKING, Any

from mycandidate.cache import LOCAL_MAX_BYTES, LocalMirror

if TYPE_CHECKING:
    from mycandidate.cache import ResponseCache
    from mycandidate.context import DatasetMemo

# Set in the WSGI environ by the cache routine: this response may be replayed.
REPLAYABLE = "mycandidate.replayable"
_IDENTITY = (
    "wsgi.url_scheme",
    "HTTP_HOST",
    "SERVER_NAME",
    "SERVER_PORT",
    "SCRIPT_NAME",
    "PATH_INFO",
    "QUERY_STRING",
    "HTTP_ACCEPT_ENCODING",
)
_CONDITIONAL = (
    "HTTP_IF_NONE_MATCH",
    "HTTP_IF_MATCH",
    "HTTP_IF_MODIFIED_SINCE",
    "HTTP_IF_UNMODIFIED_SINCE",
    "HTTP_IF_RANGE",
    "HTTP_RANGE",
)
# All tuples of strings and bytes: once the collector has seen them it stops tracking them.
_Sent = tuple[str, tuple[tuple[str, str], ...], bytes]


class FastPath:
    def __init__(
        self, wsgi_app: Callable[..., Iterable[bytes]], memo: DatasetMemo, cache: ResponseCache
    ) -> None:
        self._next = wsgi_app
        self._memo = memo
        self._cache = cache
        self._sent: LocalMirror[_Sent] = LocalMirror(cache.local_ttl, LOCAL_MAX_BYTES)

    def __call__(
        self, environ: dict[str, Any], start_response: Callable[..., Any]
    ) -> Iterable[bytes]:
        method = environ.get("REQUEST_METHOD")
        if method not in ("GET", "HEAD") or any(h in environ for h in _CONDITIONAL):
            return self._next(environ, start_response)
        dataset = self._memo.peek()
        if dataset is None:
            return self._next(environ, start_response)
        identity = "\n".join(str(environ.get(name, "")) for name in _IDENTITY)
        digest = hashlib.blake2b(identity.encode("utf-8", "surrogatepass"), digest_size=16)
        key = self._cache.key(dataset, "sent", digest.hexdigest())
        sent = self._sent.get(key)
        if sent is not None:
            status, headers, body = sent
            start_response(status, list(headers))
            return [] if method == "HEAD" else [body]
        if method == "HEAD":
            return self._next(environ, start_response)
        return self._record(key, environ, start_response)

    def _record(
        self, key: str, environ: dict[str, Any], start_response: Callable[..., Any]
    ) -> Iterable[bytes]:
        started: list[Any] = []

        def capture(status: str, headers: list[tuple[str, str]], *exc_info: Any) -> Any:
            started[:] = [status, headers]
            return start_response(status, headers, *exc_info)

        chunks = self._next(environ, capture)
        if not (
            environ.get(REPLAYABLE)
            and started
            and started[0].startswith("200 ")
            and all(name.lower() != "set-cookie" for name, _ in started[1])
        ):
            return chunks
        try:
            body = b"".join(chunks)
        finally:
            close = getattr(chunks, "close", None)
            if close is not None:
                close()
        headers = tuple((str(name), str(value)) for name, value in started[1])
        self._sent.put(key, (started[0], headers, body), size=len(body) + 64 * len(headers))
        return [body]
