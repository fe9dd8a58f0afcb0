"""opsctl.adapters.terraform against a stand-in terraform: env, argv, error translation."""

import os
import stat
import sys
from pathlib import Path

import pytest
from typer.testing import CliRunner

from opsctl.adapters import terraform as adapter
from opsctl.errors import EXIT_PREREQUISITE, OpsError, PrerequisiteError

# Records its argv and environment, then behaves as FAKE_TF_MODE says.
FAKE = """#!{python}
import json, os, sys
from pathlib import Path
log = Path(os.environ["FAKE_TF_LOG"])
with log.open("a") as f:
    f.write(json.dumps({{"argv": sys.argv[1:], "cli": os.environ.get("TF_CLI_CONFIG_FILE"),
                         "data": os.environ.get("TF_DATA_DIR")}}) + "\\n")
mode = os.environ.get("FAKE_TF_MODE", "ok")
cmd = next(a for a in sys.argv[1:] if not a.startswith("-chdir"))
if mode == "fail":
    sys.stderr.write("\\u2577\\n\\u2502 Error: Backend initialization required\\n\\u2575\\n")
    sys.exit(1)
if cmd == "validate":
    print(json.dumps({{"valid": mode != "invalid", "diagnostics": [] if mode != "invalid" else
        [{{"severity": "error", "summary": "Reference to undeclared resource",
          "range": {{"filename": "main.tf", "start": {{"line": 3}}}}}}]}}))
elif cmd == "fmt" and mode == "unformatted":
    print("modules/x/main.tf")
    sys.exit(3)
elif cmd == "output":
    print(json.dumps({{"cluster_name": {{"value": "c", "type": "string", "sensitive": False}}}}))
"""


@pytest.fixture
def mirror(tmp_path):
    path = tmp_path / "mirror"
    (path / "registry.terraform.io" / "hashicorp" / "aws" / "5.100.0").mkdir(parents=True)
    return path


@pytest.fixture
def fake_tf(tmp_path, monkeypatch):
    bin_dir = tmp_path / "bin"
    bin_dir.mkdir()
    exe = bin_dir / "terraform"
    exe.write_text(FAKE.format(python=sys.executable))
    exe.chmod(exe.stat().st_mode | stat.S_IXUSR)
    log = tmp_path / "calls.jsonl"
    monkeypatch.setenv("PATH", f"{bin_dir}{os.pathsep}{os.environ['PATH']}")
    monkeypatch.setenv("FAKE_TF_LOG", str(log))
    return log


def calls(log: Path) -> list[dict]:
    import json

    return [json.loads(line) for line in log.read_text().splitlines()]


def test_find_mirror_explicit(mirror):
    assert adapter.find_mirror(mirror) == mirror.resolve()


def test_find_mirror_rejects_a_folder_without_the_provider(tmp_path):
    with pytest.raises(PrerequisiteError) as info:
        adapter.find_mirror(tmp_path)
    assert info.value.exit_code == EXIT_PREREQUISITE
    assert "OPSCTL_TF_PLUGIN_MIRROR" in (info.value.hint or "")


def test_create_writes_a_mirror_only_cli_config(fake_tf, mirror, tmp_path):
    tf = adapter.Terraform.create(mirror, tmp_path / "cache")
    config = (tmp_path / "cache" / "cli.tfrc").read_text()
    assert f'path    = "{mirror.resolve()}"' in config
    env = tf.env(tmp_path / "root")
    assert env["TF_CLI_CONFIG_FILE"] == str(tmp_path / "cache" / "cli.tfrc")
    # Two roots with the same folder name never share a data dir.
    assert env["TF_DATA_DIR"] != tf.env(tmp_path / "other" / "root")["TF_DATA_DIR"]


def test_create_without_terraform(monkeypatch, mirror, tmp_path):
    monkeypatch.setenv("PATH", str(tmp_path / "empty"))
    with pytest.raises(PrerequisiteError, match="terraform is not installed"):
        adapter.Terraform.create(mirror, tmp_path / "cache")


