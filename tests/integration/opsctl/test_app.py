"""opsctl as a fresh process starts it: `--help` loads no heavy library."""

import subprocess
import sys

HEAVY = ("boto3", "botocore", "docker", "diagrams", "flask", "sqlalchemy", "checkov")


def test_help_imports_no_heavy_library() -> None:
    code = (
        "import sys\n"
        "sys.argv = ['opsctl', '--help']\n"
        "from opsctl.app import main\n"
        "try:\n    main()\nexcept SystemExit:\n    pass\n"
        f"print(sorted(m for m in {HEAVY!r} if m in sys.modules))\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, timeout=60, check=False
    )
    assert done.stdout.strip().splitlines()[-1] == "[]", done.stdout + done.stderr
    assert "scan" in done.stdout and "diagram" in done.stdout
