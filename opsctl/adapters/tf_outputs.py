"""`terraform output -json` of an infra root, through the one program runner."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from opsctl.adapters.tools import run
from opsctl.errors import PrerequisiteError


def outputs(root: Path) -> dict[str, Any]:
    """Output name -> value; fails clearly when the root has no state yet."""
    if not root.is_dir():
        raise PrerequisiteError(f"infra root {root} does not exist")
    done = run(["terraform", f"-chdir={root}", "output", "-json", "-no-color"], timeout=120)
    if done.returncode != 0:
        errors = [line for line in done.stderr.splitlines() if line.startswith("Error: ")]
        reason = errors[0].removeprefix("Error: ") if errors else "terraform failed"
        raise PrerequisiteError(
            f"terraform output failed in {root}: {reason}",
            hint="run `terraform init` there (and apply), or set the values in opsctl.toml",
        )
    try:
        raw = json.loads(done.stdout or "{}")
    except ValueError as exc:
        raise PrerequisiteError(f"terraform output in {root} is not JSON: {exc}") from exc
    if not raw:
        raise PrerequisiteError(
            f"infra root {root} has no outputs yet", hint="apply it first: terraform apply"
        )
    return {name: item["value"] for name, item in raw.items()}
