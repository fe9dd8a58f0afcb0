"""Where opsctl finds the repository it works on."""

from __future__ import annotations

from functools import cache
from pathlib import Path


@cache
def repo_root() -> Path:
    """The checkout opsctl runs from: the folder holding the opsctl package."""
    return Path(__file__).resolve().parents[1]
