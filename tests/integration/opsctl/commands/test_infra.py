"""infra/ checked offline as CI checks it: `opsctl infra validate` and checkov, for real."""

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from opsctl.adapters import terraform as adapter
from opsctl.errors import PrerequisiteError
from tests.conftest import require
from tests.support.paths import REPO

ROOT = REPO


@pytest.fixture(scope="module")
def terraform_ready(tmp_path_factory: pytest.TempPathFactory) -> None:
    """terraform on PATH and a provider mirror in a known place (CI: /opt/tf-plugins)."""
    try:
        adapter.Terraform.create(cache_dir=tmp_path_factory.mktemp("tf-cache"))
    except PrerequisiteError as exc:
        require(False, exc.message)


def validate(path: Path, tmp_path: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "opsctl", "infra", "validate", "--json", "--path", str(path)],
        env={**os.environ, "XDG_CACHE_HOME": str(tmp_path / "cache")},
        capture_output=True,
        text=True,
        timeout=600,
        check=False,
    )


def test_every_root_validates_offline(terraform_ready, tmp_path):
    result = validate(ROOT, tmp_path)
    assert result.returncode == 0, result.stderr
    report = json.loads(result.stdout)
    assert report["ok"] and report["fmt"]["ok"]
    assert [r["root"] for r in report["roots"]] == [
        "bootstrap",
        "envs/prod",
        "envs/staging",
        "examples/emulator",
        "bootstrap (terraform test)",
        "modules/deploy (terraform test)",
        "modules/edge (terraform test)",
        "modules/github_oidc (terraform test)",
        "modules/service (terraform test)",
    ]
    # Providers came from the mirror into opsctl's cache, never into the checkout.
    assert not list((ROOT / "infra").rglob(".terraform"))


def test_a_broken_root_and_bad_formatting_fail(terraform_ready, tmp_path):
    copy = tmp_path / "repo"
    shutil.copytree(ROOT / "infra", copy / "infra", ignore=shutil.ignore_patterns(".terraform"))
    staging = copy / "infra" / "envs" / "staging" / "main.tf"
    staging.write_text(staging.read_text() + '\noutput "oops" {\n  value = module.nope.id\n}\n')
    tftest = copy / "infra" / "modules" / "service" / "tests" / "autoscaling.tftest.hcl"
    tftest.write_text(tftest.read_text().replace("== 3000", "== 3001"))
    ecr = copy / "infra" / "modules" / "ecr" / "outputs.tf"
    ecr.write_text(ecr.read_text().replace("  value       =", "  value =", 1))

    result = validate(copy, tmp_path)
    assert result.returncode == 1
    assert result.stderr.startswith("error: infra/ does not validate")
    report = json.loads(result.stdout)
    assert report["fmt"]["unformatted"] == ["modules/ecr/outputs.tf"]
    by_root = {r["root"]: r for r in report["roots"]}
    assert by_root["envs/prod"]["ok"] and by_root["bootstrap"]["ok"]
    assert not by_root["envs/staging"]["ok"]
    assert any("undeclared module" in e for e in by_root["envs/staging"]["errors"])
    tests = by_root["modules/service (terraform test)"]
    assert tests["errors"][0] == 'run "requests_target_is_per_task_per_minute" failed'
    # Module tests ran in a scratch copy: no lock file or .terraform appeared.
    assert not (copy / "infra" / "modules" / "service" / ".terraform.lock.hcl").exists()


def test_checkov_passes_infra_with_a_reason_for_every_skip():
    """The pinned checkov of `opsctl scan`, with the project's own checks, on infra/ alone."""
    from opsctl.adapters import tools
    from opsctl.adapters.scanners import CHECKOV_CHECKS

    done = tools.run_tool(
        "checkov",
        [
            "-d",
            "infra",
            "--framework",
            "terraform",
            "--skip-download",
            "-o",
            "json",
            "--external-checks-dir",
            str(CHECKOV_CHECKS),
        ],
        cwd=ROOT,
        env={"BC_SKIP_MAPPING": "TRUE"},
    )
    assert done.returncode in (0, 1), done.stderr
    report = json.loads(done.stdout)
    results = report["results"]
    failed = [(c["check_id"], c["file_path"], c["resource"]) for c in results["failed_checks"]]
    assert failed == []
    assert report["summary"]["parsing_errors"] == 0
    assert report["summary"]["passed"] > 300
    assert results["skipped_checks"], "the documented skips should be reported as skipped"
    for check in results["skipped_checks"]:
        reason = check["check_result"].get("suppress_comment", "")
        assert len(reason.split()) >= 6, check["check_id"]
