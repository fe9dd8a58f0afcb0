"""infra/ keeps its conventions: module shape, typed and described variables, pinned
versions, the outputs opsctl deploy reads, and a reason on every checkov skip."""

import re
from pathlib import Path

import pytest

from opsctl.core.terraform import OUTPUT_CONTRACT, find_roots

pytestmark = pytest.mark.unit

INFRA = Path(__file__).resolve().parents[2] / "infra"
MODULES = sorted(p for p in (INFRA / "modules").iterdir() if p.is_dir())
ROOTS = find_roots(str(p.relative_to(INFRA)) for p in INFRA.rglob("*.tf"))
ENV_ROOTS = [r for r in ROOTS if r.startswith("envs/")]
TF_FILES = sorted(p for p in INFRA.rglob("*.tf") if ".terraform" not in p.parts)


def blocks(text: str, kind: str) -> dict[str, str]:
    """Top-level `kind "name" { ... }` blocks by name (their bodies end at a closing brace
    in column 0, which `terraform fmt` guarantees)."""
    return dict(re.findall(rf'^{kind} "([\w-]+)" \{{\n(.*?)^\}}', text, flags=re.M | re.S))


def declared(folder: Path, kind: str) -> dict[str, str]:
    found: dict[str, str] = {}
    for f in sorted(folder.glob("*.tf")):
        found.update(blocks(f.read_text(), kind))
    return found


def test_roots_are_found():
    assert ROOTS == ["bootstrap", "envs/prod", "envs/staging"]


@pytest.mark.parametrize("module", MODULES, ids=lambda p: p.name)
def test_module_shape(module):
    names = {p.name for p in module.glob("*.tf")}
    assert {"main.tf", "variables.tf", "outputs.tf", "versions.tf"} <= names
    for f in module.glob("*.tf"):
        assert not re.search(r'^provider "', f.read_text(), flags=re.M), (
            f"{f} configures a provider"
        )
        assert not re.search(r"^\s+backend ", f.read_text(), flags=re.M), f"{f} sets a backend"


@pytest.mark.parametrize(
    "folder", [*MODULES, *(INFRA / r for r in ROOTS)], ids=lambda p: str(p.relative_to(INFRA))
)
def test_variables_and_outputs_are_typed_and_described(folder):
    assert declared(folder, "variable") or declared(folder, "output"), "nothing parsed"
    for name, body in declared(folder, "variable").items():
        assert re.search(r"^  description = \"\S", body, flags=re.M), (
            f"variable {name}: description"
        )
        assert re.search(r"^  type\s+=", body, flags=re.M), f"variable {name}: type"
    for name, body in declared(folder, "output").items():
        assert re.search(r"^  description = \"\S", body, flags=re.M), f"output {name}: description"


@pytest.mark.parametrize("root", ENV_ROOTS)
def test_env_roots_declare_the_deploy_contract(root):
    outputs = declared(INFRA / root, "output")
    missing = [name for name in OUTPUT_CONTRACT if name not in outputs]
    assert not missing, f"{root} lacks outputs opsctl deploy reads: {missing}"


def test_env_roots_differ_only_in_values():
    """Same variables and outputs in every environment; only main.tf's values differ."""
    shapes = {
        root: (sorted(declared(INFRA / root, "variable")), sorted(declared(INFRA / root, "output")))
        for root in ENV_ROOTS
    }
    assert len(set(map(str, shapes.values()))) == 1, shapes
    stack_outputs = declared(INFRA / "modules" / "stack", "output")
    assert sorted(stack_outputs) == shapes[ENV_ROOTS[0]][1]


@pytest.mark.parametrize("root", ROOTS)
def test_roots_pin_versions_and_commit_the_lock_file(root):
    versions = (INFRA / root / "versions.tf").read_text()
    assert re.search(r'required_version = "~> 1\.11\.0"', versions)
    assert re.search(r'version = "5\.100\.0"', versions)
    lock = (INFRA / root / ".terraform.lock.hcl").read_text()
    assert 'provider "registry.terraform.io/hashicorp/aws"' in lock
    assert 'version     = "5.100.0"' in lock
    assert re.search(r'"h1:[A-Za-z0-9+/=]+"', lock)


@pytest.mark.parametrize("root", ENV_ROOTS)
def test_env_state_is_remote_encrypted_and_locked(root):
    backend = (INFRA / root / "backend.tf").read_text()
    assert 'backend "s3"' in backend
    assert "use_lockfile = true" in backend
    assert "encrypt      = true" in backend
    assert f'key          = "{root}/terraform.tfstate"' in backend
    # Each env's state key is also what its deploy role may read.
    assert (
        f'state_key           = "{root}/terraform.tfstate"'
        in (INFRA / root / "main.tf").read_text()
    )


def test_every_checkov_skip_gives_a_reason():
    skips = []
    for f in TF_FILES:
        for line in f.read_text().splitlines():
            if "checkov:skip" in line:
                skips.append((f.relative_to(INFRA), line.strip()))
    assert skips, "expected the documented skips"
    for where, line in skips:
        match = re.fullmatch(r"#checkov:skip=(CKV2?_[A-Z]+_\d+):(.+)", line)
        assert match, f"{where}: malformed skip {line!r}"
        assert len(match.group(2).split()) >= 6, f"{where}: skip {match.group(1)} needs a reason"


def test_service_leaves_releases_to_codedeploy():
    service = (INFRA / "modules" / "service" / "service.tf").read_text()
    assert 'type = "CODE_DEPLOY"' in service
    assert "ignore_changes = [task_definition, load_balancer, desired_count]" in service
    edge = (INFRA / "modules" / "edge" / "main.tf").read_text()
    # CodeDeploy rewrites both listeners' forward action on every release.
    assert edge.count("ignore_changes = [default_action]") == 2


def test_emulator_switch_leaves_out_only_what_moto_lacks():
    uses = [
        (f.relative_to(INFRA), line.strip())
        for f in TF_FILES
        for line in f.read_text().splitlines()
        if "var.emulator" in line
    ]
    assert sorted(str(w) for w, _ in uses) == [
        "envs/prod/main.tf",
        "envs/staging/main.tf",
        "modules/stack/main.tf",
        "modules/stack/main.tf",
    ]
    stack = (INFRA / "modules" / "stack" / "main.tf").read_text()
    assert "create_replication_group = !var.emulator" in stack
    assert "create_autoscaling  = !var.emulator" in stack
