"""`opsctl push`: an ECR login token and the tag's digest from the emulator (moto), the image into
a local registry (Debian's docker-registry) standing in for the ECR repository's endpoint.

ECR tags are immutable: a re-run finds its tag there with the same image and skips the push;
a tag naming another image fails the push, and the registry keeps what it had.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import tarfile
import urllib.error
import urllib.request
import uuid

import boto3
import pytest

from tests.container.support import MANIFEST_TYPES, config_for
from tests.support.emulator import (  # noqa: F401 (fixtures)
    REGION,
    aws_env_fixture,
    moto_url_fixture,
)

pytestmark = [pytest.mark.container, pytest.mark.timeout(1800)]

REPOSITORY = "mycandidate-ecr"


def ecr_repository(name: str = REPOSITORY) -> object:
    """The repository Terraform creates: immutable tags."""
    ecr = boto3.client("ecr", region_name=REGION)
    ecr.create_repository(repositoryName=name, imageTagMutability="IMMUTABLE")
    return ecr


def push(config, tag: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "opsctl", "push", "--env", "staging", "--tag", tag, "--json"],
        env={**os.environ, "OPSCTL_CONFIG": str(config), "NO_COLOR": "1"},
        capture_output=True,
        text=True,
        timeout=600,
        check=False,
    )


def served_manifest(registry: str, tag_or_digest: str) -> tuple[str, str] | None:
    """(digest, manifest text) the registry serves for a tag, or None when it has no such tag."""
    request = urllib.request.Request(
        f"http://{registry}/v2/{REPOSITORY}/manifests/{tag_or_digest}",
        headers={"Accept": MANIFEST_TYPES},
    )
    try:
        with urllib.request.urlopen(request, timeout=10) as response:
            return response.headers["Docker-Content-Digest"], response.read().decode()
    except urllib.error.HTTPError as exc:
        if exc.code == 404:
            return None
        raise


@pytest.fixture
def tiny_image(docker_client, tmp_path):
    """A one-file image imported from a tarball (fast, unique): makes `name:tag` images."""
    from opsctl.adapters.docker import import_rootfs

    made = []

    def make(tag: str) -> str:
        folder = tmp_path / uuid.uuid4().hex
        folder.mkdir()
        (folder / "marker").write_text(uuid.uuid4().hex)
        tarball = folder.with_suffix(".tar")
        with tarfile.open(tarball, "w") as tar:
            tar.add(folder / "marker", arcname="marker")
        ref = f"mycandidate-push-test:{tag}"
        import_rootfs(docker_client, tarball, ref)
        made.append(ref)
        return ref

    yield make
    for ref in made:
        for image in docker_client.images.list(name=ref.split(":")[0]):
            docker_client.images.remove(image.id, force=True)


def test_a_rerun_finds_its_image_under_the_tag_and_skips_the_push(
    tiny_image, registry, aws_env, docker_client, tmp_path
):
    ecr = ecr_repository()
    config = config_for(tmp_path / "opsctl.toml", f"{registry}/{REPOSITORY}")
    tag = uuid.uuid4().hex[:12]
    local = tiny_image(tag)

    first = push(config, local)
    assert first.returncode == 0, first.stderr[-4000:]
    pushed = json.loads(first.stdout)
    assert pushed["skipped"] is False
    digest, manifest_text = served_manifest(registry, tag)
    assert pushed["digest"] == digest
    # What ECR records for that push: the tag names the digest the registry serves.
    ecr.put_image(
        repositoryName=REPOSITORY, imageTag=tag, imageManifest=manifest_text, imageDigest=digest
    )

    again = push(config, local)
    assert again.returncode == 0, again.stderr[-4000:]
    assert json.loads(again.stdout) == {**pushed, "skipped": True}

    # A fresh runner that loaded the same image from an artifact: the engine does not know
    # the digest, so opsctl pulls what ECR holds and compares image ids.
    remote = f"{registry}/{REPOSITORY}"
    docker_client.images.remove(f"{remote}:{tag}")  # its digest goes with the repository's last tag
    assert docker_client.images.get(local).attrs["RepoDigests"] == []
    fresh = push(config, local)
    assert fresh.returncode == 0, fresh.stderr[-4000:]
    assert json.loads(fresh.stdout) == {**pushed, "skipped": True}
    text = subprocess.run(
        [sys.executable, "-m", "opsctl", "push", "--env", "staging", "--tag", local],
        env={**os.environ, "OPSCTL_CONFIG": str(config), "NO_COLOR": "1", "COLUMNS": "300"},
        capture_output=True,
        text=True,
        timeout=600,
        check=False,
    )
    assert text.returncode == 0, text.stderr[-4000:]
    assert "push skipped" in text.stdout
    assert served_manifest(registry, tag) == (digest, manifest_text)


def test_a_tag_naming_another_image_fails_and_is_never_overwritten(
    tiny_image, registry, aws_env, docker_client, tmp_path
):
    ecr = ecr_repository()
    config = config_for(tmp_path / "opsctl.toml", f"{registry}/{REPOSITORY}")
    tag = uuid.uuid4().hex[:12]
    other = tiny_image(f"other-{tag}")
    # Another image already went out under the tag (an earlier build of the same commit).
    remote = f"{registry}/{REPOSITORY}"
    docker_client.images.get(other).tag(remote, f"other-{tag}")
    docker_client.images.push(remote, f"other-{tag}")
    theirs, manifest_text = served_manifest(registry, f"other-{tag}")
    ecr.put_image(
        repositoryName=REPOSITORY, imageTag=tag, imageManifest=manifest_text, imageDigest=theirs
    )
    local = tiny_image(tag)

    done = push(config, local)
    assert done.returncode == 1, done.stderr
    assert f"{remote}:{tag} already names {theirs}" in done.stderr
    assert "immutable" in done.stderr
    assert done.stdout == ""
    assert served_manifest(registry, tag) is None  # nothing was pushed under the tag


def test_push_logs_in_with_the_ecr_token_and_the_registry_serves_the_digest(
    app_image, registry, aws_env, docker_client, tmp_path
):
    ecr_repository()
    config = config_for(tmp_path / "opsctl.toml", f"{registry}/{REPOSITORY}")
    done = subprocess.run(
        [
            sys.executable,
            "-m",
            "opsctl",
            "push",
            "--env",
            "staging",
            "--tag",
            app_image["tag"],
            "--json",
        ],
        env={**os.environ, "OPSCTL_CONFIG": str(config), "NO_COLOR": "1"},
        capture_output=True,
        text=True,
        timeout=600,
        check=False,
    )
    assert done.returncode == 0, done.stderr[-4000:]
    result = json.loads(done.stdout)
    tag = app_image["tag"].split(":", 1)[1]
    assert result["local"] == app_image["tag"]
    assert result["remote"] == f"{registry}/{REPOSITORY}:{tag}"
    assert result["skipped"] is False
    assert served_manifest(registry, tag)[0] == result["digest"]
    docker_client.images.remove(result["remote"])


def test_push_of_an_image_never_built_is_a_missing_prerequisite(
    docker_client, registry, aws_env, tmp_path
):
    config = config_for(tmp_path / "opsctl.toml", f"{registry}/mycandidate-ecr")
    done = subprocess.run(
        [sys.executable, "-m", "opsctl", "push", "--env", "staging", "--tag", "mycandidate:nope"],
        env={**os.environ, "OPSCTL_CONFIG": str(config), "NO_COLOR": "1"},
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert done.returncode == 3, done.stderr
    assert done.stderr.startswith("error: no local image mycandidate:nope")
    assert "opsctl build" in done.stderr
