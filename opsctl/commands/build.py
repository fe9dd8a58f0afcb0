"""opsctl build: the app image, tagged with the git commit, optionally pushed."""

from __future__ import annotations

import dataclasses
from collections.abc import Callable
from contextlib import closing
from datetime import UTC, datetime
from pathlib import Path

import typer

from opsctl.core.images import BUILD_CA_PATH, human_size, image_tag, registry_ref
from opsctl.output import print_json, stderr, stdout

ROOT = Path(__file__).resolve().parents[2]


@dataclasses.dataclass(frozen=True)
class BuildResult:
    tag: str
    image_id: str
    size: int
    layers: int
    base_image: str
    revision: str
    pushed: str | None = None
    digest: str | None = None


def register(app: typer.Typer) -> None:
    app.command("build")(build_cmd)


def build_app_image(
    *,
    tag: str | None = None,
    base_image: str | None = None,
    local_base: bool = False,
    ca_bundle: Path | None = None,
    push_to: str | None = None,
    platform: str | None = None,
    on_step: Callable[[str], None] | None = None,
) -> BuildResult:
    """Build the Dockerfile at the repository root; push when a registry is given."""
    from opsctl import __version__
    from opsctl.adapters import baseimages, engine, git
    from opsctl.adapters import docker as docker_adapter

    engine.ensure_engine()
    with closing(docker_adapter.client()) as client:
        rev = git.revision(ROOT)
        tag = tag or image_tag(rev.sha, rev.dirty)
        if local_base:
            base_image = baseimages.ensure_base(client, "python", on_step)
        buildargs = {
            "VERSION": __version__,
            "REVISION": rev.sha + ("-dirty" if rev.dirty else ""),
            "CREATED": datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%SZ"),
        }
        if base_image:
            buildargs["BASE_IMAGE"] = base_image
        extra = {BUILD_CA_PATH: ca_bundle.read_text()} if ca_bundle else None
        try:
            info = docker_adapter.build(
                client,
                docker_adapter.build_context(ROOT, extra=extra),
                tag,
                buildargs=buildargs,
                platform=platform,
                on_step=on_step,
            )
        except docker_adapter.BuildFailed as exc:
            if "FROM" in exc.message and not local_base:
                advice = "no access to Docker Hub? --local-base builds a Debian-package base here"
                exc.hint = f"{exc.hint}\n{advice}" if exc.hint else advice
            raise
        result = BuildResult(
            tag=tag,
            image_id=info.image_id,
            size=info.size,
            layers=info.layers,
            base_image=base_image or "Dockerfile default",
            revision=buildargs["REVISION"],
        )
        if push_to:
            remote = registry_ref(push_to, tag)
            digest = docker_adapter.push(client, tag, remote)
            result = dataclasses.replace(result, pushed=remote, digest=digest)
        return result


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
        envvar="OPSCTL_BASE_IMAGE",
        help="Python base image (default: the Dockerfile's pinned official image).",
    ),
    local_base: bool = typer.Option(
        False,
        "--local-base",
        help="Build on a Python base made here from Debian packages (no Docker Hub needed).",
    ),
    ca_bundle: Path = typer.Option(
        None,
        "--ca-bundle",
        envvar=["OPSCTL_BUILD_CA_BUNDLE", "PIP_CERT"],
        exists=True,
        dir_okay=False,
        help="Extra CA bundle for pip in the builder stage (behind a TLS-inspecting proxy).",
    ),
    platform: str = typer.Option(
        None, "--platform", help="Target platform, e.g. linux/amd64 (CI pins the one ECS runs)."
    ),
    json_output: bool = typer.Option(False, "--json", help="Print the result as JSON."),
) -> None:
    """Build the app image with the Docker engine (started if needed); optionally push it.

    Examples:
      opsctl build
      opsctl build --local-base --push 127.0.0.1:5000 --json
    """
    console = stderr()
    with console.status("building", spinner="dots") as status:

        def show(step: str) -> None:
            status.update(step[:100])
            console.print(f"[dim]{step}[/]", markup=True, highlight=False, soft_wrap=True)

        result = build_app_image(
            tag=tag,
            base_image=base_image,
            local_base=local_base,
            ca_bundle=ca_bundle,
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
