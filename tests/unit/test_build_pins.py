"""The base image stays pinned by tag and digest, in the form the update bot can rewrite."""

import json
import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def test_renovate_pattern_matches_the_pinned_base_image():
    config = json.loads((ROOT / ".github/renovate.json").read_text())
    (manager,) = config["customManagers"]
    (pattern,) = manager["matchStrings"]
    dockerfile = (ROOT / "Dockerfile").read_text()
    found = re.search(pattern.replace("(?<", "(?P<"), dockerfile)
    assert found is not None
    assert found["depName"] == "python"
    assert re.fullmatch(r"3\.11\.\d+-slim-bookworm", found["currentValue"])
    # Both stages build FROM the argument, so one pin moves builder and runtime together.
    assert dockerfile.count("FROM ${BASE_IMAGE}") == 2
