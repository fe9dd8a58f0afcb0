"""Lint and type-check a project as CI does: ruff rules, ruff formatting, mypy."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from opsctl.adapters.lint import CheckResult


def lint_project(path: Path, *, fix: bool) -> list[CheckResult]:
    """Every check runs, whatever the one before found; `fix` applies ruff's safe fixes."""
    from opsctl.adapters.lint import run_checks

    return run_checks(path, fix=fix)
