"""Suppressions need a reason, in the code or in the baseline, and every one is listed."""

import pytest

from opsctl.core import suppressions
from opsctl.core.findings import Finding, Severity
from tests.support.paths import REPO

REPO = REPO


def test_inline_markers_with_reasons() -> None:
    text = (
        "x = eval(t)  # nosec B307 # a literal from our own settings file\n"
        "  #checkov:skip=CKV_AWS_18:checkov reports its own skips\n"
        "# apt packages follow the pinned base image\n"
        "# hadolint ignore=DL3008,DL3009\n"
        "RUN apt-get install -y curl\n"
    )
    found, bare = suppressions.find_inline("f", text)
    assert bare == []
    assert [(s.tool, s.rule_id, s.line, s.reason) for s in found] == [
        ("bandit", "B307", 1, "a literal from our own settings file"),
        ("hadolint", "DL3008", 4, "apt packages follow the pinned base image"),
        ("hadolint", "DL3009", 4, "apt packages follow the pinned base image"),
    ]


@pytest.mark.parametrize(
    "line",
    [
        "x = 1  # nosec",
        "x = 1  # nosec B608",
        "RUN x\n# hadolint ignore=DL3008",
    ],
)
def test_a_marker_without_reason_is_a_finding(line) -> None:
    found, bare = suppressions.find_inline("Dockerfile", line + "\n")
    assert found == []
    assert [(f.tool, f.rule_id, f.severity) for f in bare] == [
        ("opsctl", suppressions.NO_REASON_RULE, Severity.HIGH)
    ]


def test_markers_quoted_in_docs_are_ignored() -> None:
    assert suppressions.find_inline("x.py", "say `# nosec B608 # reason` here\n") == ([], [])


BASELINE = """
[[suppress]]
tool = "bandit"
rule = "B603"
path = "opsctl/adapters/*.py"
reason = "argv lists through the one runner"

[[suppress]]
tool = "checkov"
rule = "CKV_AWS_1"
reason = "never matches"
"""


def test_baseline_marks_matching_findings_and_reports_stale_entries() -> None:
    entries = suppressions.parse_baseline(BASELINE)
    hit = Finding("bandit", "B603", Severity.LOW, "m", "opsctl/adapters/tools.py", 9)
    elsewhere = Finding("bandit", "B603", Severity.LOW, "m", "mycandidate/app.py", 9)
    result, stale = suppressions.apply_baseline([hit, elsewhere], entries)
    assert result[0].suppressed_by is not None
    assert result[0].suppressed_by.reason == "argv lists through the one runner"
    assert result[1].suppressed_by is None
    assert [e.rule for e in stale] == ["CKV_AWS_1"]


@pytest.mark.parametrize(
    "text",
    [
        '[[suppress]]\ntool = "bandit"\nrule = "B1"\n',
        '[[suppress]]\ntool = "bandit"\nrule = "B1"\nreason = "  "\n',
        "not = [toml",
    ],
)
def test_baseline_entries_need_a_reason(text) -> None:
    with pytest.raises(suppressions.BaselineError):
        suppressions.parse_baseline(text)


def test_the_committed_baseline_is_valid() -> None:
    path = REPO / suppressions.BASELINE_NAME
    entries = suppressions.parse_baseline(path.read_text())
    assert all(len(e.reason) > 20 for e in entries)


def test_hadolint_reason_is_the_whole_comment_block_above() -> None:
    text = (
        "RUN true\n"
        "# Versions come from the snapshot the base image was made from;\n"
        "# pinning point releases would break on every security update.\n"
        "# hadolint ignore=DL3008\n"
        "RUN apt-get install -y curl\n"
    )
    found, bare = suppressions.find_inline("Dockerfile", text)
    assert bare == []
    assert [s.reason for s in found] == [
        "Versions come from the snapshot the base image was made from; "
        "pinning point releases would break on every security update."
    ]


def test_ruff_bandit_codes_count_for_bandit() -> None:
    text = "urlopen(u)  # noqa: S310 (https only, checked above)\nx = 1  # noqa: E501\n"
    found, bare = suppressions.find_inline("a.py", text)
    assert [(s.tool, s.rule_id, s.reason) for s in found] == [
        ("bandit", "B310", "https only, checked above")
    ]
    assert bare == []
    hit = Finding("bandit", "B310", Severity.MEDIUM, "m", "a.py", 1)
    other_line = Finding("bandit", "B310", Severity.MEDIUM, "m", "a.py", 2)
    marked = suppressions.apply_inline([hit, other_line], found)
    assert marked[0].suppressed_by == found[0]
    assert marked[1].suppressed_by is None
