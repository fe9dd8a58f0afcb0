"""Per-app helpers the blueprints share: the served dataset and the one answer routine."""

from __future__ import annotations

import threading
import time
from collections.abc import Callable

from flask import Response, current_app, request

from mycandidate.cache import Answer, ResponseCache
from mycandidate.db import OUTAGE_ERRORS, RETRY_AFTER, Outage, get_outage, get_session
from mycandidate.fastpath import REPLAYABLE
from mycandidate.queries import ActiveDataset, active_dataset
from mycandidate.settings import Settings

# How long a worker trusts its idea of the served dataset; a re-load shows up after this.
DATASET_TTL = 5.0


class DatasetMemo:
    """The served dataset, re-read every few seconds. While the database cannot be
    reached the last one read stays served, so cached answers keep their keys."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._value: ActiveDataset | None = None
        self._expires = 0.0

    def peek(self) -> ActiveDataset | None:
        """The remembered dataset while it is fresh; never touches the database."""
        with self._lock:
            if self._value is not None and time.monotonic() < self._expires:
                return self._value
        return None

    def get(self, name: str | None, outage: Outage) -> ActiveDataset | None:
        fresh = self.peek()
        if fresh is not None:
            return fresh
        try:
            value = active_dataset(get_session(), name)
        except OUTAGE_ERRORS as exc:
            with self._lock:
                last = self._value
                # One try per interval and worker, not one per request.
                self._expires = time.monotonic() + RETRY_AFTER
            if last is None:
                raise
            outage.failed(exc)
            return last
        outage.recovered()
        with self._lock:
            self._value, self._expires = value, time.monotonic() + DATASET_TTL
        return value


def settings() -> Settings:
    return current_app.extensions["mycandidate.settings"]  # type: ignore[no-any-return]


def response_cache() -> ResponseCache:
    return current_app.extensions["mycandidate.cache"]  # type: ignore[no-any-return]


def served_dataset() -> ActiveDataset | None:
    memo: DatasetMemo = current_app.extensions["mycandidate.dataset"]
    return memo.get(settings().dataset, get_outage())


def cached_response(
    dataset: ActiveDataset,
    parts: tuple[str, ...],
    build: Callable[[ActiveDataset], bytes | None],
    mimetype: str,
    cache_control: str | None = None,
) -> Response | None:
    """The answer for `parts` from the cache, else built and stored; None if `build` had
    nothing. The API and the site both answer through here, so an answer has one key,
    one stored form and one ETag, and the fast path may replay what this sent."""
    cache = response_cache()
    key = cache.key(dataset, *parts)
    answer = cache.get(key)
    if answer is None:
        body = build(dataset)
        if body is None:
            return None
        answer = Answer.of(body)
        cache.set(key, answer)
    request.environ[REPLAYABLE] = True
    # The hot path of every request: headers given up front, and If-None-Match parsed
    # only when a client sent one.
    headers = [("ETag", f'"{answer.etag}"')]
    if cache_control:
        headers.append(("Cache-Control", cache_control))
    if "If-None-Match" in request.headers and answer.etag in request.if_none_match:
        # The type is never sent with a 304, but it picks the security headers.
        return Response(status=304, headers=headers, mimetype=mimetype)
    return Response(answer.body, headers=headers, mimetype=mimetype)
