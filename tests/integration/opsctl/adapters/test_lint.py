"""opsctl lint on small projects: a clean one passes, each planted defect fails its own check."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from opsctl.adapters.lint import CHECKS
from opsctl.app import app

PYPROJECT = """\
[tool.ruff]
line-length = 100
[tool.ruff.lint]
select = ["E", "F", "I"]
[tool.mypy]
packages = ["pkg"]
cache_dir = ".mypy_cache"
"""
CLEAN = 'def greet(name: str) -> str:\n    return f"hello {name}"\n'


def project(folder: Path, source: str) -> Path:
    (folder / "pkg").mkdir()
    (folder / "pyproject.toml").write_text(PYPROJECT)
    (folder / "pkg" / "__init__.py").write_text("")
    (folder / "pkg" / "core.py").write_text(source)
    return folder


def lint(folder: Path, *extra: str) -> tuple[int, dict[str, bool]]:
    result = CliRunner().invoke(app, ["lint", "--path", str(folder), "--json", *extra])
    report = json.loads(result.stdout[: result.stdout.rindex("]") + 1])
    return result.exit_code, {r["check"]: r["ok"] for r in report}


def test_clean_project_passes(tmp_path) -> None:
    code, checks = lint(project(tmp_path, CLEAN))
    assert code == 0
    assert checks == {c.name: True for c in CHECKS}


@pytest.mark.parametrize(
    ("source", "failing"),
    [
        ("import os\n\n\n" + CLEAN, "ruff"),
        (CLEAN.replace('f"hello {name}"', "f'hello {name}'  "), "ruff format"),
        (CLEAN.replace("-> str", "-> int"), "mypy"),
    ],
    ids=["unused-import", "formatting", "type-error"],
)
def test_each_defect_fails_its_own_check(tmp_path, source, failing) -> None:
    code, checks = lint(project(tmp_path, source))
    assert code == 1
    assert [name for name, ok in checks.items() if not ok] == [failing]


def test_fix_repairs_what_ruff_can(tmp_path) -> None:
    folder = project(
        tmp_path, "import os\n\n\n" + CLEAN.replace('f"hello', "f'hello").replace('}"', "}'")
    )
    code, checks = lint(folder, "--fix")
    assert code == 0, checks
    assert (folder / "pkg" / "core.py").read_text() == CLEAN
