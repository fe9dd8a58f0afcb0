"""A folder's marker on every test under it (the suites are folders; see opsctl test)."""

from __future__ import annotations

from pathlib import Path

import pytest


def mark_folder(items: list[pytest.Item], folder: Path, marker: pytest.MarkDecorator) -> None:
    """Hooks in a conftest see the whole session, so only items under `folder` are marked."""
    for item in items:
        if folder in item.path.parents:
            item.add_marker(marker)
