"""opsctl build: the app image, tagged with the git commit, optionally pushed."""

from __future__ import annotations

import dataclasses
from pathlib import Path

import typer

from opsctl.commands import _options
from opsctl.core.images import human_size
from opsctl.output import print_json, stderr, stdout


def register(app: typer.Typer) -> None:
    app.command("build")(build_cmd)


def build_cmd(
    tag: str = typer.Option(
        None, "--tag", "-t", help="Image tag (default mycandidate:<git sha>[-dirty])."
    ),
    push: str = typer.Option(
        None, "--push", metavar="REGISTRY", help="Push to this registry, e.g. 127.0.0.1:5000."
    ),
    base_image: str = typer.Option(
        None,
        "--base-image",
        help="Python base image (default $OPSCTL_BASE_IMAGE, else the Dockerfile's pinned one).",
    ),
    local_images: bool = _options.LOCAL_IMAGES,
    ca_bundle: Path = typer.Option(
        None,
        "--ca-bundle",
        exists=True,
        dir_okay=False,
        help="Extra CA bundle for pip in the builder stage (behind a TLS-inspecting proxy; "
        "default $OPSCTL_BUILD_CA_BUNDLE or $PIP_CERT).",
    ),
    platform: str = typer.Option(
        None, "--platform", help="Target platform, e.g. linux/amd64 (CI pins the one ECS runs)."
    ),
    json_output: bool = _options.JSON,
) -> None:
    """Build the app image with the Docker engine (started if needed); optionally push it.

    Examples:
      opsctl build
      opsctl build --local-images --push 127.0.0.1:5000 --json
    """
    from opsctl.services.images import build_app_image
    from opsctl.settings import current

    defaults = current()
    console = stderr()
    with console.status("building", spinner="dots") as status:

        def show(step: str) -> None:
            status.update(step[:100])
            console.print(f"[dim]{step}[/]", markup=True, highlight=False, soft_wrap=True)

        result = build_app_image(
            tag=tag,
            base_image=base_image or defaults.base_image,
            local_images=defaults.local_images if local_images is None else local_images,
            ca_bundle=ca_bundle or defaults.build_ca_bundle,
            push_to=push,
            platform=platform,
            on_step=show,
        )
    if json_output:
        print_json(dataclasses.asdict(result))
        return
    out = stdout()
    out.print(f"[bold green]built[/] {result.tag}", soft_wrap=True)
    out.print(f"  image id  {result.image_id}", soft_wrap=True)
    out.print(f"  size      {human_size(result.size)} in {result.layers} layers")
    out.print(f"  base      {result.base_image}", soft_wrap=True)
    if result.pushed:
        out.print(f"  pushed    {result.pushed}@{result.digest}", soft_wrap=True)
