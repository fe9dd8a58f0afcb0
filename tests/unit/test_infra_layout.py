"""infra/ keeps its conventions: module shape, typed and described variables, pinned
versions, the one `deploy` object opsctl reads, and a reason on every checkov skip."""

import re
from pathlib import Path

import pytest

from opsctl.core.environment import DEPLOY_CONTRACT
from opsctl.core.terraform import find_roots

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
    assert ROOTS == ["bootstrap", "envs/prod", "envs/staging", "examples/emulator"]


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


def deploy_object_keys() -> list[str]:
    stack = (INFRA / "modules" / "stack" / "main.tf").read_text()
    body = re.search(r"^  deploy = \{\n(.*?)^  \}", stack, flags=re.M | re.S)
    assert body, "modules/stack/main.tf: local.deploy not found"
    return re.findall(r"^    (\w+)\s+=", body.group(1), flags=re.M)


def test_stack_publishes_exactly_the_deploy_contract():
    """One object, in the output and (JSON) in the SSM parameter opsctl reads."""
    assert deploy_object_keys() == list(DEPLOY_CONTRACT)
    stack = INFRA / "modules" / "stack"
    outputs = declared(stack, "output")
    assert "value       = local.deploy" in outputs["deploy"]
    assert "aws_ssm_parameter.deploy.name" in outputs["deploy_parameter_name"]
    main = (stack / "main.tf").read_text()
    resource = re.search(r'^resource "aws_ssm_parameter" "deploy" \{\n(.*?)^\}', main, re.M | re.S)
    assert resource
    assert 'name        = "/${var.project}/${var.env}/deploy"' in resource.group(1)
    assert 'type        = "String"' in resource.group(1)
    assert "value       = jsonencode(local.deploy)" in resource.group(1)


@pytest.mark.parametrize("root", [*ENV_ROOTS, "examples/emulator"])
def test_roots_re_export_the_deploy_object_only(root):
    outputs = declared(INFRA / root, "output")
    assert "value       = module.stack.deploy\n" in outputs["deploy"]
    copied = sorted(set(outputs) & set(DEPLOY_CONTRACT))
    assert not copied, f"{root} copies keys of the deploy object as outputs: {copied}"


def test_env_roots_differ_only_in_values():
    """Same files, variables and outputs in every environment; the module call has the same
    arguments in the same order and only their values differ."""
    shapes = {
        root: (
            sorted(p.name for p in (INFRA / root).glob("*.tf")),
            sorted(declared(INFRA / root, "variable")),
            sorted(declared(INFRA / root, "output")),
            re.findall(r"^  (\w+)\s+=", (INFRA / root / "main.tf").read_text(), flags=re.M),
        )
        for root in ENV_ROOTS
    }
    assert len(set(map(str, shapes.values()))) == 1, shapes
    texts = {
        name: {(INFRA / root / name).read_text() for root in ENV_ROOTS}
        for name in ("providers.tf", "outputs.tf", "versions.tf")
    }
    assert all(len(t) == 1 for t in texts.values()), "providers/outputs/versions must be identical"


def test_no_emulator_switch_in_production_shaped_roots():
    for root in ["bootstrap", *ENV_ROOTS]:
        for f in (INFRA / root).glob("*.tf"):
            text = f.read_text()
            for word in ("emulator", "endpoint", "skip_credentials_validation"):
                assert word not in text, f"{f.relative_to(INFRA)} mentions {word}"


@pytest.mark.parametrize("root", ENV_ROOTS)
def test_env_roots_are_pinned_to_their_own_account(root):
    """Separate accounts: the provider refuses any other, the state bucket carries the id."""
    main = (INFRA / root / "main.tf").read_text()
    (account,) = re.findall(r'^  account_id = "(\d{12})"', main, flags=re.M)
    assert "allowed_account_ids = [local.account_id]" in (INFRA / root / "providers.tf").read_text()
    backend = (INFRA / root / "backend.tf").read_text()
    assert f'bucket       = "mycandidate-terraform-state-{account}"' in backend
    accounts = {
        re.findall(r'^  account_id = "(\d{12})"', (INFRA / r / "main.tf").read_text(), re.M)[0]
        for r in ENV_ROOTS
    }
    assert len(accounts) == len(ENV_ROOTS), "staging and prod share an account"


