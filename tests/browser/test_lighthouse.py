"""Lighthouse and axe-core on the real site: the home page and a results page, phone and desktop.

The npm tools are installed at test time into a cache folder (never committed); without npm
or the registry this skips locally and fails in CI.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
from pathlib import Path
from typing import Any

import pytest

from tests.browser.conftest import CHROMIUM
from tests.conftest import require

pytestmark = [pytest.mark.browser, pytest.mark.realdata]

LIGHTHOUSE = "lighthouse@12.2.3"
AXE = "axe-core@4.10.2"
TOOLS = (LIGHTHOUSE, AXE)
PAGES = {"home": "/", "results": "/?ballot=county_governor&area=1"}
# Categories that must be perfect, and the floor for performance.
PERFECT = ("accessibility", "best-practices", "seo")
PERFORMANCE_FLOOR = 0.95


@pytest.fixture(scope="session")
def npm_tools() -> Path:
    """lighthouse and axe-core in a cache folder, installed once per version."""
    cache = Path(os.environ.get("XDG_CACHE_HOME", Path.home() / ".cache"))
    folder = cache / "mycandidate-browser-tools" / f"{LIGHTHOUSE}-{AXE}"
    if not (folder / "node_modules" / "lighthouse" / "cli" / "index.js").is_file():
        require(shutil.which("npm") and shutil.which("node"), "node and npm (apt-get install npm)")
        folder.mkdir(parents=True, exist_ok=True)
        try:
            subprocess.run(
                ["npm", "install", "--no-audit", "--no-fund", "--prefix", str(folder), *TOOLS],
                check=True,
                capture_output=True,
                timeout=600,
            )
        except (subprocess.CalledProcessError, subprocess.TimeoutExpired) as exc:
            require(False, f"npm install {LIGHTHOUSE} {AXE}: {exc}")
    return folder / "node_modules"


def lighthouse(tools: Path, url: str, form_factor: str, out: Path) -> dict[str, Any]:
    require(CHROMIUM.exists(), f"{CHROMIUM} (apt-get install chromium)")
    argv = [
        "node",
        str(tools / "lighthouse" / "cli" / "index.js"),
        url,
        "--quiet",
        "--output=json",
        f"--output-path={out}",
        f"--chrome-path={CHROMIUM}",
        "--chrome-flags=--headless=new --no-sandbox --disable-gpu --disable-dev-shm-usage",
        "--only-categories=performance,accessibility,best-practices,seo",
    ]
    if form_factor == "desktop":
        argv.append("--preset=desktop")
    subprocess.run(argv, check=True, timeout=300, capture_output=True)
    report: dict[str, Any] = json.loads(out.read_text())
    return report


@pytest.mark.parametrize("form_factor", ["mobile", "desktop"])
@pytest.mark.parametrize("page", sorted(PAGES))
def test_lighthouse_scores(npm_tools, live_server, tmp_path, page, form_factor):
    report = lighthouse(npm_tools, live_server + PAGES[page], form_factor, tmp_path / "lh.json")
    scores = {key: c["score"] for key, c in report["categories"].items()}
    failing = sorted(
        audit["id"]
        for audit in report["audits"].values()
        if audit["score"] is not None
        and audit["score"] < 1
        and audit["scoreDisplayMode"] in ("binary", "metricSavings")
    )
    print(f"lighthouse {page} {form_factor}: {scores}")
    assert all(scores[c] == 1 for c in PERFECT), (scores, failing)
    assert scores["performance"] >= PERFORMANCE_FLOOR, (scores, failing)


@pytest.mark.parametrize("path", sorted(PAGES.values()))
def test_axe_finds_nothing(npm_tools, chromium, live_server, path):
    # The page's CSP allows no injected script; axe is a test tool, so it is let in.
    context = chromium.new_context(base_url=live_server, bypass_csp=True)
    try:
        page = context.new_page()
        page.goto(path)
        page.add_script_tag(path=str(npm_tools / "axe-core" / "axe.min.js"))
        result = page.evaluate("axe.run()")
        assert [(v["id"], [n["target"] for n in v["nodes"]]) for v in result["violations"]] == []
    finally:
        context.close()
