"""Per-app helpers the blueprints share: the served dataset, the response cache."""

from __future__ import annotations

import threading
import time

from flask import current_app

from mycandidate.cache import ResponseCache
from mycandidate.db import get_session
from mycandidate.queries import ActiveDataset, active_dataset
from mycandidate.settings import Settings

# How long a worker trusts its idea of the served dataset; a re-load shows up after this.
DATASET_TTL = 5.0


class DatasetMemo:
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

    def get(self, name: str | None) -> ActiveDataset | None:
        fresh = self.peek()
        if fresh is not None:
            return fresh
        value = active_dataset(get_session(), name)
        with self._lock:
            self._value, self._expires = value, time.monotonic() + DATASET_TTL
        return value


def settings() -> Settings:
    return current_app.extensions["mycandidate.settings"]  # type: ignore[no-any-return]


def response_cache() -> ResponseCache:
    return current_app.extensions["mycandidate.cache"]  # type: ignore[no-any-return]


def served_dataset() -> ActiveDataset | None:
    memo: DatasetMemo = current_app.extensions["mycandidate.dataset"]
    return memo.get(settings().dataset)
