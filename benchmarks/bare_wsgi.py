"""The ceiling for benchmarks/http.py: a WSGI app that replays the real app's responses.

It answers each path with the status, headers and body the real app gave for it
(recorded in the JSON file named by $BENCH_RESPONSES), so both runs send the same bytes
and the difference is the app's own work.
"""

from __future__ import annotations

import json
import os
from collections.abc import Callable, Iterable
from typing import Any

with open(os.environ["BENCH_RESPONSES"], encoding="utf-8") as handle:
    _RESPONSES: dict[str, tuple[str, list[tuple[str, str]], bytes]] = {
        path: (status, [tuple(h) for h in headers], body.encode())  # type: ignore[misc]
        for path, (status, headers, body) in json.load(handle).items()
    }
_MISSING = ("404 Not Found", [("Content-Type", "application/json")], b"{}")


def app(environ: dict[str, Any], start_response: Callable[..., Any]) -> Iterable[bytes]:
    path = environ["PATH_INFO"]
    if environ.get("QUERY_STRING"):
        path += "?" + environ["QUERY_STRING"]
    status, headers, body = _RESPONSES.get(path, _MISSING)
    start_response(status, headers)
    return [body]
