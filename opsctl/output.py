"""Console objects shared by commands: results on stdout, diagnostics on stderr."""

from __future__ import annotations

import json
from functools import cache
from typing import Any

from rich.console import Console

from opsctl.settings import current


@cache
def stdout() -> Console:
    return Console(no_color=current().no_color or None, highlight=False)


@cache
def stderr() -> Console:
    return Console(stderr=True, no_color=current().no_color or None, highlight=False)


def print_json(data: Any) -> None:
    """Machine-readable output: plain JSON on stdout, no colour, no wrapping."""
    print(json.dumps(data, indent=2, sort_keys=True, default=str))
