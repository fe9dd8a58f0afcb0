"""The GitHub workflows: every opsctl command they run exists and parses, actions are pinned
by commit, permissions are explicit and least, and no expression is expanded inside a script.

Each rule is a function returning its problems, run on the real workflows and on a planted
bad one, so a rule that can no longer fail is noticed.
"""

from __future__ import annotations

import itertools
import re
import shlex
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import typer
import yaml

try:  # typer 0.20+ vendors click and raises its own exception types
    from typer.exceptions import TyperException as UsageProblem
except ImportError:
    from click.exceptions import ClickException as UsageProblem

from opsctl.app import app
from opsctl.core.suites import Suite
from opsctl.core.terraform import find_roots

ROOT = Path(__file__).resolve().parents[2]
WORKFLOWS = ROOT / ".github" / "workflows"
FILES = sorted(WORKFLOWS.glob("*.yml"))

PINNED = re.compile(r"^[\w.-]+/[\w./-]+@[0-9a-f]{40}$")
VERSION_COMMENT = re.compile(r"uses:\s*\S+@[0-9a-f]{40}\s+#\s*v\d+\.\d+\.\d+\s*$")
EXPRESSION = re.compile(r"\$\{\{(.*?)\}\}", re.S)
SHELL_VAR = re.compile(r"\$\{?([A-Za-z_][A-Za-z0-9_]*)\}?")
# ./dev handles these itself; everything else it passes to opsctl unchanged.
DEV_ONLY = {"help", "-h", "--help"}


def load(path: Path) -> dict[str, Any]:
    doc = yaml.safe_load(path.read_text())
    # YAML 1.1 reads the key `on` as True.
    if True in doc:
        doc["on"] = doc.pop(True)
    return doc


def jobs(doc: dict[str, Any]) -> dict[str, dict[str, Any]]:
    return doc.get("jobs", {})


def steps(doc: dict[str, Any]) -> Iterator[tuple[str, dict[str, Any]]]:
    for name, job in jobs(doc).items():
        for step in job.get("steps", []):
            yield name, step


# ------------------------------------------------------------------ rules


def unpinned_actions(doc: dict[str, Any]) -> list[str]:
    """Every third-party `uses:` names a full commit SHA; local workflows are ./paths."""
    uses = [(n, s["uses"]) for n, s in steps(doc) if "uses" in s]
    uses += [(n, j["uses"]) for n, j in jobs(doc).items() if "uses" in j]
    return [f"{job}: {ref}" for job, ref in uses if not (ref.startswith("./") or PINNED.match(ref))]


def unlabelled_pins(text: str) -> list[str]:
    """A pinned SHA carries the release it was taken from, `# vX.Y.Z`, for the reader."""
    return [
        line.strip()
        for line in text.splitlines()
        if re.search(r"uses:\s*\S+@[0-9a-f]{40}", line) and not VERSION_COMMENT.search(line)
    ]


def permission_problems(doc: dict[str, Any]) -> list[str]:
    """No token scope by default; each job asks for what it needs; nothing write-all."""
    problems = []
    if doc.get("permissions") != {}:
        problems.append("workflow: top-level permissions must be {}")
    for name, job in jobs(doc).items():
        perms = job.get("permissions")
        if not isinstance(perms, dict):
            problems.append(f"{name}: no permissions block (or a blanket {perms!r})")
    return problems


def expressions_in_scripts(doc: dict[str, Any]) -> list[str]:
    """`${{ }}` is expanded into the script text before the shell sees it: pass values in env."""
    return [
        f"{job}: {match.group(0)}"
        for job, step in steps(doc)
        for match in EXPRESSION.finditer(step.get("run", ""))
    ]


def matrix_rows(job: dict[str, Any]) -> list[dict[str, Any]]:
    matrix = (job.get("strategy") or {}).get("matrix") or {}
    axes = {k: v for k, v in matrix.items() if k not in ("include", "exclude")}
    rows = [dict(zip(axes, combo, strict=True)) for combo in itertools.product(*axes.values())]
    rows = rows if axes else []
    rows += list(matrix.get("include", []))
    return rows or [{}]


