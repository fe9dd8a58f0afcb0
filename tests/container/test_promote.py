"""`opsctl promote`: staging's tested digest into prod's registry with skopeo, verified.

Two local registries (Debian's docker-registry) stand in for the two accounts' ECR endpoints;
moto answers the ECR API (login tokens, DescribeImages). skopeo comes from Debian's package.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import tarfile
import time
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
from tests.support.servers import free_port

pytestmark = [pytest.mark.container, pytest.mark.timeout(900)]


@pytest.fixture(scope="module")
def prod_registry(tmp_path_factory):
    """A second registry (prod's), on its own port and storage, stopped after the module."""
    binary = shutil.which("docker-registry")
    if binary is None or shutil.which("skopeo") is None:
        pytest.skip("docker-registry and skopeo are needed (scripts/bootstrap-system.sh)")
    root = tmp_path_factory.mktemp("prod-registry")
    address = f"127.0.0.1:{free_port()}"
    config = root / "config.yml"
    config.write_text(
        "version: 0.1\nlog: {level: warn}\n"
        f"storage: {{filesystem: {{rootdirectory: {root / 'data'}}}}}\n"
        f"http: {{addr: '{address}'}}\n"
    )
    with (root / "registry.log").open("ab") as log:
        process = subprocess.Popen(
            [binary, "serve", str(config)], stdout=log, stderr=subprocess.STDOUT
        )
    try:
        deadline = time.monotonic() + 30
        while True:
            try:
                with urllib.request.urlopen(f"http://{address}/v2/", timeout=2):
                    break
            except OSError:
                assert time.monotonic() < deadline, (root / "registry.log").read_text()
                time.sleep(0.2)
        yield address
    finally:
        process.terminate()
        process.wait(timeout=30)


def served(registry: str, repository: str, reference: str) -> str | None:
    request = urllib.request.Request(
        f"http://{registry}/v2/{repository}/manifests/{reference}",
        method="HEAD",
        headers={"Accept": MANIFEST_TYPES},
    )
    try:
        with urllib.request.urlopen(request, timeout=10) as response:
            return str(response.headers["Docker-Content-Digest"])
    except urllib.error.HTTPError as exc:
        if exc.code == 404:
            return None
        raise


@pytest.fixture
def staged(registry, prod_registry, aws_env, docker_client, tmp_path):
    """An image in staging's registry and ECR (tag -> digest), prod's repository empty."""
    from opsctl.adapters.docker import import_rootfs

    tag = uuid.uuid4().hex[:12]
    (tmp_path / "marker").write_text(tag)
    with tarfile.open(tmp_path / "rootfs.tar", "w") as tar:
        tar.add(tmp_path / "marker", arcname="marker")
    repository = f"{registry}/mycandidate-staging"
    import_rootfs(docker_client, tmp_path / "rootfs.tar", f"{repository}:{tag}")
    docker_client.images.push(repository, tag)
    digest = served(registry, "mycandidate-staging", tag)
    request = urllib.request.Request(
        f"http://{registry}/v2/mycandidate-staging/manifests/{tag}",
        headers={"Accept": MANIFEST_TYPES},
    )
    with urllib.request.urlopen(request, timeout=10) as response:
        manifest = response.read()
    docker_client.images.remove(f"{repository}:{tag}", force=True)
    ecr = boto3.client("ecr", region_name=REGION)
    for name in ("mycandidate-staging", "mycandidate-prod"):
        ecr.create_repository(repositoryName=name, imageTagMutability="IMMUTABLE")
    ecr.put_image(
        repositoryName="mycandidate-staging",
        imageTag=tag,
        imageManifest=manifest.decode(),
        imageDigest=digest,
    )
    staging = config_for(tmp_path / "staging.toml", repository)
    prod = config_for(tmp_path / "prod.toml", f"{prod_registry}/mycandidate-prod")
    config = tmp_path / "opsctl.toml"
    config.write_text(
        staging.read_text()
        + prod.read_text().replace("[environments.staging]", "[environments.prod]")
    )
    return {
        "config": config,
        "repository": repository,
        "tag": tag,
        "digest": digest,
        "manifest": manifest,
        "ecr": ecr,
    }


def promote(config, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "opsctl", "promote", "--from", "staging", "--to", "prod", *args],
        env={**os.environ, "OPSCTL_CONFIG": str(config), "NO_COLOR": "1", "COLUMNS": "300"},
        capture_output=True,
        text=True,
        timeout=600,
        check=False,
    )


