"""Compose follows contract C3: the app only serves; a one-shot `migrate` upgrades and loads."""

from __future__ import annotations

import json

from tests.support.compose import SECRETS, compose_config


def test_app_only_serves_and_migrate_upgrades_then_loads(tmp_path):
    done = compose_config(SECRETS, tmp_path)
    assert done.returncode == 0, done.stderr
    services = json.loads(done.stdout)["services"]
    assert services["app"]["command"] == ["opsctl", "serve", "--host", "0.0.0.0"]
    script = services["migrate"]["command"]
    assert script[:2] == ["sh", "-c"]
    upgrade, load = script[2].split(" && ")
    assert upgrade == "opsctl db upgrade"
    assert load.startswith("exec opsctl data load ")
    assert services["migrate"]["restart"] == "no"
    assert services["app"]["depends_on"]["migrate"]["condition"] == (
        "service_completed_successfully"
    )
