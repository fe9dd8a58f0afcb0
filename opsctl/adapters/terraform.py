"""Terraform through the one program runner, with providers only from a local mirror.

Every call gets `TF_CLI_CONFIG_FILE` pointing at a CLI configuration (written
into opsctl's cache) whose only installation method is the filesystem mirror,
and a `TF_DATA_DIR` per root in the cache, so nothing is downloaded and the
checkout gets no `.terraform/` folders.
"""

from __future__ import annotations

import hashlib
import logging
import shutil
import tempfile
from dataclasses import dataclass
from pathlib import Path

from opsctl.adapters import tools
from opsctl.core import terraform as tf
from opsctl.errors import OpsError, PrerequisiteError

log = logging.getLogger(__name__)

INIT_TIMEOUT = 300.0
DEFAULT_TIMEOUT = 600.0


def find_mirror(explicit: Path | None = None) -> Path:
    """The provider mirror: `explicit` (OPSCTL_TF_PLUGIN_MIRROR) or the first known path."""
    candidates = [explicit] if explicit else [Path(p).expanduser() for p in tf.KNOWN_MIRRORS]
    for path in candidates:
        if path is not None and (path / tf.REQUIRED_PROVIDER).is_dir():
            return path.resolve()
    where = str(explicit) if explicit else ", ".join(tf.KNOWN_MIRRORS)
    raise PrerequisiteError(
        f"no Terraform provider mirror with {tf.REQUIRED_PROVIDER} in {where}",
        hint="set OPSCTL_TF_PLUGIN_MIRROR to a folder made by "
        "`terraform providers mirror DIR` (opsctl never downloads providers)",
    )


@dataclass(frozen=True)
class Terraform:
    """A terraform binary bound to one provider mirror and one cache folder."""

    binary: str
    mirror: Path
    cache_dir: Path

    @classmethod
    def create(cls, mirror: Path | None = None, cache_dir: Path | None = None) -> Terraform:
        binary = shutil.which("terraform")
        if binary is None:
            raise PrerequisiteError(
                "terraform is not installed",
                hint="install Terraform 1.11 (https://developer.hashicorp.com/terraform/install)",
            )
        if cache_dir is None:
            from platformdirs import user_cache_path

            cache_dir = user_cache_path("opsctl") / "terraform"
        found = find_mirror(mirror)
        cache_dir.mkdir(parents=True, exist_ok=True)
        (cache_dir / "cli.tfrc").write_text(tf.cli_config(str(found)))
        return cls(binary, found, cache_dir)

    def env(self, root: Path) -> dict[str, str]:
        # One data dir per root path: copies of a root never share provider state.
        slug = hashlib.sha256(str(root.resolve()).encode()).hexdigest()[:16]
        return {
            "TF_CLI_CONFIG_FILE": str(self.cache_dir / "cli.tfrc"),
            "TF_DATA_DIR": str(self.cache_dir / "data" / f"{root.name}-{slug}"),
            "TF_IN_AUTOMATION": "1",
            "TF_INPUT": "0",
            "CHECKPOINT_DISABLE": "1",
        }

    def run(
        self,
        root: Path,
        *args: str,
        timeout: float = DEFAULT_TIMEOUT,
        env: dict[str, str] | None = None,
        check: bool = True,
    ) -> tools.Completed:
        """`terraform -chdir=root args...`; a non-zero exit raises OpsError when `check`."""
        argv = [self.binary, f"-chdir={root}", *args]
        log.info("terraform %s (%s)", " ".join(args), root)
        done = tools.run(argv, timeout=timeout, env={**self.env(root), **(env or {})})
        if done.returncode != 0:
            log.debug("terraform stderr:\n%s", done.stderr)
        if check and done.returncode != 0:
            raise OpsError(
                f"terraform {args[0]} failed in {root}: {tf.first_error(done.stderr)}",
                hint="rerun with --debug for Terraform's full output",
            )
        return done

    def init(self, root: Path, *, backend: bool, env: dict[str, str] | None = None) -> None:
        """Install providers from the mirror; the committed lock file must already match."""
        self.run(
            root,
            "init",
            "-input=false",
            "-no-color",
            "-lockfile=readonly",
            f"-backend={str(backend).lower()}",
            timeout=INIT_TIMEOUT,
            env=env,
        )

    def validate(self, root: Path) -> list[tf.Diagnostic]:
        done = self.run(root, "validate", "-json", "-no-color", check=False)
        return tf.parse_validate(done.stdout)

    def unformatted(self, folder: Path) -> list[str]:
        """Files under `folder` that `terraform fmt` would rewrite."""
        done = self.run(folder, "fmt", "-check", "-recursive", "-no-color", check=False)
        # A non-zero exit that lists files means "needs formatting"; listing none, a failure.
        if done.returncode != 0 and not done.stdout.strip():
            raise OpsError(f"terraform fmt failed in {folder}: {tf.first_error(done.stderr)}")
        return tf.parse_fmt(done.stdout)

    def test(self, folder: Path, env: dict[str, str] | None = None) -> list[tf.Diagnostic]:
        """`terraform test` (mocked providers, plan only) in a module folder."""
        self.run(folder, "init", "-input=false", "-no-color", "-backend=false", env=env)
        done = self.run(folder, "test", "-no-color", check=False, env=env)
        return tf.parse_test(done.stdout, done.stderr, done.returncode)

    def output(self, root: Path, env: dict[str, str] | None = None) -> dict[str, object]:
        done = self.run(root, "output", "-json", "-no-color", timeout=120, env=env)
        return tf.output_values(done.stdout)


def validate_all(terraform: Terraform, infra: Path) -> tf.ValidateReport:
    """`fmt -check` over infra/; init (backend off, mirror only) and validate each root;
    `terraform test` in each module that has tests."""
    if not infra.is_dir():
        raise PrerequisiteError(f"{infra} does not exist", hint="run from the repository root")
    files = [str(p.relative_to(infra)) for p in infra.rglob("*") if p.is_file()]
    results = []
    for name in tf.find_roots(files):
        root = infra / name
        result = tf.RootResult(name)
        try:
            terraform.init(root, backend=False)
        except OpsError as exc:
            result.diagnostics.append(tf.Diagnostic("error", exc.message))
        else:
            result.diagnostics.extend(terraform.validate(root))
        results.append(result)
    results.extend(_module_tests(terraform, infra, tf.find_tested_modules(files)))
    return tf.ValidateReport(results, terraform.unformatted(infra))


def _module_tests(terraform: Terraform, infra: Path, modules: list[str]) -> list[tf.RootResult]:
    """Modules carry no lock file, so their tests run in a scratch copy of infra/: init
    writes nothing into the checkout, and the scratch data dirs go with the copy."""
    if not modules:
        return []
    results = []
    with tempfile.TemporaryDirectory(prefix="opsctl-tftest-") as scratch:
        copy = Path(scratch) / "infra"
        shutil.copytree(infra, copy, ignore=shutil.ignore_patterns(".terraform"))
        for name in modules:
            result = tf.RootResult(f"{name} (terraform test)")
            env = {"TF_DATA_DIR": str(Path(scratch) / "data" / name.replace("/", "-"))}
            try:
                result.diagnostics.extend(terraform.test(copy / name, env=env))
            except OpsError as exc:
                result.diagnostics.append(tf.Diagnostic("error", exc.message))
            results.append(result)
    return results
