"""opsctl data: load candidate lists (named datasets or the upstream settings format)."""

from __future__ import annotations

import dataclasses
from pathlib import Path
from typing import TYPE_CHECKING

import typer

from opsctl.commands import _options
from opsctl.output import print_json, stderr, stdout

if TYPE_CHECKING:
    from mycandidate.importer import LoadReport

data_app = typer.Typer(help="Candidate data: list and load datasets.", no_args_is_help=True)


def register(app: typer.Typer) -> None:
    app.add_typer(data_app, name="data")


@data_app.command("load")
def load_cmd(
    name: str = typer.Argument(
        None, help="Dataset name (see `opsctl data list`); with --settings, the name to load as."
    ),
    settings_file: Path = typer.Option(
        None, "--settings", exists=True, dir_okay=False, help="Upstream settings workbook (.xlsx)."
    ),
    data_dir: Path = typer.Option(
        None,
        "--data-dir",
        file_okay=False,
        help="Folder of data files (default $MYCANDIDATE_DATA_DIR).",
    ),
    dry_run: bool = _options.dry_run("Parse and report; write nothing."),
    offline: bool = typer.Option(False, "--offline", help="Never download; local files only."),
    json_output: bool = _options.JSON,
) -> None:
    """Load a dataset, replacing any earlier load of it, in one transaction.

    Examples:
      opsctl data load kenya-2022
      opsctl data load --settings "Seed Doc.xlsx" --data-dir ./csv sa-2024
    """
    from opsctl.services.database import load_dataset

    report = load_dataset(
        name,
        settings_file=settings_file,
        data_dir=data_dir,
        dry_run=dry_run,
        offline=offline,
        on_note=lambda note: stderr().print(f"warning: {note}"),
    )
    if json_output:
        print_json(dataclasses.asdict(report))
        return
    render_report(report)


def render_report(report: LoadReport) -> None:
    from rich.table import Table

    verb = "would load" if report.dry_run else ("replaced" if report.replaced else "loaded")
    out = stdout()
    out.print(
        f"[bold]{verb} {report.dataset}[/] (version {report.version}): "
        f"{report.candidates:,} candidates, {report.parties} parties, "
        f"{sum(report.areas.values()):,} areas",
        soft_wrap=True,
    )
    table = Table("ballot", "candidates", box=None, pad_edge=False)
    for ballot, count in report.ballots.items():
        table.add_row(ballot, f"{count:,}")
    out.print(table)
    if report.repairs:
        out.print("repaired in the data:")
        for what, count in report.repairs.items():
            out.print(f"  {count:>7,}  {what}")
    for file, columns in report.dropped_columns.items():
        out.print(f"not stored (personal data): {', '.join(columns)} in {file}")
    for warning in report.warnings:
        stderr().print(f"[yellow]warning:[/] {warning}")


@data_app.command("list")
def list_cmd(json_output: bool = _options.JSON) -> None:
    """List the named datasets with their origin and file checksums.

    Example: opsctl data list --json
    """
    from opsctl.services.database import list_datasets

    rows = list_datasets()
    if json_output:
        print_json(rows)
        return
    for row in rows:
        stdout().print(f"[bold]{row['name']}[/]: {row['title']}\n  origin: {row['origin']}")
        for file in row["files"]:
            stdout().print(f"  {file['sha256']}  {file['name']}")
