"""Serve the app with gunicorn; deployed tasks only serve, `prepare` is the local quick start."""

from __future__ import annotations

import os
import sys
from collections.abc import Callable

from opsctl.errors import PrerequisiteError


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


def serve(
    host: str,
    port: int,
    workers: int | None,
    *,
    dataset: str | None,
    prepare: bool,
    say: Callable[[str], None],
) -> None:
    """Check the web settings, prepare the database if asked, then become gunicorn."""
    from mycandidate.settings import ConfigError
    from opsctl.services.database import prepare_database
    from opsctl.settings import app_settings

    try:
        app_settings().check_for_web()
    except ConfigError as exc:
        raise PrerequisiteError(str(exc)) from exc
    if prepare:
        loaded = prepare_database(dataset, on_note=lambda note: say(f"warning: {note}"))
        if loaded:
            say(f"empty database: upgraded the schema and loaded {loaded}")
    say(f"serving on http://{host}:{port}/ (API: http://{host}:{port}/api/v1/openapi.json)")
    sys.stdout.flush()
    # exec: gunicorn becomes this process, so signals from the container runtime reach it.
    argv = gunicorn_argv(host, port, workers)
    os.execv(argv[0], argv)  # noqa: S606 (fixed argv, no shell)
