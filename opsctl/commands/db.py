"""opsctl db: schema migrations (Alembic), the same on SQLite and PostgreSQL."""

from __future__ import annotations

import typer

from opsctl.output import print_json, stdout

db_app = typer.Typer(
    help="Database schema: upgrade, show the current revision.", no_args_is_help=True
)


def register(app: typer.Typer) -> None:
    app.add_typer(db_app, name="db")


def upgrade_schema() -> tuple[str | None, str | None]:
    """Upgrade to head; return (revision before, revision after)."""
    from sqlalchemy.exc import SQLAlchemyError

    from mycandidate.migrate import current_revision, upgrade
    from opsctl.appconfig import app_settings, database_error, engine

    settings = app_settings()
    eng = engine(settings)
    try:
        before = current_revision(eng)
        upgrade(eng)
        return before, current_revision(eng)
    except SQLAlchemyError as exc:
        raise database_error(exc, settings) from exc
    finally:
        eng.dispose()


@db_app.command("upgrade")
def upgrade_cmd(json_output: bool = typer.Option(False, "--json", help="Print JSON.")) -> None:
    """Apply every pending migration to DATABASE_URL.

    Example: DATABASE_URL=postgresql+psycopg://app@db/app opsctl db upgrade
    """
    before, after = upgrade_schema()
    if json_output:
        print_json({"before": before, "after": after, "changed": before != after})
    elif before == after:
        stdout().print(f"database already at revision {after}")
    else:
        stdout().print(f"database upgraded from {before or 'empty'} to {after}")


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
