"""The README opens with the two-command quick start and lists every opsctl command."""

from __future__ import annotations

import re
from pathlib import Path

import typer

from opsctl.app import app

README = (Path(__file__).resolve().parents[2] / "README.md").read_text()


def command_paths() -> list[str]:
    """`serve`, `db upgrade`, ...: every command a user can run, from the real CLI."""
    root = typer.main.get_command(app)
    ctx = root.make_context("opsctl", [], resilient_parsing=True)
    paths = []
    for name in root.list_commands(ctx):
        sub = root.get_command(ctx, name)
        if hasattr(sub, "list_commands"):  # a group: list its commands
            paths += [f"{name} {child}" for child in sub.list_commands(ctx)]
        else:
            paths.append(name)
    return paths


def test_quick_start_comes_first() -> None:
    lines = README.splitlines()
    assert lines[0] == "# MyCandidate"
    quick = lines[lines.index("```sh") + 1 : lines.index("```", lines.index("```sh") + 1)]
    assert [line.split()[:2] for line in quick] == [["./dev", "serve"], ["./dev", "test"]]
    assert lines.index("```sh") < 4


def test_every_opsctl_command_is_in_the_overview() -> None:
    overview = README[README.index("## opsctl") :]
    overview = overview[: overview.index("\n## ", 1)]
    listed = set(re.findall(r"`opsctl ([a-z-]+(?: [a-z][a-z-]*)?)", overview))
    paths = command_paths()
    assert len(paths) > 10
    missing = [p for p in paths if p not in listed and p.split()[0] not in listed]
    assert missing == []
    # Nothing in the table that the CLI does not have.
    assert {item.split()[0] for item in listed} <= {p.split()[0] for p in paths}


def test_every_setting_the_app_reads_is_documented() -> None:
    root = Path(__file__).resolve().parents[2]
    names = set()
    for source in ("mycandidate/settings.py", "mycandidate/gunicorn_conf.py"):
        text = (root / source).read_text()
        names |= set(
            re.findall(r"""(?:\benv|\bos\.environ)\.get\(\s*["']([A-Z][A-Z0-9_]+)["']""", text)
        )
    config = README[README.index("## Configuration") :]
    assert {"DATABASE_URL", "SECRET_KEY", "WEB_CONCURRENCY"} <= names
    assert sorted(n for n in names if f"`{n}`" not in config) == []
