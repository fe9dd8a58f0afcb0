"""Planted defects each fail `opsctl scan` with their rule id; their fixed twins do not.

The scanners run for real from their pinned environments (created on first use).
"""

import hashlib
import io
import json
import shutil
import subprocess
import sys
import tarfile
from pathlib import Path

import pytest

from opsctl.services.scan import ScanOptions, run_scan
from tests.support.paths import FIXTURES

FIXTURES = FIXTURES / "scan"
# An AWS key pair in the documented example shape, assembled at run time so that
# no file in the repository holds one.
ACCESS_KEY = "AKIA" + "R7MYB2VJ4Q3XKWPN"
SECRET_KEY = "9drTJvcXLB89EXAMPLELB8923FB892xMFI" + "abcd/Zx"
SETTINGS = f'AWS_ACCESS_KEY_ID = "{ACCESS_KEY}"\nAWS_SECRET_ACCESS_KEY = "{SECRET_KEY}"\n'

PLANTED = [
    # (fixture, scanners, [(tool, rule, path)])
    (
        "docker_root",
        ("checkov", "hadolint"),
        [("checkov", "CKV_DOCKER_8", "Dockerfile"), ("hadolint", "DL3002", "Dockerfile")],
    ),
    ("docker_no_user", ("checkov",), [("checkov", "CKV_DOCKER_3", "Dockerfile")]),
    ("docker_add_url", ("checkov",), [("checkov", "CKV_DOCKER_4", "Dockerfile")]),
    ("secret", ("checkov",), [("checkov", "CKV_SECRET_2", "settings.py")]),
    ("tf_sg", ("checkov",), [("checkov", "CKV_MYC_1", "main.tf")]),
    ("tf_s3", ("checkov",), [("checkov", "CKV_AWS_145", "main.tf")]),
    ("gha_writeall", ("checkov",), [("checkov", "CKV2_GHA_1", ".github/workflows/ci.yml")]),
    ("gha_injection", ("checkov",), [("checkov", "CKV_GHA_2", ".github/workflows/pr.yml")]),
    ("py_eval", ("bandit",), [("bandit", "B307", "schemas.py")]),
    ("py_sql", ("bandit",), [("bandit", "B608", "lookup.py")]),
]


def planted_copy(name: str, tmp_path: Path) -> Path:
    target = tmp_path / name
    if name == "secret":
        target.mkdir()
        (target / "settings.py").write_text(SETTINGS)
    else:
        shutil.copytree(FIXTURES / "planted" / name, target)
    return target


@pytest.mark.parametrize(("name", "tools", "expected"), PLANTED, ids=[p[0] for p in PLANTED])
def test_planted_defect_fails_with_its_rule(name, tools, expected, tmp_path) -> None:
    root = planted_copy(name, tmp_path)
    report = run_scan(ScanOptions(root=root, only=tools, find_image=False))
    found = {(f.tool, f.rule_id, f.path) for t in report.tools for f in t.active}
    assert set(expected) <= found, found
    assert report.exit_code == 1


def test_fixed_twins_raise_none_of_the_planted_rules() -> None:
    report = run_scan(
        ScanOptions(
            root=FIXTURES / "clean", only=("checkov", "hadolint", "bandit"), find_image=False
        )
    )
    planted_rules = {rule for _, _, hits in PLANTED for _, rule, _ in hits}
    raised = {f.rule_id for t in report.tools for f in t.findings}
    assert not raised & planted_rules, raised & planted_rules
    assert all(t.error is None for t in report.tools)


def image_tarball(path: Path, files: dict[str, bytes]) -> Path:
    """A one-layer image in `docker save` format, as `opsctl build` would export."""

    def add(tar: tarfile.TarFile, name: str, data: bytes) -> None:
        info = tarfile.TarInfo(name)
        info.size = len(data)
        tar.addfile(info, io.BytesIO(data))

    layer = io.BytesIO()
    with tarfile.open(fileobj=layer, mode="w") as tar:
        for name, data in files.items():
            add(tar, name, data)
    diff_id = "sha256:" + hashlib.sha256(layer.getvalue()).hexdigest()
    config = json.dumps(
        {
            "architecture": "amd64",
            "os": "linux",
            "config": {"User": "10001"},
            "rootfs": {"type": "layers", "diff_ids": [diff_id]},
        }
    ).encode()
    config_name = hashlib.sha256(config).hexdigest() + ".json"
    manifest = [{"Config": config_name, "RepoTags": ["planted:test"], "Layers": ["layer.tar"]}]
    with tarfile.open(path, "w") as tar:
        add(tar, "layer.tar", layer.getvalue())
        add(tar, config_name, config)
        add(tar, "manifest.json", json.dumps(manifest).encode())
    return path


FLASK_METADATA = b"Metadata-Version: 2.1\nName: Flask\nVersion: 3.1.0\n"
SITE = "usr/local/lib/python3.11/site-packages/flask-3.1.0.dist-info/METADATA"


def opsctl(*args: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "opsctl", *args],
        cwd=cwd,
        capture_output=True,
        text=True,
        timeout=600,
        check=False,
    )


def test_image_secret_and_sbom(tmp_path) -> None:
    image = image_tarball(
        tmp_path / "image.tar", {"srv/app/settings.py": SETTINGS.encode(), SITE: FLASK_METADATA}
    )
    sbom = tmp_path / "sbom.json"
    done = opsctl(
        "scan",
        "--path",
        str(tmp_path),
        "--only",
        "image",
        "--image",
        str(image),
        "--sbom",
        str(sbom),
        "--json",
        cwd=tmp_path,
    )
    assert done.returncode == 1, done.stderr
    tool = json.loads(done.stdout)["tools"][0]
    assert [(f["rule_id"], f["path"]) for f in tool["findings"]] == [
        ("aws-access-key-id", "srv/app/settings.py")
    ]
    assert tool["unchecked"] == ["vulnerabilities: trivy's database is not downloaded offline"]
    bom = json.loads(sbom.read_text())
    assert bom["bomFormat"] == "CycloneDX"
    assert any(c["name"] == "Flask" and c["version"] == "3.1.0" for c in bom["components"])


def test_clean_image_is_unknown_not_clean(tmp_path) -> None:
    image = image_tarball(tmp_path / "image.tar", {SITE: FLASK_METADATA})
    args = ("scan", "--path", str(tmp_path), "--only", "image", "--image", str(image), "--json")
    allowed = opsctl(*args, cwd=tmp_path)
    assert allowed.returncode == 0, allowed.stderr
    assert json.loads(allowed.stdout)["tools"][0]["status"] == "unknown"
    assert "not clean but unknown" in allowed.stderr
    assert opsctl(*args, "--no-allow-unknown", cwd=tmp_path).returncode == 2


def test_no_image_is_skipped_not_clean(tmp_path) -> None:
    done = opsctl("scan", "--path", str(tmp_path), "--only", "image", "--json", cwd=tmp_path)
    tool = json.loads(done.stdout)["tools"][0]
    assert tool["status"] == "skipped" and tool["skipped"].startswith("no image")
    assert done.returncode == 0