def resolve(value: str, matrix: dict[str, Any]) -> str:
    """A workflow-level value with `${{ matrix.x }}` filled in; other expressions are opaque."""

    def one(match: re.Match[str]) -> str:
        expr = match.group(1).strip()
        if expr.startswith("matrix."):
            return str(matrix.get(expr.removeprefix("matrix."), ""))
        return "EXPR"

    return EXPRESSION.sub(one, str(value))


def commands(doc: dict[str, Any]) -> Iterator[tuple[str, list[str]]]:
    """(job, argv after `opsctl`) for every opsctl or ./dev command a script runs."""
    for name, job in jobs(doc).items():
        for row in matrix_rows(job):
            for step in job.get("steps", []):
                if "run" not in step:
                    continue
                env = {**doc.get("env", {}), **job.get("env", {}), **step.get("env", {})}
                values = {k: resolve(v, row) for k, v in env.items()}
                script = SHELL_VAR.sub(lambda m, v=values: v.get(m.group(1), "VALUE"), step["run"])
                for line in re.split(r"&&|\|\||;|\n", script):
                    words = shlex.split(line, comments=True)
                    # The command ends where its output is redirected or piped.
                    ends = [i for i, w in enumerate(words) if w in ("|", ">", ">>")]
                    words = words[: ends[0]] if ends else words
                    if words and words[0] in ("./dev", "opsctl") and words[1:2] != ["help"]:
                        yield name, words[1:]


def check_command(argv: list[str]) -> str | None:
    """Parse argv with the real CLI (no command runs); the error text, or None if it parses."""
    command: Any = typer.main.get_command(app)
    ctx = command.make_context("opsctl", [], resilient_parsing=True)
    path = ["opsctl"]
    rest = list(argv)
    while hasattr(command, "get_command"):  # a group: the next word names a subcommand
        if not rest:
            return f"{' '.join(path)}: no command given"
        sub = command.get_command(ctx, rest[0])
        if sub is None:
            return f"{' '.join(path)} has no command {rest[0]!r}"
        path.append(rest.pop(0))
        command = sub
        ctx = command.make_context(path[-1], [], parent=ctx, resilient_parsing=True)
    try:
        command.make_context(path[-1], list(rest), parent=ctx.parent)  # click consumes the list
    except UsageProblem as exc:
        return f"{' '.join(path)}: {exc.format_message()}"
    # run-task runs a command in the service's container; that one must exist too.
    if path[-1] == "run-task" and "--" in rest and rest[rest.index("--") + 1 :][:1] == ["opsctl"]:
        return check_command(rest[rest.index("--") + 2 :])
    return None


def bad_commands(doc: dict[str, Any]) -> list[str]:
    return [f"{job}: {problem}" for job, argv in commands(doc) if (problem := check_command(argv))]


# ------------------------------------------------------------------ the real workflows


@pytest.fixture(scope="module")
def ci() -> dict[str, Any]:
    return load(WORKFLOWS / "ci.yml")


@pytest.fixture(scope="module")
def deploy() -> dict[str, Any]:
    return load(WORKFLOWS / "deploy.yml")


# Runs Terraform itself (the registry is reachable only on GitHub), not an opsctl verb.
TERRAFORM_ONLY = {"provider-locks.yml"}


def test_the_workflows_are_these() -> None:
    assert [p.name for p in FILES] == ["ci.yml", "deploy.yml", "provider-locks.yml"]


@pytest.mark.parametrize("path", FILES, ids=lambda p: p.name)
def test_workflow_is_clean(path: Path) -> None:
    doc = load(path)
    assert unpinned_actions(doc) == []
    assert unlabelled_pins(path.read_text()) == []
    assert permission_problems(doc) == []
    assert expressions_in_scripts(doc) == []
    assert bad_commands(doc) == []


@pytest.mark.parametrize("path", FILES, ids=lambda p: p.name)
def test_workflow_runs_opsctl_and_nothing_homegrown(path: Path) -> None:
    """Scripts are one-liners: an opsctl command, or a setup step for a tool opsctl runs."""
    doc = load(path)
    found = list(commands(doc))
    assert bool(found) != (path.name in TERRAFORM_ONLY), "the workflow calls no opsctl command"
    for job, step in steps(doc):
        script = step.get("run", "").strip()
        assert script.count("\n") == 0, f"{job}: multi-line script {script!r}"


