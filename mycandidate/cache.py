"""The answer cache: one codec, one key, an in-process layer always and Redis when configured.

Answers only change with a new load, and every key names the load (dataset version and
row id), so a worker keeps what it built or read in memory, per dataset version. With
REDIS_URL set, Redis is the one shared copy between workers and tasks: the in-process
layer then only holds what Redis returned, and forgets it after LOCAL_TTL seconds (so a
flushed key stops being served within that time). Redis down costs speed only.
"""

from __future__ import annotations

import hashlib
import logging
import threading
import time
from collections import OrderedDict
from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Generic, TypeVar

if TYPE_CHECKING:
    from mycandidate.queries import ActiveDataset

log = logging.getLogger(__name__)

# After a failure, leave Redis alone for a while instead of paying a timeout per request.
RETRY_AFTER = 5.0
LOCAL_TTL = 60.0
LOCAL_MAX_BYTES = 16 * 1024 * 1024  # per worker process and layer
# A ward's code in the electoral commission's list, everywhere it is read (routes, schema).
WARD_CODE = r"[0-9]{1,16}"

V = TypeVar("V")


@dataclass(frozen=True)
class Answer:
    """A cached answer: its ETag and body, stored as `etag \\n body`."""

    etag: str
    body: bytes

    @classmethod
    def of(cls, body: bytes) -> Answer:
        return cls(hashlib.blake2b(body, digest_size=12).hexdigest(), body)

    @classmethod
    def decode(cls, stored: bytes) -> Answer:
        etag, _, body = stored.partition(b"\n")
        return cls(etag.decode(), body)

    def encode(self) -> bytes:
        return self.etag.encode() + b"\n" + self.body


class LocalMirror(Generic[V]):
    """A byte-bounded LRU of (expiry, value); thread-safe for threaded workers."""

    def __init__(
        self, ttl: float, max_bytes: int, clock: Callable[[], float] = time.monotonic
    ) -> None:
        self._ttl = ttl
        self._clock = clock
        self._max_bytes = max_bytes
        self._bytes = 0
        self._entries: OrderedDict[str, tuple[float, V, int]] = OrderedDict()
        self._lock = threading.Lock()

    def get(self, key: str) -> V | None:
        with self._lock:
            entry = self._entries.get(key)
            if entry is None:
                return None
            if entry[0] < self._clock():
                self._drop(key)
                return None
            self._entries.move_to_end(key)
            return entry[1]

    def put(self, key: str, value: V, size: int | None = None) -> None:
        """Keep a value; `size` is its cost in bytes (its length unless given)."""
        size = len(value) if size is None else size  # type: ignore[arg-type]
        if size > self._max_bytes:
            return
        with self._lock:
            if key in self._entries:
                self._drop(key)
            self._entries[key] = (self._clock() + self._ttl, value, size)
            self._bytes += size
            while self._bytes > self._max_bytes:
                self._drop(next(iter(self._entries)))

    def _drop(self, key: str) -> None:
        self._bytes -= self._entries.pop(key)[2]


class ResponseCache:
    def __init__(self, url: str | None, ttl: int, prefix: str = "mycandidate:v1") -> None:
        self._url = url
        self._ttl = ttl
        self._prefix = prefix
        self._client: Any = None
        self._errors: tuple[type[BaseException], ...] = (OSError,)
        self._down_until = 0.0
        self.local_ttl = float(min(LOCAL_TTL, ttl) if url else ttl)
        self._local: LocalMirror[bytes] = LocalMirror(self.local_ttl, LOCAL_MAX_BYTES)

    def key(self, dataset: ActiveDataset, *parts: str) -> str:
        """Keyed by the files' version and the load's row id: a re-load of the same files
        renumbers candidates, so it must not be served answers cached before it."""
        return ":".join((self._prefix, dataset.name, f"{dataset.version}.{dataset.id}", *parts))

    def get(self, key: str) -> Answer | None:
        stored = self._local.get(key)
        if stored is None and self._url is not None:
            stored = self._from_redis(key)
            if stored is not None:
                self._local.put(key, stored)
        return None if stored is None else Answer.decode(stored)

    def set(self, key: str, answer: Answer) -> None:
        if self._url is None:
            self._local.put(key, answer.encode())
            return
        client = self._redis()
        if client is None:
            return
        try:
            client.set(key, answer.encode(), ex=self._ttl)
        except self._errors as exc:
            self._failed("set", exc)

    def _from_redis(self, key: str) -> bytes | None:
        client = self._redis()
        if client is None:
            return None
        try:
            value: bytes | None = client.get(key)
        except self._errors as exc:
            self._failed("get", exc)
            return None
        return value

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
