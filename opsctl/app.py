"""Entry point: builds the typer app, registers the verbs, maps errors to exit codes.

Only stdlib, typer and opsctl's own light modules are imported here so that
`opsctl --help` stays instant; commands import heavy libraries in their bodies.
"""

from __future__ import annotations

import importlib
import logging
import sys

import typer

from opsctl.commands import COMMAND_MODULES
from opsctl.commands._options import RunOptions
from opsctl.errors import EXIT_INTERRUPTED, OpsError

app = typer.Typer(
    name="opsctl",
    help="Build, test, scan, diagram and deploy MyCandidate.",
    no_args_is_help=True,
    pretty_exceptions_enable=False,
    rich_markup_mode="rich",
    context_settings={"help_option_names": ["-h", "--help"]},
)


def _version(value: bool) -> None:
    if value:
        from opsctl import __version__

        print(f"opsctl {__version__}")
        raise typer.Exit()


@app.callback()
def _root(
    ctx: typer.Context,
    version: bool = typer.Option(
        False, "--version", callback=_version, is_eager=True, help="Print the version and exit."
    ),
    debug: bool = typer.Option(False, "--debug", help="Show tracebacks and debug logs."),
    verbose: bool = typer.Option(False, "--verbose", "-v", help="Log progress to stderr."),
) -> None:
    """Build, test, scan, diagram and deploy MyCandidate."""
    ctx.ensure_object(RunOptions).debug = debug
    level = logging.DEBUG if debug else logging.INFO if verbose else logging.WARNING
    from rich.logging import RichHandler

    from opsctl.output import stderr

    logging.basicConfig(level=level, handlers=[RichHandler(console=stderr(), show_path=False)])


for _name in COMMAND_MODULES:
    importlib.import_module(f"opsctl.commands.{_name}").register(app)


def main() -> None:
    """Run the CLI; typer reports usage errors itself, OpsError becomes one line."""
    run = RunOptions()
    try:
        app(obj=run)
    except OpsError as exc:
        if run.debug:
            raise
        _report(f"error: {exc.message}", exc.hint)
        sys.exit(exc.exit_code)
    except KeyboardInterrupt:
        _report("interrupted", None)
        sys.exit(EXIT_INTERRUPTED)


def _report(message: str, hint: str | None) -> None:
    from opsctl.output import stderr

    console = stderr()
    console.print(f"[bold red]{message}[/]", markup=True, highlight=False, soft_wrap=True)
    if hint:
        console.print(f"hint: {hint}", markup=False, soft_wrap=True)
