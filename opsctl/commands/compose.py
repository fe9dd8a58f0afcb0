"""opsctl up / opsctl down: the docker-compose.yml stack (app, PostgreSQL, Redis, migrate)."""

from __future__ import annotations

from pathlib import Path

import typer

from opsctl.commands import _options
from opsctl.output import print_json, stderr, stdout
from opsctl.settings import repo_root

_project = typer.Option("mycandidate", "--project", "-p", help="Compose project name.")
_env_file = typer.Option(
    repo_root() / ".env",
    "--env-file",
    dir_okay=False,
    help="Credentials (made from .env.example if absent).",
)


def register(app: typer.Typer) -> None:
    app.command("up")(up_cmd)
    app.command("down")(down_cmd)


def up_cmd(
    image: str = typer.Option(
        None, "--image", help="App image (default $MYCANDIDATE_IMAGE, else build it now)."
    ),
    local_images: bool = _options.LOCAL_IMAGES,
    data_dir: Path = typer.Option(
        None,
        "--data-dir",
        file_okay=False,
        help="Folder holding kenya-2022/, mounted read-only into `migrate` "
        "(default $MYCANDIDATE_DATA_DIR).",
    ),
    port: int = typer.Option(
        None, "--port", help="Port on 127.0.0.1 (default $MYCANDIDATE_PORT, else 8000)."
    ),
    project: str = _project,
    env_file: Path = _env_file,
    timeout: int = _options.timeout(180, "Wait this long for every service's health."),
    json_output: bool = _options.JSON,
) -> None:
    """Start the compose stack, wait until every service is healthy, print the URLs.

    Examples:
      opsctl up
      opsctl up --local-images --data-dir ../shared/data --port 8080
    """
    from opsctl.services.images import compose_up, ensure_env_file
    from opsctl.settings import current

    defaults = current()

    if ensure_env_file(env_file):
        stderr().print(f"wrote {env_file} with generated passwords")
    with stderr().status("starting the stack"):
        urls = compose_up(
            project=project,
            env_file=env_file,
            port=port or defaults.compose_port,
            image=image or defaults.app_image,
            local_images=defaults.local_images if local_images is None else local_images,
            data_dir=data_dir or defaults.data_dir,
            wait_timeout=timeout,
        )
    if json_output:
        print_json(urls)
        return
    stdout().print(f"[bold green]{project} is up[/]")
    for name, url in urls.items():
        stdout().print(f"  {name:<7} {url}", soft_wrap=True)


def down_cmd(
    volumes: bool = typer.Option(
        False, "--volumes", "-v", help="Also delete the database and cache volumes."
    ),
    project: str = _project,
    env_file: Path = _env_file,
) -> None:
    """Stop and remove the compose stack's containers and network (and volumes with -v).

    Example: opsctl down --volumes
    """
    from opsctl.services.images import compose_down

    compose_down(project, env_file, volumes)
    stdout().print(f"{project} is down" + (" (volumes deleted)" if volumes else ""))
