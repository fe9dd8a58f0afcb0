"""opsctl db: schema migrations (Alembic), the same on SQLite and PostgreSQL."""

from __future__ import annotations

import typer

from opsctl.commands import _options
from opsctl.output import print_json, stderr, stdout

db_app = typer.Typer(
    help="Database schema: upgrade, show the current revision.", no_args_is_help=True
)


def register(app: typer.Typer) -> None:
    app.add_typer(db_app, name="db")


@db_app.command("upgrade")
def upgrade_cmd(json_output: bool = _options.JSON) -> None:
    """Apply every pending migration to DATABASE_URL, one run at a time.

    On PostgreSQL it holds an advisory lock for the whole upgrade. With
    MYCANDIDATE_APP_ROLE and MYCANDIDATE_APP_ROLE_PASSWORD set it then creates or updates
    that LOGIN role (password set every run) with read-only access for the app.

    Example: DATABASE_URL=postgresql+psycopg://app@db/app opsctl db upgrade
    """
    from opsctl.services.database import upgrade_schema

    result = upgrade_schema(on_note=lambda note: stderr().print(f"warning: {note}"))
    before, after = result.before, result.after
    if json_output:
        print_json(
            {"before": before, "after": after, "changed": before != after, "role": result.role}
        )
        return
    if before == after:
        stdout().print(f"database already at revision {after}")
    else:
        stdout().print(f"database upgraded from {before or 'empty'} to {after}")
    if result.role:
        stdout().print(f"app role {result.role}: login, read-only access granted")


@db_app.command("current")
def current_cmd() -> None:
    """Print the database's schema revision and the latest one.

    Example: opsctl db current
    """
    from opsctl.services.database import schema_revision

    revision = schema_revision()
    state = "up to date" if revision.up_to_date else "upgrade needed"
    stdout().print(f"current {revision.current or 'empty'}, head {revision.head} ({state})")