def test_init_is_offline_and_keeps_the_lock_file(fake_tf, mirror, tmp_path):
    tf = adapter.Terraform.create(mirror, tmp_path / "cache")
    tf.init(tmp_path, backend=False)
    (call,) = calls(fake_tf)
    assert call["argv"] == [
        f"-chdir={tmp_path}",
        "init",
        "-input=false",
        "-no-color",
        "-lockfile=readonly",
        "-backend=false",
    ]
    assert call["cli"] == str(tmp_path / "cache" / "cli.tfrc")
    assert call["data"].startswith(str(tmp_path / "cache" / "data"))


def test_failure_becomes_one_line_ops_error(fake_tf, mirror, tmp_path, monkeypatch):
    monkeypatch.setenv("FAKE_TF_MODE", "fail")
    tf = adapter.Terraform.create(mirror, tmp_path / "cache")
    with pytest.raises(OpsError) as info:
        tf.output(tmp_path)
    assert info.value.message == (
        f"terraform output failed in {tmp_path}: Error: Backend initialization required"
    )


def make_infra(root: Path) -> Path:
    infra = root / "infra"
    for name in ("envs/staging/main.tf", "envs/prod/main.tf", "modules/m/main.tf"):
        (infra / name).parent.mkdir(parents=True, exist_ok=True)
        (infra / name).write_text("")
    return infra


def test_validate_all_reports_each_root(fake_tf, mirror, tmp_path, monkeypatch):
    infra = make_infra(tmp_path)
    tf = adapter.Terraform.create(mirror, tmp_path / "cache")
    report = adapter.validate_all(tf, infra)
    assert [r.root for r in report.roots] == ["envs/prod", "envs/staging"]
    assert report.ok
    monkeypatch.setenv("FAKE_TF_MODE", "invalid")
    report = adapter.validate_all(tf, infra)
    assert not report.ok
    assert [d.line() for d in report.roots[0].errors] == [
        "main.tf:3: Reference to undeclared resource"
    ]
    monkeypatch.setenv("FAKE_TF_MODE", "unformatted")
    assert adapter.validate_all(tf, infra).unformatted == ["modules/x/main.tf"]


def test_validate_all_keeps_going_after_a_failed_init(fake_tf, mirror, tmp_path, monkeypatch):
    monkeypatch.setenv("FAKE_TF_MODE", "fail")
    tf = adapter.Terraform.create(mirror, tmp_path / "cache")
    with pytest.raises(OpsError):  # fmt cannot run either: that is a failure, not a finding
        adapter.validate_all(tf, make_infra(tmp_path))
    inits = [c for c in calls(fake_tf) if "init" in c["argv"]]
    assert len(inits) == 2


def test_cli_output_json(fake_tf, mirror, tmp_path):
    from opsctl.app import app

    make_infra(tmp_path)
    result = CliRunner().invoke(
        app,
        ["infra", "output", "--env", "staging", "--path", str(tmp_path), "--json"],
        env={"OPSCTL_TF_PLUGIN_MIRROR": str(mirror), "XDG_CACHE_HOME": str(tmp_path / "xdg")},
    )
    assert result.exit_code == 0, result.output
    assert '"cluster_name": "c"' in result.output
    argvs = [c["argv"][1] for c in calls(fake_tf)]
    assert argvs == ["init", "output"]
    assert "-backend=true" in calls(fake_tf)[0]["argv"]


def test_cli_missing_mirror_exits_3(fake_tf, tmp_path):
    from opsctl.app import app

    result = CliRunner().invoke(
        app,
        ["infra", "validate", "--path", str(tmp_path)],
        env={"OPSCTL_TF_PLUGIN_MIRROR": str(tmp_path / "nowhere")},
    )
    assert isinstance(result.exception, PrerequisiteError)
