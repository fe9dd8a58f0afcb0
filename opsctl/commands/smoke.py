"""opsctl smoke: the release smoke test against a URL (inside the VPC, as a one-off task)."""

from __future__ import annotations

import typer

from opsctl.commands import _options
from opsctl.commands._release import clock
from opsctl.errors import OpsError
from opsctl.output import print_json, stdout


def register(app: typer.Typer) -> None:
    app.command("smoke")(smoke_cmd)


def smoke_cmd(
    url: str = typer.Argument(..., help="Base URL, e.g. the test listener's.", show_default=False),
    release: str = typer.Option(
        None, "--release", help="The release /readyz must name (an image digest)."
    ),
    timeout: float = _options.timeout(120.0, "Keep retrying for this long."),
    json_output: bool = _options.JSON,
) -> None:
    """Check /readyz (naming --release) and one ward's candidates; exit 1 if either fails.

    Each check is retried with backoff until it passes or the timeout runs
    out. `opsctl deploy` runs this inside the new revision's image as a
    one-off task, so it reaches the test listener from within the VPC.

    Example: opsctl smoke http://alb.example:8443 --release sha256:3f2c...
    """
    from opsctl.services.smoke import check_url

    results = check_url(url, release, clock(), timeout)
    if json_output:
        print_json([r.__dict__ for r in results])
    else:
        for r in results:
            mark = "ok" if r.ok else "FAILED"
            line = f"smoke {mark}: {r.url}: {r.detail} ({r.attempts} tries)"
            stdout().print(line, markup=False, soft_wrap=True)
    if not all(r.ok for r in results):
        raise OpsError(f"smoke test of {url} failed")
