"""opsctl up / opsctl down: the docker-compose.yml stack (app, PostgreSQL, Redis, migrate)."""

from __future__ import annotations

import secrets
from contextlib import closing
from pathlib import Path

import typer

from opsctl.core.images import compose_environment, env_file_text, service_urls
from opsctl.output import print_json, stderr, stdout

ROOT = Path(__file__).resolve().parents[2]
GENERATED = ("POSTGRES_PASSWORD", "REDIS_PASSWORD", "SECRET_KEY")

_project = typer.Option("mycandidate", "--project", "-p", help="Compose project name.")
_env_file = typer.Option(
    ROOT / ".env",
    "--env-file",
    dir_okay=False,
    help="Credentials (made from .env.example if absent).",
)


def register(app: typer.Typer) -> None:
    app.command("up")(up_cmd)
    app.command("down")(down_cmd)


def ensure_env_file(path: Path) -> bool:
    """Write `path` from .env.example with generated secrets unless it exists."""
    if path.exists():
        return False
    example = (ROOT / ".env.example").read_text()
    path.write_text(env_file_text(example, {key: secrets.token_hex(24) for key in GENERATED}))
    path.chmod(0o600)
    return True


def bring_up(
    *,
    project: str,
    env_file: Path,
    port: int,
    image: str | None = None,
    local_images: bool = False,
    data_dir: Path | None = None,
    wait_timeout: int = 180,
) -> dict[str, str]:
    """Build the app image unless one is named, start the stack, wait until healthy."""
    from opsctl.adapters import baseimages, compose, engine
    from opsctl.adapters import docker as docker_adapter
    from opsctl.commands.build import build_app_image

    engine.ensure_engine()
    postgres_image = redis_image = None
    if local_images:
        with closing(docker_adapter.client()) as client:
            postgres_image = baseimages.ensure_base(client, "postgres")
            redis_image = baseimages.ensure_base(client, "redis")
    if image is None:
        image = build_app_image(local_base=local_images).tag
    env = compose_environment(image, postgres_image, redis_image, port)
    if data_dir is not None:
        env["MYCANDIDATE_DATA_PATH"] = str(data_dir.resolve())
    compose.up(compose.Stack(project, env_file, env), wait_timeout)
    return service_urls(port)


def up_cmd(
    image: str = typer.Option(
        None, "--image", envvar="MYCANDIDATE_IMAGE", help="App image (default: build it now)."
    ),
    local_images: bool = typer.Option(
        False,
        "--local-images",
        help="Use Python, PostgreSQL and Redis images made here from Debian packages.",
    ),
    data_dir: Path = typer.Option(
        None,
        "--data-dir",
        envvar="MYCANDIDATE_DATA_DIR",
        file_okay=False,
        help="Folder holding kenya-2022/, mounted read-only into `migrate`.",
    ),
    port: int = typer.Option(8000, "--port", envvar="MYCANDIDATE_PORT", help="Port on 127.0.0.1."),
    project: str = _project,
    env_file: Path = _env_file,
    wait_timeout: int = typer.Option(180, "--timeout", help="Seconds to wait for health."),
    json_output: bool = typer.Option(False, "--json", help="Print the URLs as JSON."),
) -> None:
    """Start the compose stack, wait until every service is healthy, print the URLs.

    Examples:
      opsctl up
      opsctl up --local-images --data-dir ../shared/data --port 8080
    """
    if ensure_env_file(env_file):
        stderr().print(f"wrote {env_file} with generated passwords")
    with stderr().status("starting the stack"):
        urls = bring_up(
            project=project,
            env_file=env_file,
            port=port,
            image=image,
            local_images=local_images,
            data_dir=data_dir,
            wait_timeout=wait_timeout,
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
    from opsctl.adapters import compose

    compose.down(compose.Stack(project, env_file if env_file.exists() else None), volumes)
    stdout().print(f"{project} is down" + (" (volumes deleted)" if volumes else ""))
