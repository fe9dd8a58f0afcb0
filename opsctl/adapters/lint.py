"""ruff (rules and formatting) and mypy over a project, through the one program runner.

They run from the interpreter opsctl runs in (the dev dependencies), with the project's
own `[tool.ruff]` and `[tool.mypy]` settings, so `opsctl lint` and an editor agree.
"""

from __future__ import annotations

import importlib.util
import sys
from dataclasses import dataclass
from pathlib import Path

from opsctl.adapters.tools import run
from opsctl.errors import PrerequisiteError

TIMEOUT = 600.0


@dataclass(frozen=True)
class Check:
    name: str
    module: str
    args: tuple[str, ...]
    fix_args: tuple[str, ...] | None = None  # None: the check cannot fix anything


CHECKS = (
    Check("ruff", "ruff", ("check", "."), ("check", "--fix", ".")),
    Check("ruff format", "ruff", ("format", "--check", "."), ("format", ".")),
    Check("mypy", "mypy", ()),
)


@dataclass(frozen=True)
class CheckResult:
    name: str
    ok: bool
    output: str


def run_checks(root: Path, *, fix: bool = False) -> list[CheckResult]:
    """Every check over `root`, in order; all of them run even when one fails."""
    missing = sorted({c.module for c in CHECKS if importlib.util.find_spec(c.module) is None})
    if missing:
        raise PrerequisiteError(
            f"{', '.join(missing)} not installed in {sys.prefix}",
            hint="install the dev dependencies: ./dev lint does it",
        )
    results = []
    for check in CHECKS:
        args = check.fix_args if fix and check.fix_args is not None else check.args
        done = run([sys.executable, "-m", check.module, *args], cwd=root, timeout=TIMEOUT)
        output = (done.stdout + done.stderr).strip()
        results.append(CheckResult(check.name, done.returncode == 0, output))
    return results