def test_each_action_is_pinned_to_one_commit_across_workflows() -> None:
    refs: dict[str, set[str]] = {}
    for path in FILES:
        for _, step in steps(load(path)):
            if "@" in step.get("uses", ""):
                action, sha = step["uses"].split("@")
                refs.setdefault(action, set()).add(sha)
    assert refs and {a: s for a, s in refs.items() if len(s) > 1} == {}


def test_ci_covers_every_suite_scan_image_terraform_and_diagram(ci) -> None:
    run = [" ".join(argv) for _, argv in commands(ci)]
    suites = {argv[1] for _, argv in commands(ci) if argv[0] == "test"}
    assert suites == {s.value for s in Suite} - {"all"}
    assert "lint" in run
    assert any(r.startswith("scan ") and "--sarif" in r and "--sbom" in r for r in run)
    assert "infra validate" in run
    assert "diagram --check" in run
    assert {"pull_request", "push", "schedule", "workflow_call"} <= set(ci["on"])


def step_runs(job: dict[str, Any]) -> list[str]:
    return [step["run"] for step in job.get("steps", []) if "run" in step]


def artifacts(job: dict[str, Any], action: str) -> list[str]:
    return [s["with"]["name"] for s in job.get("steps", []) if action in s.get("uses", "")]


def test_ci_builds_once_for_linux_amd64_and_scans_and_pushes_that_image(ci) -> None:
    """One build; the scan and the push take the image itself, never a rebuild."""
    builds = [(job, a) for job, a in commands(ci) if a[0] == "build"]
    assert builds == [("image", ["build", "--platform", "linux/amd64", "--json"])]
    image = jobs(ci)["image"]
    assert "actions/cache" not in str(image["steps"])  # the job that makes what ships
    assert any(r.startswith("docker image save") for r in step_runs(image))
    assert artifacts(image, "upload-artifact") == ["image"]
    for name in ("scan", "publish"):
        assert artifacts(jobs(ci)[name], "download-artifact") == ["image"], name
    scan = [a for job, a in commands(ci) if job == "scan" and a[0] == "scan"]
    assert len(scan) == 1 and scan[0][scan[0].index("--image") + 1] == "VALUE/image.tar"
    push = [a for job, a in commands(ci) if job == "publish"]
    assert push == [["push", "--env", "staging", "--tag", "mycandidate:VALUE", "--json"]]
    assert {"image", "scan"} <= set(jobs(ci)["publish"]["needs"])
    # The image that ships verifies RDS: the pinned CA bundle is fetched before the build.
    runs = step_runs(image)
    fetch = runs.index("scripts/fetch-rds-ca.sh")
    assert fetch < next(i for i, r in enumerate(runs) if "./dev build" in r)


def test_ci_scan_checks_advisories_and_fails_what_it_could_not_check(ci) -> None:
    [scan] = [a for _, a in commands(ci) if a[0] == "scan"]
    assert "--advisories" in scan and "--no-allow-unknown" in scan
    assert "--allow-unknown" not in scan


def test_the_pushed_digest_is_what_deploy_receives(ci, deploy) -> None:
    publish = jobs(ci)["publish"]
    # Only deploy.yml's run on main pushes; pull requests and branches never reach AWS.
    assert "refs/heads/main" in publish["if"] and "push" in publish["if"]
    assert publish["environment"]["name"] == "staging"
    step = next(s for s in publish["steps"] if s.get("id") == "pushed")
    assert "GITHUB_OUTPUT" in step["run"] and ".digest" in step["run"] and ".remote" in step["run"]
    assert publish["outputs"] == {
        "digest": "${{ steps.pushed.outputs.digest }}",
        "image": "${{ steps.pushed.outputs.image }}",
    }
    outputs = ci["on"]["workflow_call"]["outputs"]
    assert outputs["digest"]["value"] == "${{ jobs.publish.outputs.digest }}"
    assert outputs["image"]["value"] == "${{ jobs.publish.outputs.image }}"
    for name in ("staging", "production"):
        assert jobs(deploy)[name]["env"]["IMAGE"] == "${{ needs.checks.outputs.digest }}"
        assert "checks" in jobs(deploy)[name]["needs"]
    assert jobs(deploy)["production"]["env"]["STAGING_IMAGE"] == "${{ needs.checks.outputs.image }}"


