"""The checkout's commit, for image tags and labels."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from opsctl.adapters import tools
from opsctl.errors import PrerequisiteError


@dataclass(frozen=True)
class Revision:
    sha: str
    dirty: bool  # uncommitted changes, tracked or untracked


def revision(root: Path) -> Revision:
    head = tools.run(["git", "rev-parse", "HEAD"], cwd=root, timeout=30)
    if head.returncode != 0:
        raise PrerequisiteError(
            f"{root} is not a git checkout with a commit", hint="pass --tag to name the image"
        )
    status = tools.run(["git", "status", "--porcelain"], cwd=root, timeout=60)
    return Revision(head.stdout.strip(), bool(status.stdout.strip()))
