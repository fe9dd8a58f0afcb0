"""Helpers for the container tests: the CLI in a process, health waits, the real data."""

from __future__ import annotations

import csv
import json
import os
import subprocess
import sys
import time
import urllib.request
from pathlib import Path
from typing import Any

import pytest

from opsctl.core.environment import REQUIRED_KEYS
from tests.support.emulator import REGION

ROOT = Path(__file__).resolve().parents[2]
# Appended to the CA bundle handed to the build; it must never turn up in the final image.
# Constant, so the builder's dependency layer stays cached between runs.
CA_MARKER = "mycandidate-test-build-ca-marker-4f7c1e"


def opsctl(*args: str, timeout: float = 1800) -> subprocess.CompletedProcess[str]:
    """The CLI in a real process, as an operator runs it."""
    return subprocess.run(
        [sys.executable, "-m", "opsctl", *args],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=timeout,
        env={**os.environ, "NO_COLOR": "1", "COLUMNS": "200"},
        check=False,
    )


def wait_healthy(container: Any, timeout: float = 90) -> float:
    """Seconds until Docker reports the container healthy; fails with its logs otherwise."""
    began = time.monotonic()
    while time.monotonic() - began < timeout:
        container.reload()
        state = container.attrs["State"]
        if state.get("Health", {}).get("Status") == "healthy":
            return time.monotonic() - began
        if state["Status"] == "exited":
            break
        time.sleep(0.2)
    logs = container.logs(tail=30).decode(errors="replace")
    pytest.fail(f"{container.name} not healthy ({container.attrs['State']}):\n{logs}")


def host_port(container: Any, port: str = "8000/tcp") -> int:
    container.reload()
    return int(container.ports[port][0]["HostPort"])


def get_json(url: str) -> Any:
    with urllib.request.urlopen(url, timeout=10) as response:
        assert response.status == 200
        return json.load(response)


def ward_names(data_dir: Path, code: str) -> set[tuple[str, str]]:
    """An independent reading of Ward_Final.csv: (surname, other names) standing in a ward."""

    def norm(text: str) -> str:
        return " ".join(text.split()).casefold()

    path = data_dir / "kenya-2022" / "Ward_Final.csv"
    with path.open(newline="", encoding="utf-8") as handle:
        return {
            (norm(row["Surname"]), norm(row["Other Names"]))
            for row in csv.DictReader(handle)
            if row["Ward Code"].strip() == code
        }


def served_names(body: list[dict[str, Any]]) -> set[tuple[str, str]]:
    return {
        (" ".join(c["surname"].split()).casefold(), " ".join(c["other_names"].split()).casefold())
        for c in body
    }


MANIFEST_TYPES = (
    "application/vnd.docker.distribution.manifest.v2+json, "
    "application/vnd.oci.image.manifest.v1+json"
)


def config_for(path: Path, repository_url: str) -> Path:
    """Only the repository matters to push; the rest just has to be present."""
    keys = {
        "region": REGION,
        "ecr_repository_url": repository_url,
        "container_port": 8000,
        "private_subnet_ids": ["subnet-a"],
    }
    names = [k for k in REQUIRED_KEYS if k not in keys]
    lines = ["[environments.staging]"] + [f'{n} = "x"' for n in names]
    lines += [f"{k} = {json.dumps(v)}" for k, v in keys.items()]
    path.write_text("\n".join(lines) + "\n")
    return path
