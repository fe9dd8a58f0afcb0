"""Which files of the repository each scanner reads (pure: paths in, lists out)."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field

# Never scanned: environments, caches, build output, and the planted-defect fixtures.
SKIP_DIRS = (
    ".git",
    ".venv",
    "venv",
    "node_modules",
    ".terraform",
    ".cache",
    "out",
    "build",
    "dist",
    "__pycache__",
    ".mypy_cache",
    ".ruff_cache",
    ".pytest_cache",
    "tests/fixtures/scan",
)
# Test and benchmark code: the same folders pyproject exempts from ruff's bandit rules (S).
# Checkov's secret scan still reads them.
NOT_FOR_BANDIT = ("tests/", "benchmarks/")


def is_skipped(rel: str) -> bool:
    """Whether the folder at repository-relative `rel` is left out of every scan."""
    name = rel.rsplit("/", 1)[-1]
    hidden = name.startswith(".") and name != ".github"
    return hidden or any(
        rel == s or rel.endswith("/" + s) or rel.startswith(s + "/") for s in SKIP_DIRS
    )


@dataclass
class RepoFiles:
    dockerfiles: list[str] = field(default_factory=list)
    python: list[str] = field(default_factory=list)
    others: list[str] = field(default_factory=list)  # Terraform and workflows: suppression markers

    @classmethod
    def sort(cls, paths: Iterable[str]) -> RepoFiles:
        files = cls()
        for rel in paths:
            name = rel.rsplit("/", 1)[-1]
            if (
                name == "Dockerfile"
                or name.startswith("Dockerfile.")
                or name.endswith(".Dockerfile")
            ):
                files.dockerfiles.append(rel)
            elif name.endswith(".py"):
                files.python.append(rel)
            elif name.endswith((".tf", ".yml", ".yaml")):
                files.others.append(rel)
        return files

    @property
    def for_bandit(self) -> list[str]:
        return [p for p in self.python if not p.startswith(NOT_FOR_BANDIT)]

    @property
    def for_markers(self) -> list[str]:
        """Files whose inline suppression markers count (test code may quote markers)."""
        every = self.dockerfiles + self.python + self.others
        return [p for p in every if not p.startswith(NOT_FOR_BANDIT)]
