"""The app image, run for real: healthy, read-only, non-root, real data, clean stop, lean."""

from __future__ import annotations

import io
import json
import tarfile
import time
import urllib.error
import urllib.request
from datetime import datetime
from importlib.metadata import version
from typing import Any

import pytest

from tests.container.support import (
    CA_MARKER,
    get_json,
    host_port,
    served_names,
    wait_healthy,
    ward_names,
)

pytestmark = pytest.mark.container

SECRET = "container-test-secret-key"  # checkov:skip=CKV_SECRET_6:throwaway key for a test container


HARDENED: dict[str, Any] = {
    "ports": {"8000/tcp": ("127.0.0.1", None)},
    "read_only": True,
    "tmpfs": {"/tmp": "rw,size=128m"},
    "cap_drop": ["ALL"],
    "security_opt": ["no-new-privileges"],
}


def run_app(start: Any, image: str, data_dir: Any) -> Any:
    """The standalone case: SQLite on a tmpfs, the real data mounted read-only, prepared."""
    return start(
        image,
        command=["opsctl", "serve", "--host", "0.0.0.0", "--prepare"],
        environment={
            "SECRET_KEY": SECRET,
            "DATABASE_URL": "sqlite:////tmp/mycandidate.sqlite3",
            "MYCANDIDATE_DATA_DIR": "/data",
        },
        volumes={str(data_dir): {"bind": "/data", "mode": "ro"}},
        **HARDENED,
    )


def test_default_command_only_serves_an_empty_database_alive_but_not_ready(app_image, start):
    """C3: the image's CMD never migrates or downloads; /readyz says why it is not ready."""
    container = start(
        app_image["tag"],
        environment={
            "SECRET_KEY": SECRET,
            "DATABASE_URL": "sqlite:////tmp/mycandidate.sqlite3",
            "MYCANDIDATE_RELEASE": "sha256:" + "0" * 64,
        },
        **HARDENED,
    )
    wait_healthy(container)
    base = f"http://127.0.0.1:{host_port(container)}"
    assert get_json(f"{base}/healthz") == {"status": "ok"}
    with pytest.raises(urllib.error.HTTPError) as caught:
        urllib.request.urlopen(f"{base}/readyz", timeout=10)
    assert caught.value.code == 503
    body = json.load(caught.value)
    assert (body["reason"], body["release"]) == ("schema_outdated", "sha256:" + "0" * 64)
    time.sleep(2)  # still up: no crash loop, no download attempt
    container.reload()
    assert container.attrs["State"]["Status"] == "running"
    assert container.attrs["RestartCount"] == 0
    tables = container.exec_run(
        [
            "python",
            "-c",
            "import sqlite3; c = sqlite3.connect('/tmp/mycandidate.sqlite3');"
            " print(c.execute('select count(*) from sqlite_master').fetchone()[0])",
        ]
    )
    assert tables.output.decode().strip() == "0"
    logs = container.logs().decode(errors="replace")
    assert "download" not in logs.lower() and "loaded" not in logs


def test_healthy_read_only_non_root_and_serves_the_real_data(app_image, start, data_dir):
    container = run_app(start, app_image["tag"], data_dir)
    wait_healthy(container)
    body = get_json(f"http://127.0.0.1:{host_port(container)}/api/v1/wards/1/candidates")
    assert {(c["ward"]["code"], c["ward"]["name"], c["ballot"]) for c in body} == {
        ("1", "Port Reitz", "ward")
    }
    assert served_names(body) == ward_names(data_dir, "1")

    assert container.attrs["HostConfig"]["ReadonlyRootfs"] is True
    uid = container.exec_run(["python", "-c", "import os; print(os.getuid(), os.getgid())"])
    assert uid.output.decode().split() == ["10001", "10001"]
    write = container.exec_run(["python", "-c", "open('/opt/app/probe', 'w')"])
    assert write.exit_code != 0
    assert b"Read-only file system" in write.output


def test_access_log_is_json_lines_on_stdout(app_image, start, data_dir):
    container = run_app(start, app_image["tag"], data_dir)
    wait_healthy(container)
    get_json(f"http://127.0.0.1:{host_port(container)}/api/v1/wards/1/candidates")
    path = "/api/v1/wards/1/candidates"
    deadline = time.monotonic() + 10
    while True:  # gunicorn writes the access line just after the response
        lines = container.logs(stdout=True, stderr=False).decode().splitlines()
        if path in "".join(lines) or time.monotonic() > deadline:
            break
        time.sleep(0.1)
    entries = [json.loads(line) for line in lines if line.strip()]
    hits = [e for e in entries if e.get("path") == path]
    assert hits and hits[0]["status"] == 200 and hits[0]["method"] == "GET"


def test_sigterm_drains_and_exits_cleanly_within_the_ecs_stop_timeout(app_image, start, data_dir):
    container = run_app(start, app_image["tag"], data_dir)
    wait_healthy(container)
    began = time.monotonic()
    container.stop(timeout=30)
    elapsed = time.monotonic() - began
    container.reload()
    assert container.attrs["State"]["ExitCode"] == 0
    assert elapsed < 25


def test_oci_labels_name_source_revision_version_and_date(app_image, docker_client):
    labels = docker_client.images.get(app_image["tag"]).labels
    assert labels["org.opencontainers.image.revision"] == app_image["revision"]
    assert labels["org.opencontainers.image.source"].startswith("https://")
    assert labels["org.opencontainers.image.version"] == version("mycandidate")
    datetime.strptime(labels["org.opencontainers.image.created"], "%Y-%m-%dT%H:%M:%SZ")


def test_final_image_holds_no_build_ca_pip_or_compiler(app_image, docker_client):
    image = docker_client.images.get(app_image["tag"])
    assert image.attrs["Config"]["User"] == "10001:10001"
    history = " ".join(step.get("CreatedBy", "") for step in image.history())
    assert "build-ca" not in history

    container = docker_client.containers.create(app_image["tag"])
    names: set[str] = set()
    marked: list[str] = []
    try:
        stream = io.BufferedReader(_ChunkReader(container.export()), buffer_size=1 << 20)
        with tarfile.open(fileobj=stream, mode="r|") as tar:
            for member in tar:
                names.add(member.name)
                if member.isfile() and member.size:
                    handle = tar.extractfile(member)
                    if handle is not None and CA_MARKER.encode() in handle.read():
                        marked.append(member.name)
    finally:
        container.remove()
    assert marked == []
    assert not [n for n in names if "build-ca" in n]
    assert "opt/venv/bin/python" in names and "opt/app/bin/opsctl" in names
    assert not {"opt/venv/bin/pip", "usr/bin/gcc", "usr/bin/cc", "usr/bin/curl"} & names


class _ChunkReader(io.RawIOBase):
    """A file-like view over the engine's chunked export stream, for tarfile's stream mode."""

    def __init__(self, chunks: Any) -> None:
        self._chunks = iter(chunks)
        self._pending = memoryview(b"")

    def readable(self) -> bool:
        return True

    def readinto(self, buffer: Any) -> int:
        while not self._pending:
            chunk = next(self._chunks, None)
            if chunk is None:
                return 0
            self._pending = memoryview(chunk)
        size = min(len(buffer), len(self._pending))
        buffer[:size] = self._pending[:size]
        self._pending = self._pending[size:]
        return size
