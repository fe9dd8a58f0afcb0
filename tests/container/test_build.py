"""`opsctl build` failures name the step that failed and exit non-zero."""

import pytest

from opsctl.core.local_images import DEBIAN_REPOSITORY
from tests.container.support import opsctl

pytestmark = pytest.mark.container


def test_a_failing_step_is_named_with_its_output(app_image, build_args):
    # The bare Debian image has no python3, so the builder's first RUN fails.
    args = [a for a in build_args if a not in ("--local-images", "--json")]
    done = opsctl(*args, "--tag", "mycandidate:must-fail", "--base-image", DEBIAN_REPOSITORY)
    assert done.returncode == 1
    first_line = done.stderr.split("error: ", 1)[1].splitlines()[0]
    assert "failed at Step" in first_line
    assert "RUN python3 -m venv /opt/build" in first_line
    assert "returned a non-zero code" in first_line
    assert "Traceback" not in done.stderr
