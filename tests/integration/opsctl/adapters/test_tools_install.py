"""Scanner environments: created on first use from the hash-locked pins, apart from ours."""

import os
import subprocess
import sys
from pathlib import Path

from opsctl.adapters import tools
from tests.support.paths import FIXTURES

FIXTURE = FIXTURES / "scan" / "planted" / "docker_root"


def test_first_use_installs_into_the_cache(tmp_path) -> None:
    env = {**os.environ, "XDG_CACHE_HOME": str(tmp_path), "NO_COLOR": "1"}
    done = subprocess.run(
        [sys.executable, "-m", "opsctl", "scan", "--path", str(FIXTURE), "--only", "hadolint"],
        capture_output=True,
        text=True,
        timeout=600,
        check=False,
        env=env,
    )
    assert done.returncode == 1, done.stderr  # DL3002 in the fixture
    assert "DL3002" in done.stdout
    venv = tmp_path / "opsctl" / "tools" / "hadolint-2.15.1"
    assert (venv / "bin" / "hadolint").exists()
    assert (venv / ".opsctl-lock.sha256").read_text().strip()


def test_checkov_environment_keeps_its_own_boto3() -> None:
    import boto3

    exe = tools.ensure("checkov")
    python = exe.parent / "python"
    done = subprocess.run(
        [
            str(python),
            "-c",
            "import boto3, packaging; print(boto3.__version__, packaging.__version__)",
        ],
        capture_output=True,
        text=True,
        timeout=120,
        check=True,
    )
    theirs_boto3, theirs_packaging = done.stdout.split()
    assert theirs_boto3 == "1.35.49" and theirs_packaging.startswith("23.")
    assert boto3.__version__ != theirs_boto3
    assert not str(Path(boto3.__file__)).startswith(str(exe.parent.parent))
