"""opsctl: build, test, scan, diagram and deploy MyCandidate."""

from __future__ import annotations

from functools import cache


@cache
def _installed_version() -> str:
    # Read on first use: importlib.metadata costs more than the rest of `opsctl --help`.
    from importlib.metadata import PackageNotFoundError, version

    try:
        return version("mycandidate")
    except PackageNotFoundError:  # running from a source tree that is not installed
        return "0.0.0+unknown"


def __getattr__(name: str) -> str:
    if name == "__version__":
        return _installed_version()
    raise AttributeError(f"module 'opsctl' has no attribute {name!r}")
