"""opsctl.toml environments over the `deploy` object Terraform publishes (SSM or an infra root)."""

from pathlib import Path

import pytest

from opsctl.core.environment import REQUIRED_KEYS
from opsctl.errors import OpsError, PrerequisiteError
from opsctl.settings import OpsSettings, load_env
from tests.support.paths import REPO

ROOT = REPO
PUBLISHED = {
    "region": "af-south-1",
    "account_id": "123456789012",
    "cluster_name": "mycandidate-staging",
    "service_name": "mycandidate-staging",
    "task_family": "mycandidate-staging",
    "task_definition_arn": "arn:aws:ecs:af-south-1:1:task-definition/mycandidate-staging:1",
    "migrate_task_definition_arn": None,
    "container_name": "app",
    "container_port": 8000,
    "codedeploy_app_name": "mycandidate-staging",
    "codedeploy_group_name": "mycandidate-staging",
    "blue_target_group_name": "mycandidate-staging-blue",
    "green_target_group_name": "mycandidate-staging-green",
    "prod_listener_arn": "arn:listener/prod",
    "test_listener_arn": "arn:listener/test",
    "test_listener_url": "http://alb:8443",
    "alb_dns_name": "alb",
    "ecr_repository_url": "1.dkr.ecr.af-south-1.amazonaws.com/mycandidate",
    "log_group_name": "/ecs/mycandidate-staging",
    "private_subnet_ids": ["subnet-a", "subnet-b"],
    "app_security_group_id": "sg-1",
    "min_capacity": 2,
    "max_capacity": 4,
    "some_future_key": "ignored",
}


def test_values_come_from_the_parameter_and_the_file_wins(tmp_path):
    config = tmp_path / "opsctl.toml"
    config.write_text(
        '[environments.staging]\nparameter = "/mycandidate/staging/deploy"\n'
        'region = "af-south-1"\nstrategy = "linear"\ncontainer_port = 9000\nsmoke_test = false\n'
    )
    asked = []

    def read(region, name):
        asked.append((region, name))
        return PUBLISHED

    env = load_env("staging", config, read_parameter=read)
    assert asked == [("af-south-1", "/mycandidate/staging/deploy")]
    assert env.cluster_name == "mycandidate-staging" and env.container_port == 9000
    assert env.private_subnet_ids == ("subnet-a", "subnet-b")
    assert env.strategy == "linear" and env.smoke_test is False
    assert env.repository_name == "mycandidate"
    assert env.min_capacity == 2 and env.migrate_task_definition_arn is None
    assert env.network["awsvpcConfiguration"]["securityGroups"] == ["sg-1"]


def test_values_can_come_from_an_infra_root(tmp_path):
    config = tmp_path / "opsctl.toml"
    config.write_text('[environments.staging]\nterraform = "infra/envs/staging"\n')
    roots = []
    env = load_env("staging", config, read_terraform=lambda root: roots.append(root) or PUBLISHED)
    assert roots == [(tmp_path / "infra/envs/staging").resolve()]
    assert env.task_definition_arn == PUBLISHED["task_definition_arn"]


def test_every_missing_key_is_reported_at_once(tmp_path):
    config = tmp_path / "opsctl.toml"
    config.write_text('[environments.prod]\nregion = "af-south-1"\n')
    with pytest.raises(PrerequisiteError) as caught:
        load_env("prod", config)
    for key in REQUIRED_KEYS[1:]:
        assert key in caught.value.message


def test_a_parameter_needs_a_region(tmp_path):
    config = tmp_path / "opsctl.toml"
    config.write_text('[environments.prod]\nparameter = "/mycandidate/prod/deploy"\n')
    with pytest.raises(PrerequisiteError, match="no region"):
        load_env("prod", config, read_parameter=lambda region, name: PUBLISHED)


def test_unknown_environment_and_typos(tmp_path):
    config = tmp_path / "opsctl.toml"
    config.write_text('[environments.staging]\nstrategey = "canary"\n')
    with pytest.raises(OpsError, match=r"no environment 'qa' .* \(known: staging\)"):
        load_env("qa", config)
    with pytest.raises(OpsError, match=r"unknown key.*strategey"):
        load_env("staging", config)


def test_the_repository_config_reads_what_each_root_publishes():
    import tomllib

    envs = tomllib.loads((ROOT / "opsctl.toml").read_text())["environments"]
    assert {name: (env["parameter"], env["region"]) for name, env in envs.items()} == {
        "staging": ("/mycandidate/staging/deploy", "af-south-1"),
        "prod": ("/mycandidate/prod/deploy", "af-south-1"),
    }


def test_option_defaults_come_from_the_variables() -> None:
    settings = OpsSettings.from_env(
        {
            "OPSCTL_CONFIG": "/etc/opsctl.toml",
            "PIP_CERT": "/etc/ca.pem",
            "PORT": "9000",
            "WEB_CONCURRENCY": "3",
            "NO_COLOR": "1",
        }
    )
    assert settings.config == Path("/etc/opsctl.toml")
    assert settings.build_ca_bundle == Path("/etc/ca.pem")
    assert (settings.port, settings.workers, settings.compose_port) == (9000, 3, 8000)
    assert settings.no_color and settings.base_image is None


def test_the_build_ca_variable_wins_over_pip_cert() -> None:
    settings = OpsSettings.from_env({"OPSCTL_BUILD_CA_BUNDLE": "/a.pem", "PIP_CERT": "/b.pem"})
    assert settings.build_ca_bundle == Path("/a.pem")


def test_every_bad_number_is_reported_at_once() -> None:
    with pytest.raises(OpsError) as caught:
        OpsSettings.from_env({"PORT": "eighty", "WEB_CONCURRENCY": "-1"})
    assert "PORT='eighty'" in caught.value.message
    assert "WEB_CONCURRENCY='-1'" in caught.value.message
    assert caught.value.exit_code == 2


@pytest.mark.parametrize(("value", "expected"), [("1", True), ("", False), ("0", False)])
def test_one_variable_switches_the_offline_images_on(value: str, expected: bool) -> None:
    assert OpsSettings.from_env({"OPSCTL_LOCAL_IMAGES": value}).local_images is expected