def test_promote_copies_the_tested_digest_and_a_rerun_copies_nothing(staged, prod_registry):
    digest, tag = staged["digest"], staged["tag"]
    planned = promote(staged["config"], "--image", digest, "--dry-run", "--json")
    assert planned.returncode == 0, planned.stderr
    assert json.loads(planned.stdout)["copied"] is False
    assert served(prod_registry, "mycandidate-prod", tag) is None  # a dry run copies nothing

    done = promote(staged["config"], "--image", digest, "--json")
    assert done.returncode == 0, done.stderr
    result = json.loads(done.stdout)
    assert result == {
        "source": f"{staged['repository']}@{digest}",
        "destination": f"{prod_registry}/mycandidate-prod:{tag}",
        "digest": digest,
        "copied": True,
        "skipped": False,
        "dry_run": False,
    }
    assert served(prod_registry, "mycandidate-prod", tag) == digest
    assert served(prod_registry, "mycandidate-prod", digest) == digest

    # What prod's ECR records for that copy; the re-run finds it and copies nothing.
    staged["ecr"].put_image(
        repositoryName="mycandidate-prod",
        imageTag=tag,
        imageManifest=staged["manifest"].decode(),
        imageDigest=digest,
    )
    again = promote(staged["config"], "--image", digest)
    assert again.returncode == 0, again.stderr
    assert "already there, nothing copied" in again.stdout


def test_promote_never_overwrites_a_prod_tag_naming_another_image(staged, prod_registry):
    other = "sha256:" + "1" * 64
    staged["ecr"].put_image(
        repositoryName="mycandidate-prod",
        imageTag=staged["tag"],
        imageManifest=staged["manifest"].decode().replace("}", " }", 1),
        imageDigest=other,
    )
    done = promote(staged["config"], "--image", staged["digest"])
    assert done.returncode == 1, done.stderr
    assert f"already names {other}, not {staged['digest']}" in done.stderr
    assert served(prod_registry, "mycandidate-prod", staged["tag"]) is None


def test_promote_takes_only_a_digest_and_an_image_staging_has(staged):
    done = promote(staged["config"], "--image", staged["tag"])
    assert done.returncode == 2, done.stderr
    assert "must be a digest" in done.stderr
    missing = promote(staged["config"], "--image", "sha256:" + "2" * 64)
    assert missing.returncode == 1, missing.stderr
    assert "mycandidate-staging" in missing.stderr


def test_promote_from_the_pushed_reference_where_staging_settings_cannot_be_read(
    staged, prod_registry
):
    """CI's production job holds prod's role only: it names staging's `REPO:TAG` as pushed."""
    config = staged["config"]
    config.write_text("[environments.prod]" + config.read_text().split("[environments.prod]")[1])
    source = f"{staged['repository']}:{staged['tag']}"
    done = subprocess.run(
        [
            sys.executable,
            "-m",
            "opsctl",
            "promote",
            "--from",
            source,
            "--to",
            "prod",
            "--image",
            staged["digest"],
            "--json",
        ],
        env={**os.environ, "OPSCTL_CONFIG": str(config), "NO_COLOR": "1"},
        capture_output=True,
        text=True,
        timeout=600,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    assert (
        json.loads(done.stdout)["destination"]
        == f"{prod_registry}/mycandidate-prod:{staged['tag']}"
    )
    assert served(prod_registry, "mycandidate-prod", staged["tag"]) == staged["digest"]
