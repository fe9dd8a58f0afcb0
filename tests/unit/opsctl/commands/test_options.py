"""Shared options: one spelling each, and --env required wherever a verb targets one."""

from __future__ import annotations

import click
import pytest
import typer.main
from typer.testing import CliRunner

from opsctl.app import app

ROOT = typer.main.get_command(app)


def commands(group: click.Group = ROOT, prefix: str = "") -> dict[str, click.Command]:
    found: dict[str, click.Command] = {}
    for name, command in group.commands.items():  # type: ignore[attr-defined]
        if isinstance(command, click.Group):
            found |= commands(command, f"{prefix}{name} ")
        else:
            found[f"{prefix}{name}"] = command
    return found


COMMANDS = commands()


def option(command: click.Command, flag: str) -> click.Option | None:
    return next((p for p in command.params if isinstance(p, click.Option) and flag in p.opts), None)


def test_every_verb_is_found() -> None:
    assert {"push", "deploy", "status", "data load", "infra output"} <= set(COMMANDS)


@pytest.mark.parametrize("name", sorted(n for n in COMMANDS if option(COMMANDS[n], "--env")))
def test_env_is_required_where_a_verb_targets_an_environment(name: str) -> None:
    env = option(COMMANDS[name], "--env")
    assert env is not None
    # `infra output` reads a root: --env names it, or --root gives another one.
    assert env.required or name == "infra output"


@pytest.mark.parametrize("flag", ["--json", "--path", "--dry-run", "--timeout"])
def test_a_shared_flag_has_one_parameter_name(flag: str) -> None:
    names = {o.name for c in COMMANDS.values() if (o := option(c, flag)) is not None}
    assert len(names) == 1, names


def test_push_without_env_is_a_usage_error_not_staging() -> None:
    result = CliRunner().invoke(app, ["push"], env={"NO_COLOR": "1", "COLUMNS": "200"})
    assert result.exit_code == 2
    assert "--env" in result.output


def test_debug_lands_on_the_context() -> None:
    seen = []

    @app.command("probe-debug", hidden=True)
    def probe(ctx: typer.Context) -> None:
        seen.append(ctx.find_root().obj.debug)

    try:
        CliRunner().invoke(app, ["--debug", "probe-debug"], catch_exceptions=False)
        CliRunner().invoke(app, ["probe-debug"], catch_exceptions=False)
    finally:
        app.registered_commands.pop()
    assert seen == [True, False]


@pytest.mark.parametrize("name", sorted(COMMANDS))
def test_a_command_function_is_named_after_its_verb(name: str) -> None:
    callback = COMMANDS[name].callback
    assert callback is not None
    assert callback.__name__ == name.split()[-1].replace("-", "_") + "_cmd"
