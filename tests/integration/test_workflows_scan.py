"""zizmor (offline audits) on the GitHub workflows and Dependabot settings, from its own hash-locked environment.

The pin lives in opsctl/tools/zizmor.in and .txt beside the other scanners' pins and is
installed by the same runner (`opsctl.adapters.tools`), into its own virtual environment.
A planted bad workflow proves the tool really audits: an empty result must mean clean.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from opsctl.adapters import tools

pytestmark = pytest.mark.integration

ROOT = Path(__file__).resolve().parents[2]
PIN = (tools.LOCK_DIR / "zizmor.in").read_text().strip()
ZIZMOR = tools.Tool("zizmor", "zizmor", PIN.split("==")[1], "zizmor")
BLOCKING = {"Medium", "High"}

BAD = """\
name: bad
on: {issues: {}}
jobs:
  greet:
    runs-on: ubuntu-24.04
    steps:
      - uses: actions/checkout@v4
      - run: echo "${{ github.event.issue.title }}"
"""


@pytest.fixture(scope="module")
def zizmor():
    """Run zizmor on a folder; returns its findings (JSON), failing on a tool error."""
    with pytest.MonkeyPatch.context() as patch:
        patch.setitem(tools.TOOLS, "zizmor", ZIZMOR)

        def audit(folder: Path) -> list[dict]:
            done = tools.run_tool(
                "zizmor",
                ["--offline", "--no-progress", "--format", "json", str(folder)],
                timeout=300,
            )
            # Exit codes: 0 clean, 10-14 findings by highest severity; anything else is an error.
            assert done.returncode == 0 or 10 <= done.returncode <= 14, done.stderr
            return json.loads(done.stdout)

        yield audit


def test_pin_is_a_hash_locked_exact_version() -> None:
    assert re.fullmatch(r"zizmor==\d+\.\d+\.\d+", PIN)
    lock = ZIZMOR.lock_file.read_text()
    assert lock.startswith(f"{PIN} \\\n") and "--hash=sha256:" in lock


def test_workflows_have_no_medium_or_high_findings(zizmor) -> None:
    findings = zizmor(ROOT / ".github")
    blocking = [
        f"{f['ident']} ({f['determinations']['severity']}): "
        f"{f['locations'][0]['symbolic']['key']['Local']['verbatim_path']}"
        for f in findings
        if f["determinations"]["severity"] in BLOCKING and not f.get("ignored")
    ]
    assert blocking == []


def test_a_planted_bad_workflow_is_caught(zizmor, tmp_path) -> None:
    folder = tmp_path / ".github" / "workflows"
    folder.mkdir(parents=True)
    (folder / "bad.yml").write_text(BAD)
    found = {f["ident"] for f in zizmor(folder) if f["determinations"]["severity"] in BLOCKING}
    assert {"template-injection", "unpinned-uses", "excessive-permissions"} <= found
