"""Images as registries hold them: the digest a tag names in ECR, and skopeo's copy by digest.

`skopeo` (Debian's package, also on GitHub's Ubuntu runners) copies registry to registry
without a Docker engine and, with `--preserve-digests`, refuses any copy that would change
the manifest: the digest that was tested is the digest that arrives. Credentials reach it
in a temporary auth file (mode 0600, removed after), never on its command line.
"""

from __future__ import annotations

import base64
import hashlib
import json
import re
import tempfile
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING

from opsctl.adapters import tools
from opsctl.core.aws_records import RegistryLogin
from opsctl.core.release_plan import ImageRequest
from opsctl.errors import OpsError

if TYPE_CHECKING:
    from opsctl.adapters.aws import Aws

SKOPEO_TIMEOUT = 1800.0
DIGEST = re.compile(r"sha256:[0-9a-f]{64}")
LOOPBACK = ("127.0.0.1", "localhost", "[::1]")


class TagConflict(OpsError):
    """An immutable tag already names another image: it is never overwritten."""


def registry_host(repository_url: str) -> str:
    """'ACCOUNT.dkr.ecr.REGION.amazonaws.com/name' -> 'ACCOUNT.dkr.ecr.REGION.amazonaws.com'."""
    return repository_url.split("/", 1)[0]


def tagged_digest(aws: Aws, repository: str, tag: str) -> str | None:
    """ECR DescribeImages by tag: the digest the tag names, or None when there is no such tag."""
    found = aws.find_image(repository, ImageRequest(tag=tag))
    return found.digest if found else None


def check_tag(remote: str, present: str | None, wanted: str | None) -> bool:
    """True when `remote` already names `wanted` (nothing to do); raise when it names another."""
    if present is None:
        return False
    if present == wanted:
        return True
    raise TagConflict(
        f"{remote} already names {present}"
        + (f", not {wanted}" if wanted else ", a different image")
        + "; ECR tags are immutable and opsctl never overwrites one",
        hint=f"deploy what is there (--image {present}), or release a new commit",
    )


# ------------------------------------------------------------------ skopeo


def copy(source: str, destination: str, logins: Iterable[tuple[str, RegistryLogin]]) -> None:
    """`skopeo copy --all --preserve-digests docker://SOURCE docker://DESTINATION`."""
    with _authfile(logins) as auth:
        argv = ["skopeo", "copy", "--all", "--preserve-digests", "--retry-times", "3"]
        argv += ["--authfile", str(auth), *_tls("src", source), *_tls("dest", destination)]
        done = tools.run(
            [*argv, f"docker://{source}", f"docker://{destination}"], timeout=SKOPEO_TIMEOUT
        )
    if done.returncode != 0:
        raise OpsError(
            f"skopeo copy {source} -> {destination} failed: {_tail(done)}",
            hint="both registries must be reachable and the credentials allowed to pull and push",
        )


def manifest_digest(ref: str, logins: Iterable[tuple[str, RegistryLogin]]) -> str:
    """The digest of the manifest (or index) `ref` names: sha256 of its raw bytes."""
    with _authfile(logins) as auth:
        argv = ["skopeo", "inspect", "--raw", "--retry-times", "3", "--authfile", str(auth)]
        done = tools.run([*argv, *_tls("", ref), f"docker://{ref}"], timeout=120)
    if done.returncode != 0:
        raise OpsError(f"skopeo inspect {ref} failed: {_tail(done)}")
    return "sha256:" + hashlib.sha256(done.stdout.encode()).hexdigest()


def _tls(side: str, ref: str) -> list[str]:
    """A loopback registry speaks plain HTTP (as the engine allows); any other must be TLS."""
    flag = f"--{side}-tls-verify" if side else "--tls-verify"
    plain = registry_host(ref).rsplit(":", 1)[0] in LOOPBACK
    return [f"{flag}={'false' if plain else 'true'}"]


@contextmanager
def _authfile(logins: Iterable[tuple[str, RegistryLogin]]) -> Iterator[Path]:
    """containers-auth.json(5) with one entry per registry host, readable by us only."""
    auths = {
        host: {"auth": base64.b64encode(f"{login.username}:{login.password}".encode()).decode()}
        for host, login in logins
    }
    with tempfile.TemporaryDirectory(prefix="opsctl-auth-") as folder:
        path = Path(folder) / "auth.json"
        path.touch(mode=0o600)
        path.write_text(json.dumps({"auths": auths}))
        yield path


def _tail(done: tools.Completed) -> str:
    return " ".join(done.stderr.strip().splitlines()[-2:])[:400] or f"exit {done.returncode}"
