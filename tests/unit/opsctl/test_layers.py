"""opsctl's four layers import one way: commands -> services -> core/adapters, core pure.

The graph is read from the source with `ast`, so a new import that crosses a layer
fails here before anyone has to notice it in review.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

from tests.support.paths import REPO

PACKAGE = REPO / "opsctl"
# Modules whose import means I/O or a heavy client; none belongs in core.
IO_MODULES = {
    "boto3",
    "botocore",
    "docker",
    "diagrams",
    "flask",
    "http",
    "os",
    "requests",
    "rich",
    "shutil",
    "socket",
    "sqlalchemy",
    "subprocess",
    "tempfile",
    "typer",
    "urllib",
}


def module_name(path: Path) -> str:
    parts = path.relative_to(PACKAGE.parent).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def imports(path: Path, *, top_only: bool = False) -> set[str]:
    """Every module `path` imports, at the top or inside a function; with `top_only`, what
    importing it imports at once (function bodies and TYPE_CHECKING blocks excluded)."""
    tree = ast.parse(path.read_text(), str(path))
    found: set[str] = set()
    for node in tree.body if top_only else ast.walk(tree):
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            found.add(node.module)
            found.update(f"{node.module}.{alias.name}" for alias in node.names)
    return found


LAYERS = ("core", "commands", "services", "adapters")
SOURCES = {module_name(p): imports(p) for p in sorted(PACKAGE.rglob("*.py"))}


def layer(name: str) -> str:
    """`core`, `commands`, `services` or `adapters`; a top-level module is its own layer."""
    parts = name.split(".")
    return parts[1] if len(parts) > 1 and parts[1] in LAYERS else name


def is_command(name: str) -> bool:
    """A verb's module (commands/_*.py hold the options and screens verbs share)."""
    parts = name.split(".")
    return len(parts) == 3 and parts[1] == "commands" and not parts[2].startswith("_")


def opsctl_modules(found: set[str]) -> set[str]:
    """The opsctl modules among `found` (dropping names imported from them)."""
    return {m for m in found if m in SOURCES}


def test_the_graph_is_read_from_every_module() -> None:
    assert "opsctl.core.release_plan" in SOURCES and "opsctl.services.release" in SOURCES
    assert "opsctl.core.release_plan" in SOURCES["opsctl.services.release"]


@pytest.mark.parametrize("name", sorted(n for n in SOURCES if layer(n) == "core"))
def test_core_imports_only_core_and_errors_and_does_no_io(name: str) -> None:
    ours = opsctl_modules(SOURCES[name])
    crossing = sorted(m for m in ours if layer(m) not in ("core", "opsctl.errors"))
    assert crossing == [], f"{name} imports {crossing}"
    io = sorted(m for m in SOURCES[name] if m.split(".")[0] in IO_MODULES)
    assert io == [], f"{name} imports {io}"


@pytest.mark.parametrize("name", sorted(n for n in SOURCES if is_command(n)))
def test_no_command_imports_another_command(name: str) -> None:
    others = sorted(m for m in opsctl_modules(SOURCES[name]) if is_command(m) and m != name)
    assert others == [], f"{name} imports {others}"


@pytest.mark.parametrize("name", sorted(n for n in SOURCES if layer(n) in ("services", "adapters")))
def test_services_and_adapters_never_reach_up(name: str) -> None:
    above = {
        "services": {"commands", "opsctl.app"},
        "adapters": {"commands", "services", "opsctl.app"},
    }
    crossing = sorted(m for m in opsctl_modules(SOURCES[name]) if layer(m) in above[layer(name)])
    assert crossing == [], f"{name} imports {crossing}"


@pytest.mark.parametrize("name", sorted(n for n in SOURCES if layer(n) in ("services", "adapters")))
def test_only_commands_render(name: str) -> None:
    rendering = sorted(
        m for m in SOURCES[name] if m.split(".")[0] in ("typer", "rich") or m == "opsctl.output"
    )
    assert rendering == [], f"{name} imports {rendering}"


# adapters/tools.py hands the environment on to the programs it runs; it reads no setting.
READS_ENVIRONMENT = {"opsctl.settings", "opsctl.adapters.tools"}


@pytest.mark.parametrize("path", sorted(PACKAGE.rglob("*.py")), ids=lambda p: p.name)
def test_only_settings_reads_the_environment(path: Path) -> None:
    tree = ast.parse(path.read_text(), str(path))
    reads = [
        node.lineno
        for node in ast.walk(tree)
        if isinstance(node, ast.Attribute)
        and isinstance(node.value, ast.Name)
        and node.value.id == "os"
        and node.attr in ("environ", "getenv")
    ]
    if module_name(path) not in READS_ENVIRONMENT:
        assert reads == [], f"{path} reads os.environ on lines {reads}"


def test_what_help_loads_is_light() -> None:
    """`opsctl --help` imports opsctl.app and every command module; follow their top-level
    imports through opsctl and collect the libraries they reach."""
    paths = {module_name(p): p for p in PACKAGE.rglob("*.py")}
    commands = {n for n in paths if n.startswith("opsctl.commands.")}
    todo, seen, libraries = ["opsctl.app", *commands], set(), set()
    while todo:
        name = todo.pop()
        if name in seen:
            continue
        seen.add(name)
        for imported in imports(paths[name], top_only=True):
            if imported in paths:
                todo.append(imported)
                parent = imported.rsplit(".", 1)[0]
                if parent in paths:
                    todo.append(parent)
            elif not imported.startswith("opsctl"):
                libraries.add(imported.split(".")[0])
    assert "opsctl.commands.deploy" in seen
    assert libraries.isdisjoint({"boto3", "botocore", "docker", "diagrams", "flask", "sqlalchemy"})
    assert not {n for n in seen if layer(n) in ("services", "adapters")}, "help loads them"


# The wiring shared by the release verbs builds the AWS client once per run (and picks
# where the smoke test runs); every other command reaches adapters through a service.
WIRING = {"opsctl.commands._release"}


@pytest.mark.parametrize("name", sorted(n for n in SOURCES if layer(n) == "commands"))
def test_commands_reach_adapters_only_through_services(name: str) -> None:
    crossing = sorted(m for m in opsctl_modules(SOURCES[name]) if layer(m) == "adapters")
    assert crossing == [] or name in WIRING, f"{name} imports {crossing}"
