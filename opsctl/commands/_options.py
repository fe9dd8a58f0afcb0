"""The options several verbs share, declared once: same flag, same parameter name, same help."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

import typer


@dataclass
class RunOptions:
    """What the root callback parsed, on the typer context (`ctx.obj`) for this run only."""

    debug: bool = False


# Every command that targets an environment requires it: a forgotten --env targets nothing.
ENV = typer.Option(
    ..., "--env", "-e", help="Environment from opsctl.toml (staging, prod).", show_default=False
)
JSON = typer.Option(False, "--json", help="Print the result as JSON.")
PATH = typer.Option(Path("."), "--path", help="Repository root.", exists=True, file_okay=False)


LOCAL_IMAGES = typer.Option(
    None,
    "--local-images/--official-images",
    help="Where Docker Hub or a Docker service is out of reach: start dockerd if none runs "
    "and use Python, PostgreSQL and Redis bases made here from Debian packages "
    "(default $OPSCTL_LOCAL_IMAGES).",
    show_default=False,
)


def timeout(default: float | None, help: str) -> Any:
    """`--timeout SECONDS`, with what the verb waits for in `help`."""
    return typer.Option(default, "--timeout", metavar="SECONDS", help=help)


def dry_run(help: str) -> Any:
    """`--dry-run`, with what the verb still does in `help`."""
    return typer.Option(False, "--dry-run", help=help)