def test_deploy_never_builds_or_pushes_an_image(deploy) -> None:
    verbs = {a[0] for _, a in commands(deploy)}
    assert verbs == {"deploy", "promote"}
    scripts = " ".join(r for job in jobs(deploy).values() for r in step_runs(job))
    assert "docker" not in scripts and "build" not in scripts
    assert "artifact" not in str(deploy)


def test_ci_uploads_the_scan_sarif_to_code_scanning(ci) -> None:
    scan = jobs(ci)["scan"]
    upload = [s for s in scan["steps"] if "upload-sarif" in s.get("uses", "")]
    assert upload and upload[0]["with"]["sarif_file"] == "out/scan.sarif"
    assert scan["permissions"]["security-events"] == "write"


def test_ci_tests_run_on_the_app_images_base(ci) -> None:
    """The suites see the same Debian packages as the image (Dockerfile's pinned BASE_IMAGE)."""
    base = re.search(r"^ARG BASE_IMAGE=(\S+)$", (ROOT / "Dockerfile").read_text(), re.M)
    assert base is not None and "@sha256:" in base.group(1)
    assert jobs(ci)["test"]["container"]["image"] == base.group(1)


def test_deploy_runs_checks_then_staging_then_approved_production(deploy) -> None:
    j = jobs(deploy)
    assert j["checks"]["uses"] == "./.github/workflows/ci.yml"
    assert j["staging"]["needs"] == "checks"
    assert j["production"]["needs"] == ["checks", "staging"]
    assert set(deploy["on"]) <= {"push", "workflow_dispatch"}
    assert deploy["on"]["push"]["branches"] == ["main"]
    staging = [a for job, a in commands(deploy) if job == "staging"]
    assert staging == [["deploy", "--env", "staging", "--image", "EXPR", "--migrate"]]
    production = [a for job, a in commands(deploy) if job == "production"]
    assert production == [
        # The digest staging tested, copied by digest and verified, before it is deployed.
        ["promote", "--from", "EXPR", "--to", "prod", "--image", "EXPR"],
        ["deploy", "--env", "prod", "--image", "EXPR", "--migrate", "--strategy", "canary"],
    ]


def test_each_environment_deploys_alone_and_never_cancels_a_release(deploy) -> None:
    groups = set()
    for name in ("staging", "production"):
        concurrency = jobs(deploy)[name]["concurrency"]
        assert concurrency["cancel-in-progress"] is False
        groups.add(concurrency["group"])
    assert len(groups) == 2


def session_seconds() -> int:
    """The deploy role's max_session_duration, as modules/stack sets it by default."""
    text = (ROOT / "infra" / "modules" / "stack" / "variables.tf").read_text()
    block = text[text.index('variable "deploy_session_seconds"') :]
    found = re.search(r"default\s*=\s*(\d+)", block)
    assert found, "deploy_session_seconds has no default"
    return int(found.group(1))


def test_aws_access_is_oidc_only_and_only_where_a_deploy_runs(deploy, ci) -> None:
    for doc in (ci, deploy):
        for name, job in jobs(doc).items():
            if "uses" in job:  # a reusable workflow: its own jobs are checked in its file
                assert (job.get("permissions") or {}).get("id-token") == "write"
                continue
            assumes = [
                s for s in job.get("steps", []) if "configure-aws-credentials" in s.get("uses", "")
            ]
            oidc = (job.get("permissions") or {}).get("id-token") == "write"
            assert oidc == bool(assumes), name
            for step in assumes:
                given = set(step["with"]) - {"role-duration-seconds"}
                assert given == {"role-to-assume", "role-session-name", "aws-region"}
                if doc is deploy:
                    # A release may outlast the default hour; the role allows its maximum.
                    assert step["with"]["role-duration-seconds"] == session_seconds()
    text = "".join(p.read_text() for p in FILES)
    assert "aws-access-key-id" not in text and "AWS_SECRET_ACCESS_KEY" not in text


