"""opsctl promote: the exact image one environment tested, copied by digest into another's ECR."""

from __future__ import annotations

from dataclasses import asdict

import typer

from opsctl.commands import _options
from opsctl.output import print_json, stderr, stdout


def register(app: typer.Typer) -> None:
    app.command("promote")(promote_cmd)


def promote_cmd(
    source: str = typer.Option(
        ...,
        "--from",
        help="Environment that tested the image, or its ECR repository[:tag] (CI passes that).",
    ),
    target: str = typer.Option(..., "--to", help="Environment whose ECR receives it."),
    image: str = typer.Option(..., "--image", help="The tested image's digest, sha256:..."),
    tag: str = typer.Option(None, "--tag", help="Tag in the target (default: the source's)."),
    dry_run: bool = _options.dry_run("Check both sides, copy nothing."),
    json_output: bool = _options.JSON,
) -> None:
    """Copy an image by digest from one environment's registry to another's, then verify it.

    Nothing is rebuilt or re-pushed from a local engine: skopeo copies the manifest and
    layers registry to registry, so the digest production runs is the one staging tested.
    A tag that already names the digest is left alone; one naming another image fails.

    Examples:
      opsctl promote --from staging --to prod --image sha256:... --dry-run
      opsctl promote --from staging --to prod --image sha256:... --json
    """
    from opsctl.services.images import promote_image

    with stderr().status(f"promoting {image[:19]} from {source} to {target}", spinner="dots"):
        result = promote_image(source, target, image, tag, dry_run)
    if json_output:
        print_json(asdict(result))
        return
    verb = "would copy" if dry_run and not result.skipped else "copied"
    if result.skipped:
        verb = "already there, nothing copied:"
    stdout().print(f"{verb} {result.source} -> {result.destination}", markup=False, soft_wrap=True)
