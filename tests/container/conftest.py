"""Container fixtures: a real Docker engine and the app image, built here once per session.

The engine is started when none runs (dockerd from Debian's docker.io). Base images come
from debootstrap and Debian's packages (no Docker Hub), cached by tag. Without an engine
these tests skip on a developer's machine and fail in CI (`CI` set).
"""

from __future__ import annotations

import json
import os
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

from opsctl.errors import OpsError
from tests.conftest import require
from tests.container.support import CA_MARKER, opsctl
from tests.support.markers import mark_folder


@pytest.fixture(scope="session")
def docker_client() -> Iterator[Any]:
    from opsctl.adapters import docker as docker_adapter
    from opsctl.adapters import local_images

    try:
        local_images.ensure_engine()
    except OpsError as exc:
        require(False, f"Docker engine: {exc.message} ({exc.hint})")
    client = docker_adapter.client()
    yield client
    client.close()
    # Started for this run, stopped with it; an engine that was already running stays.
    local_images.stop_started_daemons()


@pytest.fixture(scope="session")
def registry(docker_client: Any) -> str:
    """A local registry on 127.0.0.1:5000 (Debian's docker-registry), started if needed."""
    from opsctl.adapters.local_images import ensure_registry

    try:
        return ensure_registry()
    except OpsError as exc:
        require(False, f"local registry: {exc.message}")
        raise


@pytest.fixture(scope="session")
def build_args(tmp_path_factory: pytest.TempPathFactory) -> list[str]:
    """`opsctl build` arguments shared by every test, so later builds hit the cache."""
    host = Path(os.environ.get("PIP_CERT") or "/etc/ssl/certs/ca-certificates.crt")
    require(host.is_file(), f"a CA bundle for pip at {host}")
    bundle = tmp_path_factory.mktemp("build-ca") / "ca.pem"
    bundle.write_text(host.read_text() + f"\n# {CA_MARKER}\n")
    return ["build", "--local-images", "--ca-bundle", str(bundle), "--json"]


@pytest.fixture(scope="session")
def app_image(docker_client: Any, build_args: list[str]) -> dict[str, Any]:
    done = opsctl(*build_args)
    assert done.returncode == 0, done.stderr[-4000:]
    return dict(json.loads(done.stdout))


@pytest.fixture
def start(docker_client: Any) -> Iterator[Callable[..., Any]]:
    """Run containers detached; every one is removed when the test ends."""
    started: list[Any] = []

    def run(image: str, **kwargs: Any) -> Any:
        container = docker_client.containers.run(image, detach=True, **kwargs)
        started.append(container)
        return container

    yield run
    for container in started:
        container.remove(force=True, v=True)


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Every test under tests/container/ is marked `container` (the suites are folders)."""
    mark_folder(items, Path(__file__).parent, pytest.mark.container)
