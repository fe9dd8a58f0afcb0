"""The build context opsctl sends: .dockerignore applied, the CA bundle only in the tar."""

import tarfile
from pathlib import Path

from opsctl.adapters.docker import build_context
from opsctl.core.images import BUILD_CA_PATH
from tests.support.paths import REPO

ROOT = REPO


def members(context: Path, **kwargs) -> dict[str, bytes | None]:
    with build_context(context, **kwargs) as fileobj, tarfile.open(fileobj=fileobj) as tar:
        return {
            m.name: (tar.extractfile(m).read() if m.isfile() else None)  # type: ignore[union-attr]
            for m in tar.getmembers()
        }


def test_repository_context_holds_only_what_the_image_needs():
    names = set(members(ROOT))
    for needed in (
        "Dockerfile",
        "pyproject.toml",
        "README.md",
        "requirements/runtime.txt",
        "requirements/build.txt",
        "mycandidate/wsgi.py",
        "mycandidate/gunicorn_conf.py",
        "opsctl/app.py",
        "docker/build-ca/README.md",
    ):
        assert needed in names
    leaked = [
        n
        for n in names
        if n.split("/")[0] in {".git", "tests", "docs", "infra", ".venv", "benchmarks", "data"}
        or "__pycache__" in n
        or n.endswith((".pyc", ".sqlite3", ".env"))
    ]
    assert leaked == []


def test_dockerignore_keeps_secrets_caches_and_data_out(tmp_path):
    (tmp_path / "Dockerfile").write_text("FROM scratch\n")
    (tmp_path / ".dockerignore").write_text((ROOT / ".dockerignore").read_text())
    for rel in (
        "pyproject.toml",
        "mycandidate/__init__.py",
        "mycandidate/__pycache__/x.cpython-311.pyc",
        "mycandidate/.env",
        "opsctl/app.py",
        ".env",
        ".git/config",
        "tests/test_x.py",
        "data/kenya-2022/Ward_Final.csv",
        "local.sqlite3",
        "docker/postgres/Dockerfile",
    ):
        (tmp_path / rel).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / rel).write_text("x")
    files = {n for n, body in members(tmp_path).items() if body is not None}
    assert files == {
        ".dockerignore",
        "Dockerfile",
        "pyproject.toml",
        "mycandidate/__init__.py",
        "opsctl/app.py",
    }


def test_ca_bundle_travels_in_the_tar_and_overrides_a_local_copy(tmp_path):
    (tmp_path / "Dockerfile").write_text("FROM scratch\n")
    (tmp_path / "docker/build-ca").mkdir(parents=True)
    (tmp_path / "docker/build-ca/ca.pem").write_text("stale\n")
    pem = "-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----\n"
    found = members(tmp_path, extra={BUILD_CA_PATH: pem})
    assert found[BUILD_CA_PATH] == pem.encode()
    assert members(tmp_path)[BUILD_CA_PATH] == b"stale\n"
