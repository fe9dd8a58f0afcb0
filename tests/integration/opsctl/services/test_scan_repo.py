"""The repository as it stands scans clean: the same `opsctl scan` CI runs."""

import json
import os
import subprocess
import sys

from tests.support.paths import REPO

REPO = REPO


def test_repository_scans_clean(tmp_path) -> None:
    sarif, junit, report = tmp_path / "scan.sarif", tmp_path / "junit.xml", tmp_path / "scan.json"
    done = subprocess.run(
        [
            sys.executable,
            "-m",
            "opsctl",
            "scan",
            "--sarif",
            str(sarif),
            "--junit",
            str(junit),
            "--json-out",
            str(report),
            "--sbom",
            str(tmp_path / "sbom.json"),
        ],
        cwd=REPO,
        capture_output=True,
        text=True,
        timeout=1800,
        check=False,
        env={**os.environ, "COLUMNS": "200", "NO_COLOR": "1"},
    )
    data = json.loads(report.read_text())
    blocking = [
        (t["tool"], f["rule_id"], f["path"], f["line"])
        for t in data["tools"]
        for f in t["findings"]
        if f["blocking"]
    ]
    errors = {t["tool"]: t["error"] for t in data["tools"] if t["error"]}
    assert (blocking, errors) == ([], {}), done.stdout + done.stderr
    assert done.returncode == 0, done.stderr
    runs = json.loads(sarif.read_text())["runs"]
    assert {r["tool"]["driver"]["name"] for r in runs} >= {
        "checkov",
        "hadolint",
        "bandit",
        "image",
        "pip-audit",
    }
    assert junit.read_text().startswith("<?xml")