def test_github_environments_are_the_ones_infra_trusts(deploy, ci) -> None:
    """Each deploy role trusts one GitHub environment's subject; the jobs must run in it."""
    trusted = {}
    for env in ("staging", "prod"):
        main = (ROOT / "infra" / "envs" / env / "main.tf").read_text()
        found = re.search(r'github_environment\s*=\s*"([^"]+)"', main)
        assert found, env
        trusted[env] = found.group(1)
    assert trusted == {"staging": "staging", "prod": "production"}
    assert jobs(deploy)["staging"]["environment"]["name"] == trusted["staging"]
    assert jobs(ci)["publish"]["environment"]["name"] == trusted["staging"]
    assert jobs(deploy)["production"]["environment"]["name"] == trusted["prod"]
    # Every job that assumes a role runs in an environment.
    for doc in (ci, deploy):
        for name, job in jobs(doc).items():
            if (job.get("permissions") or {}).get("id-token") == "write" and "uses" not in job:
                assert job["environment"]["name"] in trusted.values(), name


def test_provider_lock_job_adds_linux_and_macos_hashes_in_every_root() -> None:
    doc = load(WORKFLOWS / "provider-locks.yml")
    [job] = jobs(doc).values()
    assert job["permissions"] == {"contents": "read"}
    roots = {row["root"] for row in matrix_rows(job)}
    tf_files = [str(p.relative_to(ROOT / "infra")) for p in (ROOT / "infra").rglob("*.tf")]
    assert roots == {f"infra/{r}" for r in find_roots(tf_files)}
    assert all((ROOT / root / ".terraform.lock.hcl").is_file() for root in roots)
    runs = step_runs(job)
    [lock] = [r for r in runs if " providers lock " in r]
    platforms = re.findall(r"-platform=(\S+)", lock)
    assert platforms == ["linux_amd64", "darwin_amd64", "darwin_arm64"]
    # It fails when the committed file lacked them (after the lock, before the upload).
    assert runs.index(lock) < runs.index('git diff --exit-code -- "$ROOT/.terraform.lock.hcl"')
    assert {"schedule", "pull_request", "workflow_dispatch"} <= set(doc["on"])


# ------------------------------------------------------------------ the rules can fail

BAD = """
name: bad
on: {issues: {}}
permissions: write-all
jobs:
  greet:
    runs-on: ubuntu-24.04
    steps:
      - uses: actions/checkout@v4
      - uses: actions/setup-python@a26af69be951a213d495a4c3e4e4022e16d87065
      - run: echo "${{ github.event.issue.title }}"
      - run: ./dev scna --sarif x.sarif
      - run: opsctl deploy --env staging --strategy yolo
      - run: opsctl run-task --env staging -- opsctl db upgrayedd
      - run: opsctl infra
"""


def test_rules_catch_a_planted_bad_workflow(tmp_path) -> None:
    path = tmp_path / "bad.yml"
    path.write_text(BAD)
    doc = load(path)
    assert unpinned_actions(doc) == ["greet: actions/checkout@v4"]
    assert unlabelled_pins(BAD) == [
        "- uses: actions/setup-python@a26af69be951a213d495a4c3e4e4022e16d87065"
    ]
    assert permission_problems(doc) == [
        "workflow: top-level permissions must be {}",
        "greet: no permissions block (or a blanket None)",
    ]
    assert expressions_in_scripts(doc) == ["greet: ${{ github.event.issue.title }}"]
    problems = bad_commands(doc)
    assert len(problems) == 4
    assert "opsctl has no command 'scna'" in problems[0]
    assert "yolo" in problems[1]
    assert "opsctl db has no command 'upgrayedd'" in problems[2]
    assert "opsctl infra: no command given" in problems[3]


def test_good_commands_parse() -> None:
    assert check_command(["test", "unit", "--junit", "out/j.xml"]) is None
    assert check_command(["run-task", "--env", "prod", "--", "opsctl", "db", "upgrade"]) is None
    assert check_command(["test", "everything"]) is not None
    assert check_command(["lint", "--no-such-flag"]) is not None