def test_prod_promotes_from_staging_across_accounts():
    """staging's repository lets prod's deploy role pull; prod's role may pull from it."""
    account = {
        r: re.findall(r'^  account_id = "(\d{12})"', (INFRA / r / "main.tf").read_text(), re.M)[0]
        for r in ENV_ROOTS
    }
    staging = (INFRA / "envs" / "staging" / "main.tf").read_text()
    prod = (INFRA / "envs" / "prod" / "main.tf").read_text()
    assert (
        f'image_pull_role_arns             = ["arn:aws:iam::{account["envs/prod"]}:role/'
        'mycandidate-prod-github-deploy"]' in staging
    )
    assert (
        "promotion_source_repository_arns = "
        f'["arn:aws:ecr:af-south-1:{account["envs/staging"]}:repository/mycandidate-staging"]'
        in prod
    )


def test_bootstrap_names_the_bucket_after_the_account_and_checks_the_opt_in_region():
    main = (INFRA / "bootstrap" / "main.tf").read_text()
    assert 'state_bucket      = "${var.state_bucket_prefix}-${local.account_id}"' in main
    check = re.search(r'^data "aws_regions" "enabled" \{\n(.*?)^\}', main, re.M | re.S)
    assert check, "bootstrap looks the region up"
    body = check.group(1)
    assert "provider = aws.lookup" in body
    assert '"opt-in-status"' in body and '"opted-in", "opt-in-not-required"' in body
    assert "postcondition {" in body and "contains(self.names, var.region)" in body
    assert "opt-in region" in (INFRA / "README.md").read_text()


@pytest.mark.parametrize(
    ("root", "environment"), [("envs/prod", "production"), ("envs/staging", "staging")]
)
def test_each_deploy_role_trusts_one_github_environment(root, environment):
    assert f'github_environment = "{environment}"' in (INFRA / root / "main.tf").read_text()
    oidc = (INFRA / "modules" / "github_oidc" / "main.tf").read_text()
    assert 'subject      = "repo:${var.repository}:environment:${var.environment}"' in oidc
    assert "ref:refs/heads" not in oidc


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


def test_no_ecs_deployment_controller_left():
    for f in TF_FILES:
        text = f.read_text()
        assert 'type = "ECS"' not in text and "--controller" not in text, f


def test_fresh_service_starts_at_zero_and_scaling_ranges_survive_apply():
    service = (INFRA / "modules" / "service" / "service.tf").read_text()
    assert "desired_count                     = 0\n" in service
    scaling = (INFRA / "modules" / "service" / "autoscaling.tf").read_text()
    target = re.search(
        r'^resource "aws_appautoscaling_target" "this" \{\n(.*?)^\}', scaling, re.M | re.S
    )
    assert target
    assert "min_capacity       = 0\n" in target.group(1)
    # A scheduled election-day floor is not undone by the next `terraform apply`.
    assert "ignore_changes = [min_capacity, max_capacity]" in target.group(1)


def test_alb_waits_for_its_access_log_bucket_policy():
    edge = (INFRA / "modules" / "edge" / "main.tf").read_text()
    alb = re.search(r'^resource "aws_lb" "this" \{\n(.*?)^\}', edge, re.M | re.S)
    assert alb and "depends_on = [module.access_logs]" in alb.group(1)
    bucket = (INFRA / "modules" / "bucket" / "main.tf").read_text()
    assert 'resource "aws_s3_bucket_policy" "this"' in bucket


def test_leave_outs_are_set_only_by_the_emulator_example():
    uses = sorted(
        str(f.relative_to(INFRA))
        for f in TF_FILES
        for line in f.read_text().splitlines()
        if re.match(r"\s+(create_replication_group|create_autoscaling|dual_stack)\s+= false", line)
    )
    assert uses == ["examples/emulator/main.tf"] * 3
    stack = (INFRA / "modules" / "stack" / "main.tf").read_text()
    assert "create_replication_group = var.create_replication_group" in stack
    assert "create_autoscaling  = var.create_autoscaling" in stack
