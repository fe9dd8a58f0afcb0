"""One module per verb; each exposes register(app). Kept import-light: typer only."""

# Order is the order shown in `opsctl --help`.
COMMAND_MODULES = (
    "serve",
    "db",
    "data",
    "test",
    "lint",
    "build",
    "compose",
    "push",
    "promote",
    "deploy",
    "continue_",
    "smoke",
    "status",
    "rollback",
    "run_task",
    "scan",
    "diagram",
    "infra",
)
