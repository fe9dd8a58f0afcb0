"""The runner and the scanner pins: argv lists, timeouts, hash-locked isolated installs."""

import re
import sys
from pathlib import Path

import pytest

from opsctl.adapters import tools
from opsctl.errors import PrerequisiteError

LOCKS = tools.LOCK_DIR


@pytest.mark.parametrize("tool", tools.TOOLS.values(), ids=list(tools.TOOLS))
def test_registry_matches_the_pinned_files(tool) -> None:
    pin = (LOCKS / f"{tool.name}.in").read_text().strip()
    assert pin == f"{tool.package}=={tool.version}"
    lock = tool.lock_file.read_text()
    assert re.search(rf"^{re.escape(tool.package)}=={re.escape(tool.version)} \\$", lock, re.M)
    requirements = [line for line in lock.splitlines() if re.match(r"^[a-z0-9]", line, re.I)]
    assert requirements and all("==" in line for line in requirements)
    assert lock.count("--hash=sha256:") >= len(requirements)


def test_checkov_keeps_its_old_boto3_out_of_our_environment() -> None:
    import boto3

    lock = (LOCKS / "checkov.txt").read_text()
    pinned = re.search(r"^boto3==(\S+)", lock, re.M)
    assert pinned is not None
    assert pinned.group(1) != boto3.__version__  # two versions, so they must live apart


def test_each_tool_gets_its_own_cache_folder(monkeypatch, tmp_path) -> None:
    monkeypatch.setattr(tools, "cache_root", lambda: tmp_path)
    folders = {tools.tool_dir(t) for t in tools.TOOLS.values()}
    assert len(folders) == len(tools.TOOLS)
    assert tools.tool_dir(tools.TOOLS["checkov"]) == tmp_path / "checkov-3.3.30"
    assert not tools.is_installed(tools.TOOLS["checkov"])


def test_run_passes_arguments_verbatim_without_a_shell(tmp_path) -> None:
    done = tools.run(
        [sys.executable, "-c", "import sys; print(sys.argv[1:])", "$HOME", "a;b"], cwd=tmp_path
    )
    assert done.returncode == 0
    assert done.stdout.strip() == "['$HOME', 'a;b']"


def test_run_times_out_as_a_tool_error() -> None:
    with pytest.raises(tools.ToolError, match="timed out after 1 s") as caught:
        tools.run([sys.executable, "-c", "import time; time.sleep(5)"], timeout=1)
    assert caught.value.exit_code == 2


def test_missing_program_is_a_prerequisite_error(tmp_path) -> None:
    with pytest.raises(PrerequisiteError, match="is not installed"):
        tools.run([str(tmp_path / "no-such-program")])


def test_tool_sees_no_pythonpath(monkeypatch) -> None:
    monkeypatch.setenv("PYTHONPATH", str(Path.cwd()))
    done = tools.run([sys.executable, "-c", "import os; print(os.environ.get('PYTHONPATH'))"])
    assert done.stdout.strip() == "None"
