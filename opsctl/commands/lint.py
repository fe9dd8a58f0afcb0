"""`opsctl lint`: ruff rules, ruff formatting and mypy, as CI runs them."""

from __future__ import annotations

from pathlib import Path

import typer

from opsctl.commands import _options
from opsctl.errors import OpsError


def lint_cmd(
    path: Path = _options.PATH,
    fix: bool = typer.Option(False, "--fix", help="Apply ruff's safe fixes and formatting."),
    json_output: bool = _options.JSON,
) -> None:
    """Lint and type-check: `ruff check`, `ruff format --check` and `mypy`.

    Exit 0 clean, 1 when any check fails (every check runs regardless).

    Examples:
      opsctl lint
      opsctl lint --fix
    """
    from opsctl.output import print_json, stdout
    from opsctl.services.lint import lint_project

    results = lint_project(path, fix=fix)
    if json_output:
        print_json([{"check": r.name, "ok": r.ok, "output": r.output} for r in results])
    else:
        for r in results:
            mark = "[green]ok[/]" if r.ok else "[red]failed[/]"
            stdout().print(f"{mark}  {r.name}")
            if not r.ok and r.output:
                stdout().print(r.output, markup=False, highlight=False, soft_wrap=True)
    failed = [r.name for r in results if not r.ok]
    if failed:
        raise OpsError(
            f"{', '.join(failed)} failed", hint="opsctl lint --fix repairs most ruff findings"
        )


def register(app: typer.Typer) -> None:
    app.command("lint")(lint_cmd)
