"""Container figures: image size and layers, seconds to healthy, code-only rebuild time.

    .venv/bin/python benchmarks/container.py --local-base --data-dir ../shared/data

Prints the final image size, what it adds on top of its base, its layer count, seconds
from `docker run` to Docker reporting it healthy (first start on an empty SQLite that
loads kenya-2022, and a restart on a prepared database), and seconds to rebuild after a
one-line code change (the dependency layers must come from the cache).
Targets: < 60 MB added, healthy < 5 s, code-only rebuild < 10 s.
"""

from __future__ import annotations

import sys

# benchmarks/http.py shadows the standard library's `http` for scripts run from this folder.
if sys.path and sys.path[0].rstrip("/").endswith("benchmarks"):
    sys.path.pop(0)

import argparse
import json
import os
import statistics
import tarfile
import tempfile
import time
from pathlib import Path
from typing import Any

from opsctl.adapters import docker as docker_adapter
from opsctl.adapters import local_images
from opsctl.core.images import BUILD_CA_PATH, human_size
from opsctl.services.images import build_app_image
from opsctl.settings import repo_root

CHANGED_FILE = "mycandidate/wsgi.py"


def seconds_to_healthy(client: Any, image: str, data_dir: Path, db_dir: Path) -> float:
    began = time.monotonic()
    container = client.containers.run(
        image,
        # The image only serves; the figure is a first start that also loads the data.
        command=["opsctl", "serve", "--host", "0.0.0.0", "--prepare"],
        detach=True,
        read_only=True,
        tmpfs={"/tmp": "rw,size=128m"},
        environment={
            "SECRET_KEY": "benchmark",
            "DATABASE_URL": "sqlite:////db/mycandidate.sqlite3",
            "MYCANDIDATE_DATA_DIR": "/data",
        },
        volumes={
            str(data_dir): {"bind": "/data", "mode": "ro"},
            str(db_dir): {"bind": "/db", "mode": "rw"},
        },
    )
    try:
        while time.monotonic() - began < 120:
            container.reload()
            state = container.attrs["State"]
            if state.get("Health", {}).get("Status") == "healthy":
                return time.monotonic() - began
            if state["Status"] == "exited":
                raise SystemExit(container.logs(tail=20).decode(errors="replace"))
            time.sleep(0.05)
        raise SystemExit("not healthy within 120 s")
    finally:
        container.remove(force=True)


def code_only_rebuild(client: Any, tag: str, base_image: str | None, ca: str | None) -> float:
    """Rebuild from a copy of the context with one changed line; returns seconds."""
    extra = {BUILD_CA_PATH: ca} if ca else None
    buildargs = {"BASE_IMAGE": base_image} if base_image else {}
    with tempfile.TemporaryDirectory() as tmp:
        context = Path(tmp)
        with (
            docker_adapter.build_context(repo_root()) as fileobj,
            tarfile.open(fileobj=fileobj) as tar,
        ):
            tar.extractall(context, filter="data")
        docker_adapter.build(
            client, docker_adapter.build_context(context, extra=extra), tag, buildargs=buildargs
        )
        changed = context / CHANGED_FILE
        changed.write_text(changed.read_text() + f"# rebuilt at {time.time()}\n")
        began = time.monotonic()
        docker_adapter.build(
            client, docker_adapter.build_context(context, extra=extra), tag, buildargs=buildargs
        )
        return time.monotonic() - began


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--local-base", action="store_true", help="Debian-package base image")
    parser.add_argument("--data-dir", type=Path, default=os.environ.get("MYCANDIDATE_DATA_DIR"))
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args()
    if args.data_dir is None or not (args.data_dir / "kenya-2022").is_dir():
        raise SystemExit("--data-dir (or MYCANDIDATE_DATA_DIR) must hold kenya-2022/")
    ca_path = os.environ.get("PIP_CERT")
    ca_bundle = Path(ca_path) if ca_path else None

    local_images.ensure_engine()
    client = docker_adapter.client()
    built = build_app_image(local_images=args.local_base, ca_bundle=ca_bundle)
    base_ref = built.base_image if args.local_base else None
    image = docker_adapter.inspect(client, built.tag)
    base = docker_adapter.inspect(client, base_ref) if base_ref else None
    assert image is not None

    first, restart = [], []
    for _ in range(args.runs):
        with tempfile.TemporaryDirectory() as db_dir:
            os.chmod(db_dir, 0o777)  # the container user (10001) writes the database here
            first.append(seconds_to_healthy(client, built.tag, args.data_dir, Path(db_dir)))
            restart.append(seconds_to_healthy(client, built.tag, args.data_dir, Path(db_dir)))
    ca = ca_bundle.read_text() if ca_bundle else None
    rebuild = code_only_rebuild(client, "mycandidate:benchmark-rebuild", base_ref, ca)
    client.images.remove("mycandidate:benchmark-rebuild")

    figures = {
        "image": built.tag,
        "base": built.base_image,
        "size_bytes": image.size,
        "added_bytes": image.size - base.size if base else None,
        "layers": image.layers,
        "layers_added": image.layers - base.layers if base else None,
        "healthy_first_start_s": round(statistics.median(first), 2),
        "healthy_restart_s": round(statistics.median(restart), 2),
        "code_only_rebuild_s": round(rebuild, 2),
    }
    if args.json:
        print(json.dumps(figures, indent=2))
        return
    print(f"image                     {figures['image']} (base {figures['base']})")
    print(f"size                      {human_size(image.size)}")
    if base:
        print(f"added on top of the base  {human_size(image.size - base.size)}")
        print(f"layers                    {image.layers} ({image.layers - base.layers} added)")
    print(f"healthy, first start      {figures['healthy_first_start_s']} s (median of {args.runs})")
    print(f"healthy, restart          {figures['healthy_restart_s']} s")
    print(f"code-only rebuild         {figures['code_only_rebuild_s']} s")


if __name__ == "__main__":
    main()
