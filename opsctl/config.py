"""Deployment environments: `opsctl.toml`, filled from what Terraform published for them.

An environment names where its published `deploy` object lives: `parameter` (the SSM
parameter Terraform writes, which is all the deploy role may read) or `terraform` (an infra
root whose `deploy` output is read through opsctl's one Terraform runner, for an engineer
with state access). Keys set in the file win over published ones.
"""

from __future__ import annotations

import json
import os
import tomllib
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import Any

from opsctl.core.environment import SETTING_KEYS, DeployEnv, build_env
from opsctl.errors import OpsError, PrerequisiteError

CONFIG_NAME = "opsctl.toml"

# (region, parameter name) -> the published object; (root) -> the root's `deploy` output.
ReadParameter = Callable[[str, str], Mapping[str, Any]]
ReadTerraform = Callable[[Path], Mapping[str, Any]]


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
    name: str,
    path: Path | None = None,
    read_parameter: ReadParameter | None = None,
    read_terraform: ReadTerraform | None = None,
) -> DeployEnv:
    """The environment `name`, with its published values read from where the file says."""
    path = path or find_config()
    try:
        document = tomllib.loads(path.read_text())
    except (OSError, tomllib.TOMLDecodeError) as exc:
        raise PrerequisiteError(f"cannot read {path}: {exc}") from exc
    envs = document.get("environments", {})
    if name not in envs:
        known = ", ".join(sorted(envs)) or "none"
        raise OpsError(f"no environment {name!r} in {path} (known: {known})", exit_code=2)
    raw = dict(envs[name])
    parameter, root = raw.pop("parameter", None), raw.pop("terraform", None)
    unknown = sorted(set(raw) - SETTING_KEYS)
    if unknown:
        raise OpsError(f"unknown key(s) in [environments.{name}] of {path}: {', '.join(unknown)}")
    values: dict[str, Any] = {}
    if parameter:
        if not raw.get("region"):
            raise PrerequisiteError(
                f"[environments.{name}] in {path} names a parameter but no region to read it in"
            )
        values.update((read_parameter or parameter_values)(raw["region"], parameter))
    elif root:
        values.update((read_terraform or terraform_values)((path.parent / root).resolve()))
    values.update(raw)
    return build_env(name, values, str(path))


def parameter_values(region: str, name: str) -> Mapping[str, Any]:
    """The JSON object in an SSM parameter (what Terraform's stack module publishes)."""
    from opsctl.adapters.aws import Aws

    text = Aws(region).get_parameter(name)
    return _object(text, f"SSM parameter {name}")


def terraform_values(root: Path) -> Mapping[str, Any]:
    """The `deploy` output of an initialised infra root."""
    from opsctl.adapters.terraform import Terraform

    if not root.is_dir():
        raise PrerequisiteError(f"infra root {root} does not exist")
    outputs = Terraform.create().output(root)
    if "deploy" not in outputs:
        raise PrerequisiteError(
            f"infra root {root} has no `deploy` output yet", hint="apply it first"
        )
    deploy = outputs["deploy"]
    return _object(deploy if isinstance(deploy, str) else json.dumps(deploy), f"{root} output")


def _object(text: str, where: str) -> Mapping[str, Any]:
    try:
        value = json.loads(text)
    except ValueError as exc:
        raise PrerequisiteError(f"{where} is not JSON: {exc}") from exc
    if not isinstance(value, dict):
        raise PrerequisiteError(f"{where} is not a JSON object")
    return value
