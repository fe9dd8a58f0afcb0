"""`./dev serve`, the README's quick start: it prepares an empty database, then serves it."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
from pathlib import Path

import pytest

from tests.integration.test_cli import _wait_json
from tests.messy import KENYA_FILES, write_files
from tests.support.servers import free_port

pytestmark = pytest.mark.integration

ROOT = Path(__file__).resolve().parents[2]


def test_dev_serve_upgrades_and_loads_an_empty_database(tmp_path):
    venv = Path(sys.prefix)
    if not (venv / ".requirements.sha256").is_file():
        pytest.skip("./dev needs the venv it made (with its requirements stamp)")
    write_files(tmp_path / "data" / "kenya-2022", KENYA_FILES)
    port = free_port()
    env = {
        **os.environ,
        "MYCANDIDATE_VENV": str(venv),
        "DATABASE_URL": f"sqlite:///{tmp_path / 'dev.sqlite3'}",
        "MYCANDIDATE_DATA_DIR": str(tmp_path / "data"),
        "MYCANDIDATE_CACHE_DIR": str(tmp_path / "cache"),
        "NO_COLOR": "1",
    }
    process = subprocess.Popen(
        [str(ROOT / "dev"), "serve", "--port", str(port), "--workers", "1"],
        cwd=ROOT,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        body = _wait_json(f"http://127.0.0.1:{port}/api/v1/wards/1/candidates", process)
        assert [c["surname"] for c in body] == ["Abushiri", "Aloo", "Juba", "Mwambi"]
    finally:
        process.send_signal(signal.SIGTERM)
        process.communicate(timeout=30)
