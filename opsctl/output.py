"""Console objects shared by commands: results on stdout, diagnostics on stderr."""

from __future__ import annotations

import json
import os
from functools import cache
from typing import Any

from rich.console import Console


@cache
def stdout() -> Console:
    return Console(no_color=bool(os.environ.get("NO_COLOR")) or None, highlight=False)


@cache
def stderr() -> Console:
    return Console(stderr=True, no_color=bool(os.environ.get("NO_COLOR")) or None, highlight=False)


def print_json(data: Any) -> None:
    """Machine-readable output: plain JSON on stdout, no colour, no wrapping."""
    print(json.dumps(data, indent=2, sort_keys=True, default=str))
