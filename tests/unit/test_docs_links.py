"""Every relative link and image in the README and docs/ points at a file in the repository
(and at a heading that exists, when it names one)."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
DOCS = [ROOT / "README.md", *sorted((ROOT / "docs").glob("*.md"))]

FENCE = re.compile(r"^(```|~~~).*?^\1", re.M | re.S)
CODE = re.compile(r"`[^`\n]*`")
# [text](target) and ![alt](target), with an optional "title"; <target> also allowed.
INLINE = re.compile(r"!?\[(?:[^\[\]]|\[[^\]]*\])*\]\(\s*<?([^)\s>]+)>?(?:\s+\"[^\"]*\")?\s*\)")
REFERENCE = re.compile(r"^\s*\[[^\]]+\]:\s*<?(\S+?)>?(?:\s+\"[^\"]*\")?\s*$", re.M)
HTML = re.compile(r"<(?:img|a)\s[^>]*?(?:src|href)=\"([^\"]+)\"", re.I)
EXTERNAL = re.compile(r"^(?:[a-z][a-z0-9+.-]*:|//)", re.I)


def prose(text: str) -> str:
    """The text without code blocks and code spans, where brackets are not links."""
    return CODE.sub("", FENCE.sub("", text))


def links(text: str) -> list[str]:
    body = prose(text)
    return [m.group(1) for pattern in (INLINE, REFERENCE, HTML) for m in pattern.finditer(body)]


def anchors(markdown: str) -> set[str]:
    """GitHub's heading ids: lower case, punctuation (and backticks) dropped, spaces to hyphens."""
    found = set()
    for line in FENCE.sub("", markdown).splitlines():
        heading = re.match(r"^#{1,6}\s+(.*?)\s*#*\s*$", line)
        if heading:
            title = re.sub(r"[^\w\- ]", "", heading.group(1).lower())
            found.add(title.replace(" ", "-"))
    return found


def broken(doc: Path, text: str | None = None) -> list[str]:
    """Problems with the links of `doc` (or of `text`, read as if it were at `doc`)."""
    problems = []
    for target in links(doc.read_text() if text is None else text):
        if EXTERNAL.match(target):
            continue
        path_part, _, fragment = target.partition("#")
        resolved = (doc.parent / path_part).resolve() if path_part else doc
        if not resolved.is_relative_to(ROOT):
            problems.append(f"{target}: outside the repository")
        elif not resolved.exists():
            problems.append(f"{target}: no such file")
        elif (
            fragment and resolved.suffix == ".md" and fragment not in anchors(resolved.read_text())
        ):
            problems.append(f"{target}: no heading #{fragment}")
    return problems


def test_the_documents_exist() -> None:
    names = {p.name for p in DOCS}
    assert {"README.md", "architecture.md", "security.md", "cicd.md", "improvements.md"} <= names


@pytest.mark.parametrize("doc", DOCS, ids=lambda p: str(p.relative_to(ROOT)))
def test_relative_links_resolve(doc: Path) -> None:
    assert broken(doc) == []


def test_links_are_found_in_prose_only() -> None:
    text = (
        '[a](page.md) [b](#title) ![c](pic.png "t") [e](https://example.org)\n'
        "`[not](code-span.md)`\n```\n[not](fenced.md)\n```\n[ref]: ./other.md\n"
        '<img src="logo.png">\n'
    )
    assert links(text) == [
        "page.md",
        "#title",
        "pic.png",
        "https://example.org",
        "./other.md",
        "logo.png",
    ]


def test_checker_reports_each_kind_of_broken_link() -> None:
    text = (
        "[ok](../README.md) [ok](cicd.md#stages) [web](https://example.org)\n"
        "[missing](missing.md) [anchor](cicd.md#no-such-heading) [escape](../../etc/passwd)\n"
    )
    assert broken(ROOT / "docs" / "page.md", text) == [
        "missing.md: no such file",
        "cicd.md#no-such-heading: no heading #no-such-heading",
        "../../etc/passwd: outside the repository",
    ]


def test_github_heading_ids() -> None:
    text = "# Sizing and cost\n## When traffic grows *tenfold*\n### `opsctl scan`\n```\n# no\n```\n"
    assert anchors(text) == {"sizing-and-cost", "when-traffic-grows-tenfold", "opsctl-scan"}
