"""Response cache in Redis, keyed by dataset version and request. Redis down costs speed only.

Each worker also keeps a small local mirror of what it read from Redis, for a short
while: a hot ward is then served without a network round trip, which on a busy
two-core task costs more than the rest of the request. Redis stays the one shared
copy; the mirror only ever holds bytes Redis returned, and forgets them after
LOCAL_TTL seconds (so a flushed key stops being served locally within that time).
"""

from __future__ import annotations

import logging
import threading
import time
from collections import OrderedDict
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from mycandidate.queries import ActiveDataset

log = logging.getLogger(__name__)

# After a failure, leave Redis alone for a while instead of paying a timeout per request.
RETRY_AFTER = 5.0
LOCAL_TTL = 60.0
LOCAL_MAX_BYTES = 16 * 1024 * 1024  # per worker process


class LocalMirror:
    """A byte-bounded LRU of (expiry, value); thread-safe for threaded workers."""

    def __init__(
        self, ttl: float, max_bytes: int, clock: Callable[[], float] = time.monotonic
    ) -> None:
        self._ttl = ttl
        self._clock = clock
        self._max_bytes = max_bytes
        self._bytes = 0
        self._entries: OrderedDict[str, tuple[float, bytes]] = OrderedDict()
        self._lock = threading.Lock()

    def get(self, key: str) -> bytes | None:
        with self._lock:
            entry = self._entries.get(key)
            if entry is None:
                return None
            if entry[0] < self._clock():
                self._drop(key)
                return None
            self._entries.move_to_end(key)
            return entry[1]

    def put(self, key: str, value: bytes) -> None:
        if len(value) > self._max_bytes:
            return
        with self._lock:
            if key in self._entries:
                self._drop(key)
            self._entries[key] = (self._clock() + self._ttl, value)
            self._bytes += len(value)
            while self._bytes > self._max_bytes:
                self._drop(next(iter(self._entries)))

    def _drop(self, key: str) -> None:
        _, value = self._entries.pop(key)
        self._bytes -= len(value)


class ResponseCache:
    def __init__(self, url: str | None, ttl: int, prefix: str = "mycandidate:v1") -> None:
        self._url = url
        self._ttl = ttl
        self._prefix = prefix
        self._client: Any = None
        self._errors: tuple[type[BaseException], ...] = (OSError,)
        self._down_until = 0.0
        self._local = LocalMirror(min(LOCAL_TTL, ttl), LOCAL_MAX_BYTES)

    @property
    def enabled(self) -> bool:
        return self._url is not None

    def key(self, dataset: ActiveDataset, *parts: str) -> str:
        """Keyed by the files' version and the load's row id: a re-load of the same files
        renumbers candidates, so it must not be served answers cached before it."""
        return ":".join((self._prefix, dataset.name, f"{dataset.version}.{dataset.id}", *parts))

    def get(self, key: str) -> bytes | None:
        if self._url is None:
            return None
        local = self._local.get(key)
        if local is not None:
            return local
        client = self._redis()
        if client is None:
            return None
        try:
            value: bytes | None = client.get(key)
        except self._errors as exc:
            self._failed("get", exc)
            return None
        if value is not None:
            self._local.put(key, value)
        return value

    def get_local(self, key: str) -> bytes | None:
        """This worker's mirror only: no network, so it can answer before Flask runs."""
        return self._local.get(key) if self._url is not None else None

    def set(self, key: str, value: bytes) -> None:
        client = self._redis()
        if client is None:
            return
        try:
            client.set(key, value, ex=self._ttl)
        except self._errors as exc:
            self._failed("set", exc)

    def _redis(self) -> Any:
        if self._url is None or time.monotonic() < self._down_until:
            return None
        if self._client is None:
            import redis

            self._errors = (redis.RedisError, OSError)
            self._client = redis.Redis.from_url(
                self._url, socket_timeout=0.25, socket_connect_timeout=0.25
            )
        return self._client

    def _failed(self, operation: str, exc: BaseException) -> None:
        self._down_until = time.monotonic() + RETRY_AFTER
        log.warning(
            "redis %s failed, serving without cache for %.0fs: %s", operation, RETRY_AFTER, exc
        )
