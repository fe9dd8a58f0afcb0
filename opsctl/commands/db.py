"""opsctl db: schema migrations (Alembic), the same on SQLite and PostgreSQL."""

from __future__ import annotations

from typing import TYPE_CHECKING

import typer

from opsctl.errors import OpsError
from opsctl.output import print_json, stderr, stdout

if TYPE_CHECKING:
    from mycandidate.migrate import UpgradeResult

db_app = typer.Typer(
    help="Database schema: upgrade, show the current revision.", no_args_is_help=True
)


def register(app: typer.Typer) -> None:
    app.add_typer(db_app, name="db")


def upgrade_schema() -> UpgradeResult:
    """Upgrade to head under the migration lock, then create or update the app role if set."""
    from sqlalchemy.exc import SQLAlchemyError

    from mycandidate.migrate import upgrade
    from mycandidate.roles import AppRole, RoleError
    from opsctl.appconfig import app_settings, database_error, engine

    settings = app_settings()
    role = None
    if settings.app_role and settings.app_role_password:
        role = AppRole(settings.app_role, settings.app_role_password)
    eng = engine(settings)
    try:
        result = upgrade(eng, app_role=role)
    except RoleError as exc:
        raise OpsError(str(exc), hint="check MYCANDIDATE_APP_ROLE and the migrating user") from exc
    except SQLAlchemyError as exc:
        raise database_error(exc, settings) from exc
    finally:
        eng.dispose()
    for note in result.notes:
        stderr().print(f"warning: {note}")
    return result


@db_app.command("upgrade")
def upgrade_cmd(json_output: bool = typer.Option(False, "--json", help="Print JSON.")) -> None:
    """Apply every pending migration to DATABASE_URL, one run at a time.

    On PostgreSQL it holds an advisory lock for the whole upgrade. With
    MYCANDIDATE_APP_ROLE and MYCANDIDATE_APP_ROLE_PASSWORD set it then creates or updates
    that LOGIN role (password set every run) with read-only access for the app.

    Example: DATABASE_URL=postgresql+psycopg://app@db/app opsctl db upgrade
    """
    result = upgrade_schema()
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
    from sqlalchemy.exc import SQLAlchemyError

    from mycandidate.migrate import current_revision, head_revision
    from opsctl.appconfig import app_settings, database_error, engine

    settings = app_settings()
    eng = engine(settings)
    try:
        current = current_revision(eng)
    except SQLAlchemyError as exc:
        raise database_error(exc, settings) from exc
    finally:
        eng.dispose()
    head = head_revision()
    state = "up to date" if current == head else "upgrade needed"
    stdout().print(f"current {current or 'empty'}, head {head} ({state})")
