"""`opsctl diagram` renders both diagrams with graphviz and checks the architecture against infra/."""

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import require
from tests.support.paths import REPO

REPO = REPO
PNG = b"\x89PNG\r\n\x1a\n"


def opsctl(*args: str, cwd: Path = REPO) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "opsctl", *args],
        cwd=cwd,
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
        env={**os.environ, "NO_COLOR": "1"},
    )


@pytest.fixture(autouse=True)
def graphviz() -> None:
    require(shutil.which("dot"), "graphviz `dot` (scripts/bootstrap-system.sh installs it)")


def test_png_renders_both(tmp_path) -> None:
    done = opsctl("diagram", "--out", str(tmp_path))
    assert done.returncode == 0, done.stderr
    for name in ("architecture", "cicd"):
        image = (tmp_path / f"{name}.png").read_bytes()
        assert image.startswith(PNG) and len(image) > 50_000


def test_svg_embeds_its_icons(tmp_path) -> None:
    done = opsctl("diagram", "--out", str(tmp_path), "--format", "svg")
    assert done.returncode == 0, done.stderr
    svg = (tmp_path / "architecture.svg").read_text()
    hrefs = re.findall(r'href="([^"#][^"]*)"', svg)
    assert hrefs and all(h.startswith("data:image/png;base64,") for h in hrefs)
    assert not list(tmp_path.glob("architecture"))  # no stray dot source left behind


def test_committed_pngs_exist() -> None:
    for name in ("architecture", "cicd"):
        assert (REPO / "docs" / f"{name}.png").read_bytes().startswith(PNG)


def test_repository_diagram_matches_infra() -> None:
    done = opsctl("diagram", "--check")
    assert done.returncode == 0, done.stderr
    assert "diagram matches infra/" in done.stdout


def test_drift_fails_naming_both_sides(tmp_path) -> None:
    shutil.copytree(REPO / "diagram_sources", tmp_path / "diagram_sources")
    (tmp_path / "infra").mkdir()
    # infra/ without the cache module the diagram draws, plus a queue the diagram lacks.
    kept = [p for p in (REPO / "infra").rglob("*.tf") if "cache" not in p.parts]
    text = "\n".join(p.read_text() for p in kept)
    (tmp_path / "infra" / "main.tf").write_text(text + '\nresource "aws_sqs_queue" "jobs" {}\n')
    done = opsctl("diagram", "--check", "--path", str(tmp_path), cwd=tmp_path)
    assert done.returncode == 1
    assert "aws_sqs_queue, which the diagram mapping does not know" in done.stderr
    assert "draws aws.database.ElasticacheForRedis but infra declares none" in done.stderr
