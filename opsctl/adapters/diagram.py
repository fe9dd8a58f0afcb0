"""Render the scripts in diagram_sources/ with the `diagrams` library and graphviz's `dot`.

The scripts are loaded by file path (they are not a package); the folder's name differs
from the library's, so `import diagrams` inside them always means the library.
"""

from __future__ import annotations

import importlib
import importlib.util
import pkgutil
import shutil
import tempfile
from dataclasses import dataclass
from pathlib import Path
from types import ModuleType

from opsctl.core import diagram_check
from opsctl.errors import OpsError, PrerequisiteError

DIAGRAMS = ("architecture", "cicd")
CHECKED = "architecture"  # the one drawn from infra/


@dataclass(frozen=True)
class Rendered:
    name: str
    path: Path
    kinds: frozenset[str]


def render_all(root: Path, out_dir: Path, fmt: str) -> list[Rendered]:
    if shutil.which("dot") is None:
        raise PrerequisiteError("graphviz `dot` is not installed", hint="apt-get install graphviz")
    out_dir.mkdir(parents=True, exist_ok=True)
    index = kind_index()
    results = []
    for name in DIAGRAMS:
        diagram = _load(root, name).render(out_dir, fmt)
        path = out_dir / f"{name}.{fmt}"
        if not path.is_file():
            raise OpsError(f"diagram_sources/{name}.py rendered nothing at {path}")
        if fmt == "svg":
            path.write_text(
                diagram_check.embed_images(path.read_text(), lambda p: Path(p).read_bytes())
            )
        kinds = diagram_check.drawn_kinds(diagram.dot.source, index)
        results.append(Rendered(name, path, frozenset(kinds)))
    return results


def check(root: Path) -> tuple[diagram_check.Drift, set[str], set[str]]:
    """Render the architecture to a scratch folder and compare it with infra/."""
    infra = root / "infra"
    if not infra.is_dir():
        raise PrerequisiteError(f"no infra/ folder under {root}")
    sources = [p.read_text() for p in sorted(infra.rglob("*.tf")) if ".terraform" not in p.parts]
    declared = diagram_check.declared_types(sources)
    with tempfile.TemporaryDirectory(prefix="opsctl-diagram-") as scratch:
        rendered = {r.name: r for r in render_all(root, Path(scratch), "png")}
    drawn = set(rendered[CHECKED].kinds)
    return diagram_check.compare(declared, drawn), declared, drawn


def kind_index() -> dict[str, str]:
    """Icon path tail -> `provider.module.Class` for every node class the library has."""
    import diagrams

    index: dict[str, str] = {}
    for provider in pkgutil.iter_modules(diagrams.__path__):
        if not provider.ispkg:
            continue
        package = importlib.import_module(f"diagrams.{provider.name}")
        for module_info in pkgutil.iter_modules(package.__path__):
            module = importlib.import_module(f"diagrams.{provider.name}.{module_info.name}")
            for name, cls in vars(module).items():
                icon = getattr(cls, "_icon", None)
                # Aliases (ALB = ElbApplicationLoadBalancer) share the canonical icon.
                if isinstance(cls, type) and cls.__name__ == name and icon:
                    tail = f"{getattr(cls, '_icon_dir', '')}/{icon}"
                    index.setdefault(tail, f"{provider.name}.{module_info.name}.{name}")
    return index


def _load(root: Path, name: str) -> ModuleType:
    path = root / "diagram_sources" / f"{name}.py"
    if not path.is_file():
        raise PrerequisiteError(f"missing {path}")
    spec = importlib.util.spec_from_file_location(f"_opsctl_diagram_{name}", path)
    if spec is None or spec.loader is None:
        raise OpsError(f"cannot load {path}")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module
