"""Terraform facts without running Terraform: roots, CLI config, parsed validate/fmt output.

Pure: text and paths in, values out. The runner is in adapters/terraform.py.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import PurePosixPath

from opsctl.core.environment import DEPLOY_CONTRACT

# The keys of the `deploy` object every env root outputs (and publishes in SSM).
OUTPUT_CONTRACT = tuple(DEPLOY_CONTRACT)

# Where provider mirrors usually live, first match wins (OPSCTL_TF_PLUGIN_MIRROR beats all).
KNOWN_MIRRORS = (
    "/opt/tf-plugins",
    "~/.terraform.d/plugins",
    "~/.local/share/terraform/plugins",
    "/usr/local/share/terraform/plugins",
    "/usr/share/terraform/plugins",
)
# A mirror is only useful if it holds the provider every root needs.
REQUIRED_PROVIDER = PurePosixPath("registry.terraform.io/hashicorp/aws")


def cli_config(mirror: str) -> str:
    """A Terraform CLI configuration that installs providers only from `mirror`.

    With no `direct {}` block Terraform has nowhere else to look, so init can
    never download anything.
    """
    return (
        "provider_installation {\n"
        "  filesystem_mirror {\n"
        f"    path    = {json.dumps(mirror)}\n"
        '    include = ["registry.terraform.io/*/*"]\n'
        "  }\n"
        "}\n"
    )


def find_roots(tf_files: Iterable[str]) -> list[str]:
    """Root module folders among `infra/`-relative .tf paths: every folder outside modules/."""
    roots = set()
    for name in tf_files:
        path = PurePosixPath(name)
        if ".terraform" in path.parts or (path.parts and path.parts[0] == "modules"):
            continue
        if path.suffix == ".tf" and not path.name.endswith("_override.tf"):
            roots.add(str(path.parent))
    return sorted(roots)


def find_tested_modules(files: Iterable[str]) -> list[str]:
    """Folders with `terraform test` files (`<folder>/tests/*.tftest.hcl`), infra/-relative."""
    folders = set()
    for name in files:
        path = PurePosixPath(name)
        if ".terraform" in path.parts or not path.name.endswith(".tftest.hcl"):
            continue
        if len(path.parts) >= 3 and path.parts[-2] == "tests":
            folders.add(str(path.parent.parent))
    return sorted(folders)


def parse_test(stdout: str, stderr: str, returncode: int) -> list[Diagnostic]:
    """`terraform test` output -> one error per failed run, plus Terraform's first error."""
    if returncode == 0:
        return []
    found = [
        Diagnostic("error", f"{line.strip()[: -len('... fail')]} failed")
        for line in stdout.splitlines()
        if line.strip().startswith("run ") and line.strip().endswith("... fail")
    ]
    found.append(Diagnostic("error", first_error(stderr or stdout)))
    return found


def env_root(env: str) -> str:
    """`staging` -> `envs/staging` (relative to infra/)."""
    if not env or "/" in env or env.startswith("."):
        raise ValueError(f"not an environment name: {env!r}")
    return f"envs/{env}"


@dataclass(frozen=True)
class Diagnostic:
    severity: str  # "error" or "warning"
    summary: str
    where: str = ""  # file:line when Terraform gives one

    def line(self) -> str:
        return f"{self.where}: {self.summary}" if self.where else self.summary


@dataclass
class RootResult:
    """One root's init + validate outcome."""

    root: str
    diagnostics: list[Diagnostic] = field(default_factory=list)

    @property
    def errors(self) -> list[Diagnostic]:
        return [d for d in self.diagnostics if d.severity == "error"]

    @property
    def warnings(self) -> list[Diagnostic]:
        return [d for d in self.diagnostics if d.severity == "warning"]

    @property
    def ok(self) -> bool:
        return not self.errors


@dataclass
class ValidateReport:
    """Every root validated and the formatting of the whole infra/ tree."""

    roots: list[RootResult]
    unformatted: list[str]

    @property
    def ok(self) -> bool:
        return not self.unformatted and all(r.ok for r in self.roots)

    def to_json(self) -> dict[str, object]:
        return {
            "ok": self.ok,
            "fmt": {"ok": not self.unformatted, "unformatted": self.unformatted},
            "roots": [
                {
                    "root": r.root,
                    "ok": r.ok,
                    "errors": [d.line() for d in r.errors],
                    "warnings": [d.line() for d in r.warnings],
                }
                for r in self.roots
            ],
        }


def parse_validate(text: str) -> list[Diagnostic]:
    """Diagnostics of `terraform validate -json`; unparseable output is itself an error."""
    try:
        data = json.loads(text)
    except ValueError:
        return [Diagnostic("error", f"terraform validate printed no JSON: {text.strip()[:200]}")]
    found = []
    for item in data.get("diagnostics", []):
        rng = item.get("range") or {}
        where = ""
        if rng.get("filename"):
            where = f"{rng['filename']}:{rng.get('start', {}).get('line', '?')}"
        found.append(Diagnostic(item.get("severity", "error"), item.get("summary", "?"), where))
    if not data.get("valid", False) and not any(d.severity == "error" for d in found):
        found.append(Diagnostic("error", "terraform validate reported the root invalid"))
    return found


def parse_fmt(stdout: str, prefix: str = "") -> list[str]:
    """`terraform fmt -check -list=true` prints one unformatted file per line."""
    return [prefix + line.strip() for line in stdout.splitlines() if line.strip()]


def first_error(stderr: str) -> str:
    """The line of Terraform's stderr worth showing: the first `Error:` line, else the last."""
    lines = [ln.strip(" │╷╵\t") for ln in stderr.splitlines()]
    lines = [ln for ln in lines if ln]
    for ln in lines:
        if ln.startswith("Error:"):
            return ln
    return lines[-1] if lines else "terraform failed"


def output_values(text: str) -> dict[str, object]:
    """`terraform output -json` -> name: value (sensitive values as Terraform gives them)."""
    raw = json.loads(text or "{}")
    return {name: item["value"] for name, item in raw.items()}
