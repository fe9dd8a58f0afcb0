"""A deployment environment as a pure value, and the one contract Terraform publishes for it.

Terraform's stack module outputs one object, `deploy`, and writes it to an SSM parameter;
`DEPLOY_CONTRACT` names its keys once. `build_env` turns those values (plus opsctl.toml's
settings) into a `DeployEnv`, reporting every missing key at once. No I/O here: reading
the file, the parameter or `terraform output` is opsctl.settings' job.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field, fields
from typing import Any

from opsctl.errors import PrerequisiteError

# Key -> required. Optional keys are informational or only used when present.
DEPLOY_CONTRACT: dict[str, bool] = {
    "region": True,
    "account_id": False,
    "cluster_name": True,
    "service_name": True,
    "task_family": True,
    "task_definition_arn": False,  # the Terraform-managed revision releases start from
    "migrate_task_definition_arn": False,  # the migration family (admin database role)
    "container_name": True,
    "container_port": True,
    "codedeploy_app_name": True,
    "codedeploy_group_name": True,
    "blue_target_group_name": True,
    "green_target_group_name": True,
    "prod_listener_arn": False,
    "test_listener_arn": False,
    "test_listener_url": False,
    "alb_dns_name": False,
    "ecr_repository_url": True,
    "log_group_name": True,
    "private_subnet_ids": True,
    "app_security_group_id": True,
    "min_capacity": False,  # the autoscaling floor a first release raises the service to
    "max_capacity": False,
}
REQUIRED_KEYS = tuple(k for k, required in DEPLOY_CONTRACT.items() if required)

# Settings only opsctl.toml gives (the rest of DeployEnv comes from the contract).
_FLOATS = ("deploy_timeout", "task_timeout", "start_timeout", "poll_interval", "smoke_timeout")
_INTS = ("container_port", "min_capacity", "max_capacity")


@dataclass(frozen=True)
class DeployEnv:
    name: str
    region: str
    cluster_name: str
    service_name: str
    task_family: str
    container_name: str
    container_port: int
    codedeploy_app_name: str
    codedeploy_group_name: str
    blue_target_group_name: str
    green_target_group_name: str
    ecr_repository_url: str
    log_group_name: str
    private_subnet_ids: tuple[str, ...]
    app_security_group_id: str
    account_id: str | None = None
    task_definition_arn: str | None = None
    migrate_task_definition_arn: str | None = None
    prod_listener_arn: str | None = None
    test_listener_arn: str | None = None
    test_listener_url: str | None = None
    alb_dns_name: str | None = None
    min_capacity: int | None = None
    max_capacity: int | None = None
    strategy: str = "canary"
    smoke_test: bool = True
    smoke_timeout: float = 300.0  # seconds the in-VPC smoke check may retry for
    deploy_timeout: float = 1800.0  # seconds to wait for a deployment
    task_timeout: float = 3600.0  # seconds a one-off task may run
    start_timeout: float = 300.0  # seconds a one-off task may take to start
    poll_interval: float = 10.0
    hooks: Mapping[str, str] = field(default_factory=dict)  # AppSpec event -> Lambda function

    @property
    def repository_name(self) -> str:
        return self.ecr_repository_url.split("/", 1)[1]

    @property
    def target_groups(self) -> tuple[str, str]:
        return self.blue_target_group_name, self.green_target_group_name

    @property
    def network(self) -> dict[str, Any]:
        """awsvpcConfiguration for one-off tasks, as RunTask takes it."""
        return {
            "awsvpcConfiguration": {
                "subnets": list(self.private_subnet_ids),
                "securityGroups": [self.app_security_group_id],
                "assignPublicIp": "DISABLED",
            }
        }


SETTING_KEYS = frozenset(f.name for f in fields(DeployEnv)) - {"name"}


def build_env(name: str, values: Mapping[str, Any], source: str) -> DeployEnv:
    """A DeployEnv from published and configured values; unknown published keys are dropped."""
    missing = [k for k in REQUIRED_KEYS if values.get(k) in (None, "", [])]
    if missing:
        raise PrerequisiteError(
            f"environment {name!r} lacks {', '.join(missing)}",
            hint=f"apply its infra root, or set them under [environments.{name}] in {source}",
        )
    known = {k: v for k, v in values.items() if k in SETTING_KEYS and v is not None}
    subnets = known["private_subnet_ids"]
    known["private_subnet_ids"] = tuple([subnets] if isinstance(subnets, str) else subnets)
    for key in _INTS:
        if key in known:
            known[key] = int(known[key])
    for key in _FLOATS:
        if key in known:
            known[key] = float(known[key])
    if "hooks" in known:
        known["hooks"] = dict(known["hooks"])
    return DeployEnv(name=name, **known)
