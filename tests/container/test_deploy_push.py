"""`opsctl push`: an ECR login token from the emulator, the built image into a local registry."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import urllib.request

import pytest

from opsctl.config import REQUIRED
from tests.integration.deploy_emulator import (  # noqa: F401 (fixtures)
    REGION,
    aws_env_fixture,
    moto_url_fixture,
)

pytestmark = [pytest.mark.container, pytest.mark.timeout(1800)]

MANIFEST_TYPES = (
    "application/vnd.docker.distribution.manifest.v2+json, "
    "application/vnd.oci.image.manifest.v1+json"
)


def config_for(path, repository_url: str):
    """Only the repository matters to push; the rest just has to be present."""
    keys = {
        "region": REGION,
        "ecr_repository_url": repository_url,
        "container_port": 8000,
        "private_subnet_ids": ["subnet-a"],
    }
    names = [k for k in REQUIRED if k not in keys]
    lines = ["[environments.staging]"] + [f'{n} = "x"' for n in names]
    lines += [f"{k} = {json.dumps(v)}" for k, v in keys.items()]
    path.write_text("\n".join(lines) + "\n")
    return path


def test_push_logs_in_with_the_ecr_token_and_the_registry_serves_the_digest(
    app_image, registry, aws_env, docker_client, tmp_path
):
    config = config_for(tmp_path / "opsctl.toml", f"{registry}/mycandidate-ecr")
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
    assert result["remote"] == f"{registry}/mycandidate-ecr:{tag}"

    request = urllib.request.Request(
        f"http://{registry}/v2/mycandidate-ecr/manifests/{tag}",
        method="HEAD",
        headers={"Accept": MANIFEST_TYPES},
    )
    with urllib.request.urlopen(request, timeout=10) as response:
        assert response.headers["Docker-Content-Digest"] == result["digest"]
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
