"""Response cache in Redis, keyed by dataset version and request. Redis down costs speed only."""

from __future__ import annotations

import logging
import time
from typing import Any

log = logging.getLogger(__name__)

# After a failure, leave Redis alone for a while instead of paying a timeout per request.
RETRY_AFTER = 5.0


class ResponseCache:
    def __init__(self, url: str | None, ttl: int, prefix: str = "mycandidate:v1") -> None:
        self._url = url
        self._ttl = ttl
        self._prefix = prefix
        self._client: Any = None
        self._errors: tuple[type[BaseException], ...] = (OSError,)
        self._down_until = 0.0

    @property
    def enabled(self) -> bool:
        return self._url is not None

    def key(self, dataset: str, version: str, *parts: str) -> str:
        return ":".join((self._prefix, dataset, version, *parts))

    def get(self, key: str) -> bytes | None:
        client = self._redis()
        if client is None:
            return None
        try:
            return client.get(key)  # type: ignore[no-any-return]
        except self._errors as exc:
            self._failed("get", exc)
            return None

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
