"""opsctl serve: the production server (gunicorn). It never migrates unless told to.

Deployed tasks only serve (contract C3): the schema is upgraded by `opsctl db upgrade`,
run once from the new revision before a release. `--prepare` is the local quick start.
"""

from __future__ import annotations

import typer

from opsctl.output import stderr


def register(app: typer.Typer) -> None:
    app.command("serve")(serve_cmd)


def serve_cmd(
    host: str = typer.Option(
        "127.0.0.1", "--host", help="Interface to listen on (0.0.0.0 in a container)."
    ),
    port: int = typer.Option(None, "--port", help="Port to listen on (default $PORT, else 8000)."),
    workers: int = typer.Option(
        None,
        "--workers",
        help="Worker processes (default $WEB_CONCURRENCY, else the gunicorn config's).",
    ),
    dataset: str = typer.Option(
        None,
        "--dataset",
        help="Dataset to serve (default $MYCANDIDATE_DATASET, else the latest loaded).",
    ),
    prepare: bool = typer.Option(
        False,
        "--prepare/--no-prepare",
        help="First upgrade the schema and, on an empty database, load kenya-2022 "
        "(local use; deployed tasks run `opsctl db upgrade` once instead).",
    ),
) -> None:
    """Serve the site and API with gunicorn; /readyz says 503 until the database is ready.

    Example: SECRET_KEY=... opsctl serve --host 0.0.0.0 --port 8000 --workers 2
    """
    from opsctl.services.serve import serve
    from opsctl.settings import current

    def say(message: str) -> None:
        stderr().print(message)

    defaults = current()
    serve(
        host,
        port or defaults.port,
        workers or defaults.workers,
        dataset=dataset or defaults.dataset,
        prepare=prepare,
        say=say,
    )
