"""Environments read from a real `terraform output -json` (a provider-free root, local state)."""

from __future__ import annotations

import json
import shutil
import subprocess

import pytest

from opsctl.config import load_env
from opsctl.errors import PrerequisiteError
from tests.conftest import require
from tests.unit.test_deploy_config import OUTPUTS

pytestmark = [pytest.mark.integration, pytest.mark.timeout(300)]


def terraform(root, *args):
    done = subprocess.run(
        ["terraform", f"-chdir={root}", *args, "-no-color"],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    return done


def test_outputs_of_an_applied_root_fill_the_environment(tmp_path):
    require(shutil.which("terraform"), "terraform on PATH")
    root = tmp_path / "infra" / "envs" / "staging"
    root.mkdir(parents=True)
    (root / "outputs.tf").write_text(
        "\n".join(f'output "{k}" {{\n  value = {json.dumps(v)}\n}}' for k, v in OUTPUTS.items())
    )
    config = tmp_path / "opsctl.toml"
    config.write_text('[environments.staging]\nterraform = "infra/envs/staging"\n')

    with pytest.raises(PrerequisiteError, match=r"infra/envs/staging has no outputs yet"):
        load_env("staging", config)

    terraform(root, "init", "-input=false")
    terraform(root, "apply", "-auto-approve", "-input=false")
    env = load_env("staging", config)
    assert env.service_name == OUTPUTS["service_name"]
    assert env.container_port == 8000
    assert env.private_subnet_ids == tuple(OUTPUTS["private_subnet_ids"])
    assert env.test_listener_url == OUTPUTS["test_listener_url"]


def test_an_uninitialised_root_says_what_to_run(tmp_path):
    require(shutil.which("terraform"), "terraform on PATH")
    root = tmp_path / "infra" / "envs" / "prod"
    root.mkdir(parents=True)
    (root / "backend.tf").write_text('terraform {\n  backend "s3" {}\n}\n')
    config = tmp_path / "opsctl.toml"
    config.write_text('[environments.prod]\nterraform = "infra/envs/prod"\n')
    with pytest.raises(PrerequisiteError) as caught:
        load_env("prod", config)
    assert caught.value.message == (
        f'terraform output failed in {root}: Backend initialization required, please run "terraform init"'
    )
    assert caught.value.exit_code == 3
