"""`opsctl diagram`: render the architecture and pipeline diagrams, or check them against infra/."""

from __future__ import annotations

from enum import StrEnum
from pathlib import Path

import typer

from opsctl.commands import _options
from opsctl.errors import OpsError


class Format(StrEnum):
    png = "png"
    svg = "svg"


def diagram_cmd(
    out: Path = typer.Option(Path("docs"), "--out", help="Folder the images are written to."),
    fmt: Format = typer.Option(Format.png, "--format", help="png, or svg with icons embedded."),
    check: bool = typer.Option(
        False, "--check", help="Write nothing; fail if the diagram and infra/ disagree."
    ),
    path: Path = _options.PATH,
    json_output: bool = _options.JSON,
) -> None:
    """Render diagram_sources/architecture.py and diagram_sources/cicd.py (graphviz `dot` needed).

    Example: opsctl diagram --format svg --out out/diagrams;  opsctl diagram --check
    """
    from opsctl.output import print_json, stdout
    from opsctl.services.diagram import check_diagram, render_diagrams

    if check:
        found = check_diagram(path)
        drift, declared, drawn = found.drift, found.declared, found.drawn
        if json_output:
            print_json(
                {
                    "ok": drift.ok,
                    "problems": drift.problems(),
                    "declared": sorted(declared),
                    "drawn": sorted(drawn),
                }
            )
        if not drift.ok:
            raise OpsError(
                "the architecture diagram has drifted from infra/:\n  "
                + "\n  ".join(drift.problems()),
                hint="edit diagram_sources/architecture.py or the mapping it is checked with",
            )
        if not json_output:
            stdout().print(
                f"diagram matches infra/: {len(declared)} resource types, {len(drawn)} node kinds"
            )
        return
    rendered = render_diagrams(path, out, fmt.value)
    if json_output:
        print_json(
            [{"name": r.name, "path": str(r.path), "kinds": sorted(r.kinds)} for r in rendered]
        )
    else:
        for r in rendered:
            stdout().print(f"wrote {r.path}")


def register(app: typer.Typer) -> None:
    app.command("diagram")(diagram_cmd)
