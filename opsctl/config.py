"""Deployment environments: `opsctl.toml`, optionally filled from an infra root's outputs.

Keys are the infra roots' output names (`cluster_name`, `service_name`, ...), so a value
set in the file and a value read from `terraform output -json` mean the same thing; the
file wins when both are present. Every missing key is reported at once.
"""

from __future__ import annotations

import os
import tomllib
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field, fields
from pathlib import Path
from typing import Any

from opsctl.core.terraform import OUTPUT_CONTRACT
from opsctl.errors import OpsError, PrerequisiteError

CONFIG_NAME = "opsctl.toml"

# Infra outputs a deploy cannot do without; the rest of the contract (ALB DNS name,
# listener ARNs, the test listener's URL) is informational or optional.
OPTIONAL_OUTPUTS = ("prod_listener_arn", "test_listener_arn", "test_listener_url", "alb_dns_name")
REQUIRED = tuple(name for name in OUTPUT_CONTRACT if name not in OPTIONAL_OUTPUTS)


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
    test_listener_url: str | None = None
    alb_dns_name: str | None = None
    controller: str = "codedeploy"  # or "ecs": ECS's built-in blue/green
    strategy: str = "canary"
    smoke_test: bool = True
    deploy_timeout: float = 1800.0  # seconds to wait for a deployment
    task_timeout: float = 3600.0  # seconds a one-off task may run
    start_timeout: float = 300.0  # seconds a one-off task may take to start
    poll_interval: float = 10.0
    environment: Mapping[str, str] = field(default_factory=dict)
    secrets: Mapping[str, str] = field(default_factory=dict)  # name -> SSM/Secrets Manager ARN
    hooks: Mapping[str, str] = field(default_factory=dict)  # AppSpec event -> Lambda function

    @property
    def repository_name(self) -> str:
        return self.ecr_repository_url.split("/", 1)[1]

    @property
    def target_groups(self) -> tuple[str, str]:
        return self.blue_target_group_name, self.green_target_group_name


TerraformOutputs = Callable[[Path], Mapping[str, Any]]


def find_config(start: Path | None = None) -> Path:
    """`OPSCTL_CONFIG`, else the nearest opsctl.toml at or above the working directory."""
    explicit = os.environ.get("OPSCTL_CONFIG")
    if explicit:
        return Path(explicit)
    here = (start or Path.cwd()).resolve()
    for folder in (here, *here.parents):
        if (folder / CONFIG_NAME).is_file():
            return folder / CONFIG_NAME
    raise PrerequisiteError(
        f"no {CONFIG_NAME} here or in any parent folder",
        hint="run opsctl from the repository, or set OPSCTL_CONFIG",
    )


def load_env(
    name: str, path: Path | None = None, terraform_outputs: TerraformOutputs | None = None
) -> DeployEnv:
    """The environment `name`; `terraform_outputs(root)` is called when the file names a root."""
    path = path or find_config()
    try:
        document = tomllib.loads(path.read_text())
    except (OSError, tomllib.TOMLDecodeError) as exc:
        raise PrerequisiteError(f"cannot read {path}: {exc}") from exc
    envs = document.get("environments", {})
    if name not in envs:
        known = ", ".join(sorted(envs)) or "none"
        raise OpsError(f"no environment {name!r} in {path} (known: {known})", exit_code=2)
    values: dict[str, Any] = {}
    raw = dict(envs[name])
    root = raw.pop("terraform", None)
    unknown = sorted(set(raw) - {f.name for f in fields(DeployEnv)})
    if unknown:
        raise OpsError(f"unknown key(s) in [environments.{name}] of {path}: {', '.join(unknown)}")
    if root:
        if terraform_outputs is None:
            from opsctl.adapters.tf_outputs import outputs

            terraform_outputs = outputs
        values.update(terraform_outputs((path.parent / root).resolve()))
    values.update(raw)
    return _build(name, values, path)


def _build(name: str, values: dict[str, Any], source: Path) -> DeployEnv:
    missing = [k for k in REQUIRED if values.get(k) in (None, "", [])]
    if missing:
        raise PrerequisiteError(
            f"environment {name!r} lacks {', '.join(missing)}",
            hint=f"set them under [environments.{name}] in {source}, or apply its infra root",
        )
    # Infra outputs opsctl does not use (listener ARNs...) are dropped here.
    known = {f.name for f in fields(DeployEnv)} - {"name"}
    values = {k: v for k, v in values.items() if k in known}
    subnets = values["private_subnet_ids"]
    values["private_subnet_ids"] = tuple([subnets] if isinstance(subnets, str) else subnets)
    values["container_port"] = int(values["container_port"])
    for key in ("deploy_timeout", "task_timeout", "start_timeout", "poll_interval"):
        if key in values:
            values[key] = float(values[key])
    return DeployEnv(name=name, **values)
