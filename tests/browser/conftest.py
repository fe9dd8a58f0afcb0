"""The real app under gunicorn (`opsctl serve`) on kenya-2022, driven by headless Chromium.

Debian's chromium is used as installed (never `playwright install`); a missing browser or
dataset skips these tests locally and fails them in CI.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest

from tests.conftest import require
from tests.support.markers import mark_folder
from tests.support.servers import free_port

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
# Loading kenya-2022 on first start takes a few seconds; a slow CI machine gets slack.
START_TIMEOUT = 120.0
WORKERS = ("--workers", "2")

# Recorded before any page script runs; the page's CSP does not apply to injected scripts.
_RECORD_CSP = """
window.__csp = [];
document.addEventListener("securitypolicyviolation", function (e) {
  window.__csp.push(e.violatedDirective + " " + e.blockedURI);
});
"""


def _wait_healthy(url: str, process: subprocess.Popen[bytes], log: Path) -> None:
    deadline = time.monotonic() + START_TIMEOUT
    while time.monotonic() < deadline:
        if process.poll() is not None:
            pytest.fail(
                f"opsctl serve exited with {process.returncode}:\n{log.read_text()[-2000:]}"
            )
        try:
            with urllib.request.urlopen(url + "/readyz", timeout=2) as response:
                if response.status == 200:
                    return
        except (urllib.error.URLError, OSError):
            pass
        time.sleep(0.2)
    pytest.fail(f"opsctl serve not ready after {START_TIMEOUT:.0f}s:\n{log.read_text()[-2000:]}")


@pytest.fixture(scope="session")
def live_server(data_dir: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """`opsctl serve` on a fresh SQLite file: it upgrades, loads kenya-2022 and execs gunicorn."""
    workdir = tmp_path_factory.mktemp("browser-app")
    port = free_port()
    env = {
        **os.environ,
        "DATABASE_URL": f"sqlite:///{workdir / 'app.sqlite3'}",
        "MYCANDIDATE_DATA_DIR": str(data_dir),
        "MYCANDIDATE_CACHE_DIR": str(workdir / "cache"),
        "SECRET_KEY": "browser-test-key",
        "NO_COLOR": "1",
    }
    env.pop("REDIS_URL", None)
    log = workdir / "serve.log"
    with log.open("wb") as sink:
        process = subprocess.Popen(
            [sys.executable, "-m", "opsctl", "serve", "--prepare", "--port", str(port), *WORKERS],
            env=env,
            stdout=sink,
            stderr=subprocess.STDOUT,
        )
    url = f"http://127.0.0.1:{port}"
    try:
        _wait_healthy(url, process, log)
        yield url
    finally:
        # serve execs gunicorn, so this pid is gunicorn's master: TERM stops it gracefully.
        process.send_signal(signal.SIGTERM)
        try:
            process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


@pytest.fixture(scope="session")
def chromium() -> Iterator[Any]:
    require(CHROMIUM.exists(), f"{CHROMIUM} (apt-get install chromium)")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        yield browser
        browser.close()


@dataclass
class Tab:
    """A page plus what went wrong on it: console errors, failed loads, CSP violations."""

    page: Any
    javascript: bool
    console_errors: list[str] = field(default_factory=list)

    def problems(self) -> list[str]:
        # Without JavaScript the recorder cannot run; the console still reports CSP blocks.
        csp = self.page.evaluate("window.__csp || []") if self.javascript else []
        return self.console_errors + [f"CSP: {v}" for v in csp]


def _open_tab(browser: Any, base_url: str, javascript: bool) -> Tab:
    context = browser.new_context(
        base_url=base_url, java_script_enabled=javascript, viewport={"width": 1100, "height": 900}
    )
    context.set_default_timeout(10_000)
    page = context.new_page()
    tab = Tab(page, javascript)
    page.add_init_script(_RECORD_CSP)
    page.on("console", lambda m: tab.console_errors.append(m.text) if m.type == "error" else None)
    page.on("pageerror", lambda e: tab.console_errors.append(f"uncaught: {e}"))
    page.on(
        "response",
        lambda r: (
            tab.console_errors.append(f"HTTP {r.status} {r.url}") if r.status >= 400 else None
        ),
    )
    return tab


@pytest.fixture
def tab(chromium: Any, live_server: str) -> Iterator[Tab]:
    opened = _open_tab(chromium, live_server, javascript=True)
    yield opened
    opened.page.context.close()


@pytest.fixture
def tab_without_js(chromium: Any, live_server: str) -> Iterator[Tab]:
    opened = _open_tab(chromium, live_server, javascript=False)
    yield opened
    opened.page.context.close()


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Every test under tests/browser/ is marked `browser` (the suites are folders)."""
    mark_folder(items, Path(__file__).parent, pytest.mark.browser)
