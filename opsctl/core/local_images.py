"""Stand-ins for the official base images, made from Debian's packages: names and mirrors.

Pure: the apt mirror from sources text, and the cache tag of each local base.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Iterable
from dataclasses import dataclass

DEFAULT_MIRROR = "http://deb.debian.org/debian"
SUITE = "bookworm"


def mirror_from_sources(texts: Iterable[str]) -> str:
    """The Debian mirror apt uses on this machine (deb822 `URIs:` or one-line `deb`)."""
    for text in texts:
        for stanza in re.split(r"\n\s*\n", text):
            fields = dict(
                (key.strip().lower(), value.strip())
                for key, _, value in (
                    line.partition(":")
                    for line in stanza.splitlines()
                    if ":" in line and not line.lstrip().startswith("#")
                )
            )
            suites = fields.get("suites", "").split()
            if SUITE in suites and fields.get("uris"):
                return fields["uris"].split()[0]
        for line in text.splitlines():
            parts = line.split()
            if not parts or parts[0] != "deb":
                continue
            # deb [options] URI suite components...
            at = next((i for i, part in enumerate(parts) if "://" in part), None)
            if at is not None and parts[at + 1 : at + 2] == [SUITE]:
                return parts[at]
    return DEFAULT_MIRROR


@dataclass(frozen=True)
class LocalBase:
    """An image built from Debian's packages, standing in for an official one."""

    name: str  # folder under docker/ holding its Dockerfile
    version: str  # what it stands in for, e.g. "15-bookworm"

    def tag(self, recipe_digest: str, parent_id: str) -> str:
        """Cached by tag: the tag changes when the recipe or the parent image changes."""
        key = hashlib.sha256(f"{recipe_digest}\n{parent_id}".encode()).hexdigest()[:12]
        return f"mycandidate-local/{self.name}:{self.version}-{key}"


DEBIAN_REPOSITORY = f"mycandidate-local/debian:{SUITE}"
LOCAL_BASES = {
    "python": LocalBase("python", "3.11-bookworm"),
    "postgres": LocalBase("postgres", "15-bookworm"),
    "redis": LocalBase("redis", "7-bookworm"),
}
