"""The architecture and pipeline diagrams: render them, or check them against infra/."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from opsctl.adapters.diagram import Rendered
    from opsctl.core.diagram_check import Drift


@dataclass(frozen=True)
class DiagramCheck:
    drift: Drift
    declared: set[str]  # resource types infra/ declares
    drawn: set[str]  # node kinds the architecture diagram draws


def check_diagram(root: Path) -> DiagramCheck:
    from opsctl.adapters import diagram

    return DiagramCheck(*diagram.check(root))


def render_diagrams(root: Path, out: Path, fmt: str) -> list[Rendered]:
    from opsctl.adapters import diagram

    return diagram.render_all(root, out, fmt)
