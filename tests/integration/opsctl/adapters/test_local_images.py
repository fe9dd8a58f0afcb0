"""Starting a service that dies: one clear line with its last output, never a hang."""

import subprocess

import pytest

from opsctl.adapters.docker import EngineError
from opsctl.adapters.local_images import _wait
from opsctl.errors import EXIT_PREREQUISITE


def test_a_daemon_that_exits_is_reported_with_its_log_tail(tmp_path):
    log = tmp_path / "daemon.log"
    with log.open("wb") as out:
        process = subprocess.Popen(
            [
                "sh",
                "-c",
                "echo starting; echo 'failed to start daemon: iptables not found'; exit 1",
            ],
            stdout=out,
            stderr=subprocess.STDOUT,
        )
    with pytest.raises(EngineError) as caught:
        _wait(lambda: False, process, log, "dockerd", timeout=10)
    error = caught.value
    assert error.exit_code == EXIT_PREREQUISITE
    assert error.message.startswith("dockerd did not start (exit 1)")
    assert "iptables not found" in error.message
    assert str(log) in (error.hint or "")


def test_a_daemon_that_never_answers_is_stopped_after_the_timeout(tmp_path):
    log = tmp_path / "daemon.log"
    with log.open("wb") as out:
        process = subprocess.Popen(["sleep", "30"], stdout=out, stderr=subprocess.STDOUT)
    with pytest.raises(EngineError, match="did not start"):
        _wait(lambda: False, process, log, "docker-registry", timeout=0.5)
    assert process.wait(timeout=5) != 0
