"""Load kenya-2022 into PostgreSQL and SQLite and print how long it takes.

Each repeat loads into a fresh, migrated database (read, parse and write in one
transaction, exactly as `opsctl data load` does); the median is reported next to the
upstream app's measured seeding time. PostgreSQL is a throwaway server started from
the installed binaries.

    MYCANDIDATE_DATA_DIR=../shared/data .venv/bin/python benchmarks/load.py --repeats 5
"""

from __future__ import annotations

import sys

# benchmarks/http.py shares its name with the standard library's `http` package: keep
# this folder off the import path, or `import urllib.request` would find that file. The
# repository root takes its place, for the test servers in tests/support/.
if sys.path and sys.path[0].rstrip("/").endswith("benchmarks"):
    sys.path[0] = sys.path[0].rstrip("/").removesuffix("benchmarks").rstrip("/") or "."

import argparse
import os
import statistics
import tempfile
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

import sqlalchemy as sa

from mycandidate.db import make_engine
from mycandidate.importer import LoadReport, load_named
from mycandidate.migrate import upgrade

DATASET = "kenya-2022"
# The original app seeding the 12,996 Kenyan ward candidates on this kind of machine
# (one DDL statement and one INSERT per row): 16-18 s. See docs/performance.md.
UPSTREAM_SECONDS = (16.0, 18.0)
UPSTREAM_ROWS = 12_996


@contextmanager
def sqlite_databases(workdir: Path) -> Iterator[Callable[[int], str]]:
    yield lambda n: f"sqlite:///{workdir / f'load{n}.sqlite3'}"


@contextmanager
def postgres_databases(workdir: Path) -> Iterator[Callable[[int], str]]:
    from tests.support.servers import postgres

    # PostgreSQL runs as the postgres user when we are root: its directory must be its own.
    with postgres(Path(tempfile.mkdtemp(prefix="bench-pg-", dir=workdir))) as server:
        admin = sa.create_engine(server.url, isolation_level="AUTOCOMMIT")

        def fresh(n: int) -> str:
            with admin.connect() as connection:
                connection.execute(sa.text(f"CREATE DATABASE load{n}"))
            return server.url.rsplit("/", 1)[0] + f"/load{n}"

        try:
            yield fresh
        finally:
            admin.dispose()


BACKENDS = {"sqlite": sqlite_databases, "postgresql": postgres_databases}


def time_load(url: str, data_dir: Path | None, cache_dir: Path) -> tuple[float, LoadReport]:
    engine = make_engine(url)
    try:
        upgrade(engine)  # the schema is not part of the load being measured
        started = time.perf_counter()
        report = load_named(engine, DATASET, data_dir=data_dir, cache_dir=cache_dir)
        return time.perf_counter() - started, report
    finally:
        engine.dispose()


def run(backends: list[str], repeats: int, data_dir: Path | None) -> None:
    print(f"dataset {DATASET}, {repeats} fresh loads per backend, {os.cpu_count()} CPUs")
    with tempfile.TemporaryDirectory(prefix="bench-load-") as tmp:
        workdir = Path(tmp)
        os.chmod(workdir, 0o755)  # the postgres user must reach its directory
        for backend in backends:
            with BACKENDS[backend](workdir) as fresh_database:
                seconds: list[float] = []
                report: LoadReport | None = None
                for n in range(repeats):
                    elapsed, report = time_load(fresh_database(n), data_dir, workdir / "cache")
                    seconds.append(elapsed)
                assert report is not None
                print_result(backend, seconds, report)


def print_result(backend: str, seconds: list[float], report: LoadReport) -> None:
    median = statistics.median(seconds)
    rows = report.candidates
    upstream_rate = (UPSTREAM_ROWS / UPSTREAM_SECONDS[1], UPSTREAM_ROWS / UPSTREAM_SECONDS[0])
    runs = ", ".join(f"{s:.2f}" for s in seconds)
    print(f"\n{backend}")
    print(f"  runs (s)           {runs}")
    areas = sum(report.areas.values())
    print(f"  median             {median:.2f} s for {rows:,} candidates, {report.parties} parties,")
    print(f"                     {areas:,} areas, {len(report.ballots)} ballots")
    print(f"  rows/second        {rows / median:,.0f}")
    print(
        f"  vs upstream        {UPSTREAM_SECONDS[0]:.0f}-{UPSTREAM_SECONDS[1]:.0f} s for "
        f"{UPSTREAM_ROWS:,} ward rows alone: "
        f"{UPSTREAM_SECONDS[0] / median:.0f}-{UPSTREAM_SECONDS[1] / median:.0f}x less time, "
        f"{rows / median / upstream_rate[1]:.0f}-{rows / median / upstream_rate[0]:.0f}x the rows/s"
    )


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--repeats", type=int, default=3, help="fresh loads per backend")
    parser.add_argument(
        "--backend",
        action="append",
        choices=sorted(BACKENDS),
        help="repeat to choose several (default: postgresql and sqlite)",
    )
    parser.add_argument(
        "--data-dir",
        type=Path,
        default=os.environ.get("MYCANDIDATE_DATA_DIR"),
        help="folder holding kenya-2022/ (default: $MYCANDIDATE_DATA_DIR; else downloaded)",
    )
    args = parser.parse_args(argv)
    run(args.backend or ["postgresql", "sqlite"], max(1, args.repeats), args.data_dir)


if __name__ == "__main__":
    main()
