"""opsctl: build, test, scan, diagram and deploy MyCandidate."""

from importlib.metadata import PackageNotFoundError, version

try:
    __version__ = version("mycandidate")
except PackageNotFoundError:  # running from a source tree that is not installed
    __version__ = "0.0.0+unknown"
