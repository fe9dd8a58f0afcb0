"""`opsctl infra`: check the Terraform roots offline, read an environment's outputs."""

from __future__ import annotations

import json
from pathlib import Path

import typer

from opsctl.commands import _options
from opsctl.errors import OpsError

infra_app = typer.Typer(
    help="Terraform under infra/: validate offline, read outputs.", no_args_is_help=True
)

MIRROR_OPTION = typer.Option(
    None,
    "--plugin-mirror",
    help="Provider mirror folder (default $OPSCTL_TF_PLUGIN_MIRROR, else the first of "
    "/opt/tf-plugins and other known paths).",
    file_okay=False,
)


@infra_app.command("validate")
def validate_cmd(
    path: Path = _options.PATH,
    plugin_mirror: Path = MIRROR_OPTION,
    json_output: bool = _options.JSON,
) -> None:
    """Check formatting and validate every Terraform root, offline.

    `terraform fmt -check` over infra/, then in each root `terraform init` (providers
    from the mirror only, no backend, the committed lock file) and `terraform validate`,
    then `terraform test` (mocked providers) in each module with a tests/ folder.

    Exit 0 all valid and formatted, 1 otherwise, 3 no terraform or no mirror.

    Example: opsctl infra validate --json
    """
    from opsctl.output import print_json, stdout
    from opsctl.services.infra import validate

    report = validate(path, plugin_mirror)
    if json_output:
        print_json(report.to_json())
    else:
        from rich.table import Table

        table = Table("root", "result", "details")
        for r in report.roots:
            details = "\n".join(d.line() for d in r.diagnostics)
            table.add_row(r.root, "[green]valid[/]" if r.ok else "[red]invalid[/]", details)
        fmt = "[green]formatted[/]" if not report.unformatted else "[red]needs fmt[/]"
        table.add_row("(fmt)", fmt, "\n".join(report.unformatted))
        stdout().print(table)
    if not report.ok:
        raise OpsError(
            "infra/ does not validate",
            hint="terraform fmt -recursive infra; see the details above",
        )


@infra_app.command("output")
def output_cmd(
    env: str = typer.Option(None, "--env", help="Environment: the root infra/envs/<env>."),
    root: Path = typer.Option(
        None, "--root", help="Any initialisable root folder instead of --env.", file_okay=False
    ),
    path: Path = _options.PATH,
    plugin_mirror: Path = MIRROR_OPTION,
    json_output: bool = _options.JSON,
) -> None:
    """Print an environment's `terraform output -json` (what opsctl deploy reads).

    Initialises the root with its real backend first (AWS credentials needed for S3 state).

    Example: opsctl infra output --env staging --json
    """
    from opsctl.output import print_json, stdout
    from opsctl.services.infra import read_outputs

    values = read_outputs(path, env, root, plugin_mirror)
    if json_output:
        print_json(values)
        return
    from rich.table import Table

    table = Table("output", "value")
    for name, value in sorted(values.items()):
        table.add_row(name, value if isinstance(value, str) else json.dumps(value))
    stdout().print(table)


def register(app: typer.Typer) -> None:
    app.add_typer(infra_app, name="infra")
