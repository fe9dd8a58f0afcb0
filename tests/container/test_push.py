"""`opsctl build --push` to a local registry (Debian's docker-registry): the digest round-trips."""

from __future__ import annotations

import json
import urllib.request

import pytest

from tests.container.support import opsctl

pytestmark = pytest.mark.container

MANIFEST_TYPES = ", ".join(
    (
        "application/vnd.docker.distribution.manifest.v2+json",
        "application/vnd.oci.image.manifest.v1+json",
    )
)


def test_pushed_digest_is_what_the_registry_serves_and_pulls_back(
    app_image, build_args, registry, docker_client
):
    done = opsctl(*build_args, "--push", registry)
    assert done.returncode == 0, done.stderr[-4000:]
    result = json.loads(done.stdout)
    repository, tag = result["pushed"].rsplit(":", 1)
    assert repository == f"{registry}/mycandidate"
    assert result["tag"] == f"mycandidate:{tag}"

    request = urllib.request.Request(
        f"http://{registry}/v2/mycandidate/manifests/{tag}",
        method="HEAD",
        headers={"Accept": MANIFEST_TYPES},
    )
    with urllib.request.urlopen(request, timeout=10) as response:
        assert response.headers["Docker-Content-Digest"] == result["digest"]

    docker_client.images.remove(result["pushed"])
    pulled = docker_client.images.pull(f"{repository}@{result['digest']}")
    try:
        assert pulled.id == result["image_id"]
    finally:
        docker_client.images.remove(f"{repository}@{result['digest']}")
