"""opsctl's settings: the only module that reads the environment and `opsctl.toml`.

`current()` is what the variables say now (read on each call, so a test's
`monkeypatch.setenv` is seen). `load_env(name)` is one deployment environment from
`opsctl.toml`, filled from what Terraform published for it: `parameter` (the SSM
parameter Terraform writes, which is all the deploy role may read) or `terraform` (an
infra root whose `deploy` output is read through opsctl's one Terraform runner, for an
engineer with state access). Keys set in the file win over published ones.
`app_settings()` is the app's own settings object, as the CLI sees it.
"""

from __future__ import annotations

import json
import os
import tomllib
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING, Any

from opsctl.core.environment import SETTING_KEYS, DeployEnv, build_env
from opsctl.errors import EXIT_USAGE, OpsError, PrerequisiteError

if TYPE_CHECKING:
    from mycandidate.settings import Settings


@cache
def repo_root() -> Path:
    """The checkout opsctl runs from: the folder holding the opsctl package."""
    return Path(__file__).resolve().parents[1]


@dataclass(frozen=True)
class OpsSettings:
    """Defaults for opsctl's options, from `OPSCTL_*` and the conventional variables."""

    config: Path | None = None  # OPSCTL_CONFIG: this opsctl.toml instead of the nearest
    base_image: str | None = None  # OPSCTL_BASE_IMAGE: the Python base to build on
    build_ca_bundle: Path | None = None  # OPSCTL_BUILD_CA_BUNDLE, else PIP_CERT
    tf_plugin_mirror: Path | None = None  # OPSCTL_TF_PLUGIN_MIRROR
    app_image: str | None = None  # MYCANDIDATE_IMAGE: what `opsctl up` runs
    data_dir: Path | None = None  # MYCANDIDATE_DATA_DIR: the datasets `opsctl up` mounts
    compose_port: int = 8000  # MYCANDIDATE_PORT: where `opsctl up` publishes the app
    port: int = 8000  # PORT: where `opsctl serve` listens
    workers: int | None = None  # WEB_CONCURRENCY
    dataset: str | None = None  # MYCANDIDATE_DATASET: what `opsctl serve` serves
    local_images: bool = False  # OPSCTL_LOCAL_IMAGES: no Docker Hub, no Docker service here
    docker_host: str | None = None  # DOCKER_HOST
    no_color: bool = False  # NO_COLOR

    @classmethod
    def from_env(cls, environ: Mapping[str, str] | None = None) -> OpsSettings:
        env = os.environ if environ is None else environ
        errors: list[str] = []

        def path(*names: str) -> Path | None:
            value = next((env[n] for n in names if env.get(n)), None)
            return Path(value) if value else None

        def number(name: str, default: int | None) -> Any:
            value = env.get(name)
            if not value:
                return default
            if not value.isdigit():
                errors.append(f"{name}={value!r} is not a whole number")
                return default
            return int(value)

        settings = cls(
            config=path("OPSCTL_CONFIG"),
            base_image=env.get("OPSCTL_BASE_IMAGE") or None,
            build_ca_bundle=path("OPSCTL_BUILD_CA_BUNDLE", "PIP_CERT"),
            tf_plugin_mirror=path("OPSCTL_TF_PLUGIN_MIRROR"),
            app_image=env.get("MYCANDIDATE_IMAGE") or None,
            data_dir=path("MYCANDIDATE_DATA_DIR"),
            compose_port=number("MYCANDIDATE_PORT", 8000),
            port=number("PORT", 8000),
            workers=number("WEB_CONCURRENCY", None),
            dataset=env.get("MYCANDIDATE_DATASET") or None,
            local_images=env.get("OPSCTL_LOCAL_IMAGES", "") not in ("", "0"),
            docker_host=env.get("DOCKER_HOST") or None,
            no_color=bool(env.get("NO_COLOR")),
        )
        if errors:
            raise OpsError("; ".join(errors), exit_code=EXIT_USAGE)
        return settings


def current() -> OpsSettings:
    return OpsSettings.from_env()


def app_settings() -> Settings:
    """The app's settings (DATABASE_URL and the rest); a missing one is a prerequisite."""
    from mycandidate.settings import ConfigError, Settings

    try:
        return Settings.from_env()
    except ConfigError as exc:
        raise PrerequisiteError(str(exc)) from exc


CONFIG_NAME = "opsctl.toml"

# (region, parameter name) -> the published object; (root) -> the root's `deploy` output.
ReadParameter = Callable[[str, str], Mapping[str, Any]]
ReadTerraform = Callable[[Path], Mapping[str, Any]]


def find_config(start: Path | None = None) -> Path:
    """`OPSCTL_CONFIG`, else the nearest opsctl.toml at or above the working directory."""
    explicit = current().config
    if explicit:
        return explicit
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
        raise OpsError(f"no environment {name!r} in {path} (known: {known})", exit_code=EXIT_USAGE)
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
    outputs = Terraform.create(current().tf_plugin_mirror).output(root)
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
