"""scripts/fetch-rds-ca.sh accepts AWS's RDS CA bundle only with the pinned sha256.

curl is replaced on PATH by a stand-in that writes a chosen body, so the pin logic runs
here without reaching AWS; the script itself runs unmodified on a copy of the folder.
"""

from __future__ import annotations

import hashlib
import os
import shutil
import subprocess
from pathlib import Path

import pytest

pytestmark = pytest.mark.integration
ROOT = Path(__file__).resolve().parents[2]
BUNDLE = b"-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----\n"


def run(tmp_path: Path, pin: str | None) -> subprocess.CompletedProcess[str]:
    (tmp_path / "scripts").mkdir()
    shutil.copy(ROOT / "scripts" / "fetch-rds-ca.sh", tmp_path / "scripts")
    (tmp_path / "docker" / "rds-ca").mkdir(parents=True)
    if pin is not None:
        (tmp_path / "docker" / "rds-ca" / "global-bundle.pem.sha256").write_text(pin + "\n")
    bin_dir = tmp_path / "bin"
    bin_dir.mkdir()
    body = tmp_path / "body.pem"
    body.write_bytes(BUNDLE)
    fake = bin_dir / "curl"
    # Writes the body to the file after -o, as curl would after a download.
    fake.write_text(
        '#!/bin/sh\nwhile [ $# -gt 0 ]; do [ "$1" = -o ] && cp "$BODY" "$2"; shift; done\n'
    )
    fake.chmod(0o755)
    env = {**os.environ, "PATH": f"{bin_dir}:{os.environ['PATH']}", "BODY": str(body)}
    return subprocess.run(
        ["bash", str(tmp_path / "scripts" / "fetch-rds-ca.sh")],
        env=env,
        capture_output=True,
        text=True,
        timeout=30,
        check=False,
    )


def test_the_pinned_bundle_is_written(tmp_path):
    done = run(tmp_path, hashlib.sha256(BUNDLE).hexdigest())
    assert done.returncode == 0, done.stderr
    assert (tmp_path / "docker" / "rds-ca" / "global-bundle.pem").read_bytes() == BUNDLE


@pytest.mark.parametrize("pin", [None, "0" * 64])
def test_an_unpinned_or_changed_bundle_is_refused_with_its_digest(tmp_path, pin):
    done = run(tmp_path, pin)
    assert done.returncode == 1
    assert hashlib.sha256(BUNDLE).hexdigest() in done.stderr
    assert not (tmp_path / "docker" / "rds-ca" / "global-bundle.pem").exists()
