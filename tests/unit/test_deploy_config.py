"""opsctl.toml environments, alone or over an infra root's outputs."""

from pathlib import Path

import pytest

from opsctl.config import REQUIRED, load_env
from opsctl.errors import OpsError, PrerequisiteError

ROOT = Path(__file__).resolve().parents[2]
OUTPUTS = {
    "region": "af-south-1",
    "cluster_name": "mycandidate-staging",
    "service_name": "mycandidate-staging",
    "task_family": "mycandidate-staging",
    "container_name": "app",
    "container_port": 8000,
    "codedeploy_app_name": "mycandidate-staging",
    "codedeploy_group_name": "mycandidate-staging",
    "blue_target_group_name": "mycandidate-staging-blue",
    "green_target_group_name": "mycandidate-staging-green",
    "prod_listener_arn": "arn:listener/prod",
    "test_listener_arn": "arn:listener/test",
    "test_listener_url": "http://alb:8080",
    "alb_dns_name": "alb",
    "ecr_repository_url": "1.dkr.ecr.af-south-1.amazonaws.com/mycandidate",
    "log_group_name": "/ecs/mycandidate-staging",
    "private_subnet_ids": ["subnet-a", "subnet-b"],
    "app_security_group_id": "sg-1",
}


def test_values_come_from_terraform_and_the_file_wins(tmp_path):
    config = tmp_path / "opsctl.toml"
    config.write_text(
        '[environments.staging]\nterraform = "infra/envs/staging"\nstrategy = "linear"\n'
        'container_port = 9000\n[environments.staging.environment]\nFEATURE = "on"\n'
    )
    roots = []

    def outputs(root):
        roots.append(root)
        return OUTPUTS

    env = load_env("staging", config, outputs)
    assert roots == [(tmp_path / "infra/envs/staging").resolve()]
    assert env.cluster_name == "mycandidate-staging" and env.container_port == 9000
    assert env.private_subnet_ids == ("subnet-a", "subnet-b")
    assert env.strategy == "linear" and env.environment == {"FEATURE": "on"}
    assert env.repository_name == "mycandidate"
    assert env.test_listener_url == "http://alb:8080"


def test_every_missing_key_is_reported_at_once(tmp_path):
    config = tmp_path / "opsctl.toml"
    config.write_text('[environments.prod]\nregion = "af-south-1"\n')
    with pytest.raises(PrerequisiteError) as caught:
        load_env("prod", config)
    for key in REQUIRED[1:]:
        assert key in caught.value.message


def test_unknown_environment_and_typos(tmp_path):
    config = tmp_path / "opsctl.toml"
    config.write_text('[environments.staging]\nstrategey = "canary"\n')
    with pytest.raises(OpsError, match=r"no environment 'qa' .* \(known: staging\)"):
        load_env("qa", config)
    with pytest.raises(OpsError, match=r"unknown key.*strategey"):
        load_env("staging", config)


def test_the_repository_config_names_both_infra_roots():
    import tomllib

    envs = tomllib.loads((ROOT / "opsctl.toml").read_text())["environments"]
    assert {name: env["terraform"] for name, env in envs.items()} == {
        "staging": "infra/envs/staging",
        "prod": "infra/envs/prod",
    }
    for env in envs.values():
        assert (ROOT / env["terraform"] / "outputs.tf").is_file()


def test_infra_roots_declare_every_output_opsctl_reads():
    import re

    for root in ("staging", "prod"):
        text = (ROOT / "infra" / "envs" / root / "outputs.tf").read_text()
        declared = set(re.findall(r'^output "([a-z_]+)"', text, re.M))
        assert set(REQUIRED) <= declared, root
