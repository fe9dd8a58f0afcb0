"""Importer: read -> parse -> load, for named datasets and the upstream settings format."""

from __future__ import annotations

import hashlib
from pathlib import Path

from sqlalchemy import Engine
from sqlalchemy.orm import Session

from mycandidate.importer.catalog import DATASETS
from mycandidate.importer.errors import ImportFailed, RowError
from mycandidate.importer.load import LoadReport, write_dataset
from mycandidate.importer.locate import LocatedFile, locate_files
from mycandidate.importer.parse import parse_dataset
from mycandidate.importer.readers import read_table
from mycandidate.importer.specs import DatasetSpec
from mycandidate.importer.upstream import dataset_from_settings

__all__ = [
    "DATASETS",
    "ImportFailed",
    "LoadReport",
    "RowError",
    "load_named",
    "load_spec",
    "load_upstream",
]


def load_named(
    engine: Engine,
    name: str,
    *,
    data_dir: Path | None,
    cache_dir: Path,
    offline: bool = False,
    dry_run: bool = False,
) -> LoadReport:
    """Load a dataset from the catalog (files from data dir, cache or its public origin)."""
    spec = DATASETS.get(name)
    if spec is None:
        raise ImportFailed(
            RowError(name, None, "no such dataset"), hint=f"known datasets: {', '.join(DATASETS)}"
        )
    located = locate_files(spec, data_dir, cache_dir, offline=offline)
    report = load_spec(engine, spec, {f.spec.name: f.path for f in located}, dry_run=dry_run)
    report.warnings.extend(_checksum_warnings(located))
    return report


def load_upstream(
    engine: Engine,
    settings_file: Path,
    data_dir: Path,
    *,
    name: str | None = None,
    dry_run: bool = False,
) -> LoadReport:
    """Load the original app's format: a settings workbook plus the CSV files it names."""
    spec = dataset_from_settings(settings_file, data_dir, name)
    return load_spec(engine, spec, {f.name: data_dir / f.name for f in spec.files}, dry_run=dry_run)


def load_spec(
    engine: Engine, spec: DatasetSpec, paths: dict[str, Path], *, dry_run: bool = False
) -> LoadReport:
    """Parse everything first, then write in one transaction: a failure changes nothing."""
    tables = {name: read_table(path) for name, path in paths.items()}
    version = _version(spec)
    parsed = parse_dataset(spec, tables, version=version, source=spec.origin)
    with Session(engine) as session, session.begin():
        return write_dataset(session, parsed, dry_run=dry_run)


def _version(spec: DatasetSpec) -> str:
    digest = hashlib.sha256()
    for file in spec.files:
        digest.update(f"{file.name}:{file.sha256}\n".encode())
    return digest.hexdigest()[:16]


def _checksum_warnings(located: list[LocatedFile]) -> list[str]:
    return [
        f"{f.path} differs from the published file (sha256 {f.sha256[:12]}…, "
        f"expected {f.spec.sha256[:12]}…)"
        for f in located
        if not f.verified
    ]
