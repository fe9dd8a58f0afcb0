"""opsctl build / up / down as a user runs them, where no engine answers."""

import os
import subprocess
import sys


def opsctl(*args: str, **env: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "opsctl", *args],
        capture_output=True,
        text=True,
        env={**os.environ, "NO_COLOR": "1", "COLUMNS": "200", **env},
        timeout=60,
        check=False,
    )


def test_build_without_an_engine_is_a_missing_prerequisite_not_a_traceback():
    done = opsctl("build", DOCKER_HOST="unix:///nonexistent/docker.sock")
    assert done.returncode == 3
    assert "DOCKER_HOST=unix:///nonexistent/docker.sock does not answer" in done.stderr
    assert "Traceback" not in done.stderr


def test_down_without_an_engine_fails_with_one_line(tmp_path):
    done = opsctl(
        "down",
        "--project",
        "t",
        "--env-file",
        str(tmp_path / "none.env"),
        DOCKER_HOST="unix:///nonexistent/docker.sock",
    )
    assert done.returncode == 1
    assert done.stderr.startswith("error: docker compose down failed")
    assert "Traceback" not in done.stderr


def test_help_has_examples_and_loads_no_docker_sdk():
    for verb in ("build", "up", "down"):
        done = opsctl(verb, "--help")
        assert done.returncode == 0
        assert "Example" in done.stdout
    probe = subprocess.run(
        [
            sys.executable,
            "-c",
            "import sys; from opsctl.commands import build, compose; "
            "print('docker' in sys.modules)",
        ],
        capture_output=True,
        text=True,
        check=True,
    )
    assert probe.stdout.strip() == "False"
