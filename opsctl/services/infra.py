"""Terraform under infra/: validate every root offline, read one root's outputs."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any

from opsctl.core.terraform import ValidateReport, env_root
from opsctl.errors import EXIT_USAGE, OpsError
from opsctl.settings import current

if TYPE_CHECKING:
    from opsctl.adapters.terraform import Terraform


def _terraform(plugin_mirror: Path | None) -> Terraform:
    from opsctl.adapters.terraform import Terraform

    return Terraform.create(plugin_mirror or current().tf_plugin_mirror)


def validate(path: Path, plugin_mirror: Path | None) -> ValidateReport:
    """`fmt -check`, then init (mirror only, no backend) and validate, then `terraform test`."""
    from opsctl.adapters.terraform import validate_all

    return validate_all(_terraform(plugin_mirror), path / "infra")


def read_outputs(
    path: Path, env: str | None, root: Path | None, plugin_mirror: Path | None
) -> dict[str, Any]:
    """`terraform output -json` of infra/envs/<env> (or any `root`), after a real init."""
    if (env is None) == (root is None):
        raise OpsError("give exactly one of --env and --root", exit_code=EXIT_USAGE)
    if root is None:
        try:
            root = path / "infra" / env_root(str(env))
        except ValueError as exc:
            raise OpsError(str(exc), exit_code=EXIT_USAGE) from exc
    if not root.is_dir():
        raise OpsError(f"no infra root at {root}", exit_code=EXIT_USAGE)
    terraform = _terraform(plugin_mirror)
    terraform.init(root, backend=True)
    return dict(terraform.output(root))
