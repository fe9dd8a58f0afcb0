"""opsctl serve: the production server (gunicorn). It never migrates unless told to.

Deployed tasks only serve (contract C3): the schema is upgraded by `opsctl db upgrade`,
run once from the new revision before a release. `--prepare` is the local quick start.
"""

from __future__ import annotations

import os
import sys

import typer

from opsctl.errors import PrerequisiteError
from opsctl.output import stderr

DEFAULT_DATASET = "kenya-2022"


def register(app: typer.Typer) -> None:
    app.command("serve")(serve_cmd)


def prepare_database(dataset: str | None) -> str | None:
    """Upgrade the schema; on an empty database load the default dataset. Returns what it loaded."""
    from sqlalchemy.orm import Session

    from mycandidate.queries import active_dataset
    from opsctl.appconfig import app_settings, engine
    from opsctl.commands.data import load
    from opsctl.commands.db import upgrade_schema

    upgrade_schema()
    settings = app_settings()
    eng = engine(settings)
    try:
        with Session(eng) as session:
            present = active_dataset(session, dataset)
    finally:
        eng.dispose()
    if present is not None:
        return None
    name = dataset or DEFAULT_DATASET
    load(name)
    return name


def gunicorn_argv(host: str, port: int, workers: int | None) -> list[str]:
    argv = [
        sys.executable,
        "-m",
        "gunicorn",
        "--config",
        "python:mycandidate.gunicorn_conf",
        "--bind",
        f"{host}:{port}",
    ]
    if workers is not None:
        argv += ["--workers", str(workers)]
    return [*argv, "mycandidate.wsgi:app"]


def serve_cmd(
    host: str = typer.Option(
        "127.0.0.1", "--host", help="Interface to listen on (0.0.0.0 in a container)."
    ),
    port: int = typer.Option(8000, "--port", envvar="PORT", help="Port to listen on."),
    workers: int = typer.Option(
        None,
        "--workers",
        envvar="WEB_CONCURRENCY",
        help="Worker processes (default from the gunicorn config).",
    ),
    dataset: str = typer.Option(
        None,
        "--dataset",
        envvar="MYCANDIDATE_DATASET",
        help="Dataset to serve (default: the latest loaded).",
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
    from opsctl.appconfig import app_settings

    settings = app_settings()
    from mycandidate.settings import ConfigError

    try:
        settings.check_for_web()
    except ConfigError as exc:
        raise PrerequisiteError(str(exc)) from exc
    if prepare:
        loaded = prepare_database(dataset)
        if loaded:
            stderr().print(f"empty database: upgraded the schema and loaded {loaded}")
    stderr().print(
        f"serving on http://{host}:{port}/ (API: http://{host}:{port}/api/v1/openapi.json)"
    )
    sys.stdout.flush()
    # exec: gunicorn becomes this process, so signals from the container runtime reach it.
    argv = gunicorn_argv(host, port, workers)
    os.execv(argv[0], argv)  # noqa: S606 (fixed argv, no shell)
