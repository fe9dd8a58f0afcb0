"""infra/examples/emulator applied to a moto server, from a scratch copy of infra/."""

from __future__ import annotations

import shutil
from pathlib import Path
from typing import Any

from opsctl.adapters import terraform as adapter
from opsctl.errors import PrerequisiteError
from tests.conftest import require

ROOT = Path(__file__).resolve().parents[2]


def apply_example(
    work: Path, endpoint_url: str, env: dict[str, str]
) -> tuple[Path, dict[str, Any]]:
    """Apply the emulator example (local state, in `work`); return the root and its outputs.
    About three minutes, mostly the provider waiting on RDS and the ALB."""
    try:
        terraform = adapter.Terraform.create(cache_dir=work / "cache")
    except PrerequisiteError as exc:
        require(False, exc.message)
    shutil.copytree(ROOT / "infra", work / "infra", ignore=shutil.ignore_patterns(".terraform"))
    root = work / "infra" / "examples" / "emulator"
    env = {**env, "NO_PROXY": "127.0.0.1,localhost"}
    terraform.init(root, backend=True, env=env)
    terraform.run(
        root,
        "apply",
        "-auto-approve",
        "-input=false",
        "-no-color",
        "-parallelism=20",
        f"-var=endpoint_url={endpoint_url}",
        timeout=900,
        env=env,
    )
    return root, terraform.output(root, env=env)
