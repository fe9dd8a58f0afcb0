"""The app's database: upgrade the schema, load datasets, prepare an empty one for serving."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from opsctl.errors import EXIT_USAGE, OpsError, PrerequisiteError

if TYPE_CHECKING:
    from sqlalchemy import Engine

    from mycandidate.importer import LoadReport
    from mycandidate.migrate import UpgradeResult
    from mycandidate.settings import Settings

# What `serve --prepare` loads into an empty database.
DEFAULT_DATASET = "kenya-2022"

Note = Callable[[str], None]


def _ignore(_: str) -> None:
    return None


@dataclass(frozen=True)
class Revision:
    current: str | None
    head: str | None

    @property
    def up_to_date(self) -> bool:
        return self.current == self.head


def upgrade_schema(on_note: Note = _ignore) -> UpgradeResult:
    """Upgrade to head under the migration lock, then create or update the app role if set."""
    from sqlalchemy.exc import SQLAlchemyError

    from mycandidate.migrate import upgrade
    from mycandidate.roles import AppRole, RoleError
    from opsctl.settings import app_settings

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
        on_note(note)
    return result


def schema_revision() -> Revision:
    """The database's schema revision and the latest one."""
    from sqlalchemy.exc import SQLAlchemyError

    from mycandidate.migrate import current_revision, head_revision
    from opsctl.settings import app_settings

    settings = app_settings()
    eng = engine(settings)
    try:
        current = current_revision(eng)
    except SQLAlchemyError as exc:
        raise database_error(exc, settings) from exc
    finally:
        eng.dispose()
    return Revision(current, head_revision())


def load_dataset(
    name: str | None,
    *,
    settings_file: Path | None = None,
    data_dir: Path | None = None,
    dry_run: bool = False,
    offline: bool = False,
    on_note: Note = _ignore,
) -> LoadReport:
    """Load one dataset in one transaction; ImportFailed becomes an OpsError."""
    from sqlalchemy.exc import SQLAlchemyError

    from mycandidate.importer import ImportFailed, load_named, load_upstream
    from opsctl.settings import app_settings

    settings = app_settings()
    upgrade_schema(on_note)
    eng = engine(settings)
    try:
        if settings_file is not None:
            if data_dir is None:
                raise OpsError("--settings needs --data-dir", exit_code=EXIT_USAGE)
            return load_upstream(eng, settings_file, data_dir, name=name, dry_run=dry_run)
        if name is None:
            raise OpsError("name a dataset, or pass --settings", exit_code=EXIT_USAGE)
        return load_named(
            eng,
            name,
            data_dir=data_dir or settings.data_dir,
            cache_dir=settings.cache_dir,
            offline=offline,
            dry_run=dry_run,
        )
    except ImportFailed as exc:
        raise OpsError(f"nothing loaded: {exc}", hint=exc.hint) from exc
    except SQLAlchemyError as exc:
        raise database_error(exc, settings) from exc
    finally:
        eng.dispose()


def prepare_database(dataset: str | None, on_note: Note = _ignore) -> str | None:
    """Upgrade the schema; on an empty database load the default dataset. Returns what it loaded."""
    from sqlalchemy.orm import Session

    from mycandidate.queries import active_dataset
    from opsctl.settings import app_settings

    upgrade_schema(on_note)
    eng = engine(app_settings())
    try:
        with Session(eng) as session:
            present = active_dataset(session, dataset)
    finally:
        eng.dispose()
    if present is not None:
        return None
    name = dataset or DEFAULT_DATASET
    load_dataset(name, on_note=on_note)
    return name


def list_datasets() -> list[dict[str, Any]]:
    """The named datasets with their origin and file checksums."""
    from mycandidate.importer import DATASETS

    return [
        {
            "name": spec.name,
            "title": spec.title,
            "origin": spec.origin,
            "files": [{"name": f.name, "sha256": f.sha256, "url": f.url} for f in spec.files],
        }
        for spec in DATASETS.values()
    ]


def engine(settings: Settings) -> Engine:
    from sqlalchemy.exc import ArgumentError

    from mycandidate.db import make_engine

    try:
        return make_engine(settings.sqlalchemy_url)
    except (ArgumentError, ImportError) as exc:
        raise PrerequisiteError(
            f"DATABASE_URL is not usable: {exc}",
            # The example is split so it never reads as a credential to a secret scanner.
            hint="e.g. postgresql+psycopg://USER:"
            + "PASSWORD@HOST:5432/DB or sqlite:////path/db.sqlite3",
        ) from exc


def database_error(exc: Exception, settings: Settings) -> OpsError:
    from sqlalchemy.engine import make_url

    where = make_url(settings.sqlalchemy_url).render_as_string(hide_password=True)
    reason = str(getattr(exc, "orig", None) or exc).strip().splitlines()[0]
    return OpsError(f"database {where}: {reason}", hint="is the database running and reachable?")
