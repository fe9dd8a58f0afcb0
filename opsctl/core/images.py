"""Image names and the engine's build and push streams: pure functions, no Docker."""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

APP_REPOSITORY = "mycandidate"
# Where the build context may carry an extra CA bundle (builder stage only, see Dockerfile).
BUILD_CA_PATH = "docker/build-ca/ca.pem"


def image_tag(sha: str, dirty: bool, repository: str = APP_REPOSITORY) -> str:
    """`mycandidate:<sha>`, or `<sha>-dirty` when the working tree has uncommitted changes."""
    if not re.fullmatch(r"[0-9a-f]{7,40}", sha):
        raise ValueError(f"not a git commit id: {sha!r}")
    return f"{repository}:{sha}{'-dirty' if dirty else ''}"


def registry_ref(registry: str, tag: str) -> str:
    """A local tag under a registry: ('127.0.0.1:5000', 'app:1') -> '127.0.0.1:5000/app:1'."""
    registry = registry.strip().rstrip("/")
    for scheme in ("https://", "http://"):
        registry = registry.removeprefix(scheme)
    if not registry:
        raise ValueError("empty registry")
    return f"{registry}/{tag}"


def split_ref(ref: str) -> tuple[str, str]:
    """'host:5000/app:1' -> ('host:5000/app', '1'); the tag defaults to 'latest'."""
    name, _, tag = ref.rpartition(":")
    if not name or "/" in tag:
        return ref, "latest"
    return name, tag


def human_size(size: float) -> str:
    for unit in ("B", "kB", "MB", "GB"):
        if size < 1000 or unit == "GB":
            return f"{size:.0f} {unit}" if unit == "B" else f"{size:.1f} {unit}"
        size /= 1000
    raise AssertionError("unreachable")


# --- the engine's build stream ---------------------------------------------------------


@dataclass
class BuildProgress:
    """Folds the engine's JSON build stream into the current step, the log and the outcome."""

    step: str = ""
    image_id: str | None = None
    error: str | None = None
    tail: list[str] | None = None

    def feed(self, event: Mapping[str, Any]) -> str | None:
        """Take one event; return a new step's title when one starts."""
        if self.tail is None:
            self.tail = []
        if "error" in event or "errorDetail" in event:
            detail = event.get("errorDetail") or {}
            self.error = str(event.get("error") or detail.get("message") or "unknown error").strip()
            return None
        aux = event.get("aux")
        if isinstance(aux, Mapping) and "ID" in aux:
            self.image_id = str(aux["ID"])
        text = str(event.get("stream") or "")
        for line in text.splitlines():
            line = line.rstrip()
            if not line:
                continue
            match = re.match(r"^Step \d+/\d+ : ", line)
            if match:
                self.step = line
                self.tail = []
                return line
            if line.startswith("Successfully built ") and self.image_id is None:
                self.image_id = line.split()[-1]
            self.tail = [*self.tail[-19:], line]
        return None


def push_digest(events: Iterable[Mapping[str, Any]]) -> str:
    """The manifest digest the registry reported, or an error naming why there is none."""
    digest = None
    for event in events:
        if "error" in event or "errorDetail" in event:
            detail = event.get("errorDetail") or {}
            raise ValueError(str(event.get("error") or detail.get("message")).strip())
        aux = event.get("aux")
        if isinstance(aux, Mapping) and aux.get("Digest"):
            digest = str(aux["Digest"])
        status = str(event.get("status") or "")
        found = re.search(r"digest: (sha256:[0-9a-f]{64})", status)
        if found:
            digest = found.group(1)
    if digest is None:
        raise ValueError("the registry reported no digest")
    return digest
