"""opsctl promote: the exact image one environment tested, copied by digest into another's ECR."""

from __future__ import annotations

import re
from dataclasses import asdict, dataclass

import typer

from opsctl.commands._release import JSON_OPTION
from opsctl.output import print_json, stderr, stdout

DIGEST = re.compile(r"sha256:[0-9a-f]{64}")
ECR_HOST = re.compile(r"^\d{12}\.dkr\.ecr\.([a-z0-9-]+)\.amazonaws\.com$")


@dataclass(frozen=True)
class PromoteResult:
    source: str  # repository@digest
    destination: str  # repository:tag
    digest: str
    copied: bool  # false when the tag already named this digest, or on --dry-run
    skipped: bool
    dry_run: bool


def register(app: typer.Typer) -> None:
    app.command("promote")(promote_cmd)


def promote_image(
    source: str, target: str, digest: str, tag: str | None, dry_run: bool
) -> PromoteResult:
    """Copy `source`@digest to `target`'s repository as `tag` (skopeo), then check the digest.

    `source` is an environment in opsctl.toml, or its ECR repository URL (`REPO:TAG`) when
    this run's credentials cannot read that environment's settings (CI's production job).
    """
    from opsctl.adapters import registry
    from opsctl.adapters.aws import Aws
    from opsctl.config import load_env
    from opsctl.core.deploy_plan import ImageRequest
    from opsctl.errors import OpsError

    if not DIGEST.fullmatch(digest):
        raise OpsError(f"--image must be a digest sha256:<64 hex>, not {digest!r}", exit_code=2)
    to_env = load_env(target)
    to_aws = Aws(to_env.region)
    if "/" in source:
        # REPOSITORY[:TAG], e.g. what `opsctl push --json` printed as `remote`.
        from_url, _, from_tag = source.rpartition(":")
        if "/" in from_tag or not from_url:
            from_url, from_tag = source, ""
        from_aws = Aws(_region(from_url) or to_env.region)
        tag = tag or from_tag or None
        if tag is None:
            raise OpsError("--tag is needed when --from is a repository URL", exit_code=2)
    else:
        from_env = load_env(source)
        from_url, from_aws = from_env.ecr_repository_url, Aws(from_env.region)
        found = from_aws.describe_image(from_env.repository_name, ImageRequest(digest=digest))
        if tag is None and len(found.tags) != 1:
            raise OpsError(
                f"{digest} has tags {list(found.tags)}: name one with --tag", exit_code=2
            )
        tag = tag or found.tags[0]
    result = PromoteResult(
        f"{from_url}@{digest}", f"{to_env.ecr_repository_url}:{tag}", digest, False, False, dry_run
    )
    present = registry.tagged_digest(to_aws, to_env.repository_name, tag)
    if registry.check_tag(result.destination, present, digest):
        return PromoteResult(**{**asdict(result), "skipped": True})
    if dry_run:
        return result
    logins = [
        (registry.registry_host(from_url), from_aws.registry_login()),
        (registry.registry_host(to_env.ecr_repository_url), to_aws.registry_login()),
    ]
    registry.copy(result.source, result.destination, logins)
    arrived = registry.manifest_digest(result.destination, logins)
    if arrived != digest:
        raise OpsError(f"{result.destination} is {arrived} after the copy, not {digest}")
    return PromoteResult(**{**asdict(result), "copied": True})


def _region(repository_url: str) -> str | None:
    found = ECR_HOST.match(repository_url.split("/", 1)[0])
    return found.group(1) if found else None


def promote_cmd(
    source: str = typer.Option(
        ...,
        "--from",
        help="Environment that tested the image, or its ECR repository[:tag] (CI passes that).",
    ),
    target: str = typer.Option(..., "--to", help="Environment whose ECR receives it."),
    image: str = typer.Option(..., "--image", help="The tested image's digest, sha256:..."),
    tag: str = typer.Option(None, "--tag", help="Tag in the target (default: the source's)."),
    dry_run: bool = typer.Option(False, "--dry-run", help="Check both sides, copy nothing."),
    json_output: bool = JSON_OPTION,
) -> None:
    """Copy an image by digest from one environment's registry to another's, then verify it.

    Nothing is rebuilt or re-pushed from a local engine: skopeo copies the manifest and
    layers registry to registry, so the digest production runs is the one staging tested.
    A tag that already names the digest is left alone; one naming another image fails.

    Examples:
      opsctl promote --from staging --to prod --image sha256:... --dry-run
      opsctl promote --from staging --to prod --image sha256:... --json
    """
    with stderr().status(f"promoting {image[:19]} from {source} to {target}", spinner="dots"):
        result = promote_image(source, target, image, tag, dry_run)
    if json_output:
        print_json(asdict(result))
        return
    verb = "would copy" if dry_run and not result.skipped else "copied"
    if result.skipped:
        verb = "already there, nothing copied:"
    stdout().print(f"{verb} {result.source} -> {result.destination}", markup=False, soft_wrap=True)
