"""Pure image helpers: tags, the engine's build and push streams, apt sources, .env files."""

import pytest

from opsctl.core.compose import compose_environment, env_file_text
from opsctl.core.images import (
    BuildProgress,
    human_size,
    image_tag,
    push_digest,
    registry_ref,
    split_ref,
)
from opsctl.core.local_images import DEFAULT_MIRROR, LOCAL_BASES, mirror_from_sources

SHA = "8d63ba94dc331d5af5865c8f95dc47f7b65e30bd"
DIGEST = "sha256:" + "ab" * 32


@pytest.mark.parametrize(
    ("sha", "dirty", "expected"),
    [
        (SHA, False, f"mycandidate:{SHA}"),
        (SHA, True, f"mycandidate:{SHA}-dirty"),
        ("8d63ba9", False, "mycandidate:8d63ba9"),
    ],
)
def test_image_tag_is_the_commit_and_marks_a_dirty_tree(sha, dirty, expected):
    assert image_tag(sha, dirty) == expected


@pytest.mark.parametrize("bad", ["", "HEAD", "main", "8D63BA9", "8d63ba9 "])
def test_image_tag_refuses_what_is_not_a_commit(bad):
    with pytest.raises(ValueError, match="not a git commit"):
        image_tag(bad, False)


@pytest.mark.parametrize(
    ("registry", "expected"),
    [
        ("127.0.0.1:5000", "127.0.0.1:5000/mycandidate:1"),
        ("http://127.0.0.1:5000/", "127.0.0.1:5000/mycandidate:1"),
        (
            "123.dkr.ecr.eu-west-1.amazonaws.com",
            "123.dkr.ecr.eu-west-1.amazonaws.com/mycandidate:1",
        ),
    ],
)
def test_registry_ref(registry, expected):
    assert registry_ref(registry, "mycandidate:1") == expected


@pytest.mark.parametrize(
    ("ref", "expected"),
    [
        ("127.0.0.1:5000/mycandidate:abc", ("127.0.0.1:5000/mycandidate", "abc")),
        ("127.0.0.1:5000/mycandidate", ("127.0.0.1:5000/mycandidate", "latest")),
        ("mycandidate-local/debian:bookworm", ("mycandidate-local/debian", "bookworm")),
    ],
)
def test_split_ref_keeps_a_registry_port_in_the_name(ref, expected):
    assert split_ref(ref) == expected


def test_human_size():
    assert [human_size(n) for n in (999, 1000, 54_300_000, 2e9)] == [
        "999 B",
        "1.0 kB",
        "54.3 MB",
        "2.0 GB",
    ]


def test_build_progress_reports_steps_and_the_image_id():
    progress = BuildProgress()
    steps = [
        progress.feed(event)
        for event in [
            {"stream": "Step 1/3 : FROM base\n"},
            {"stream": " ---> 1234\n"},
            {"stream": "Step 2/3 : RUN pip install\n"},
            {"stream": "Collecting flask\n"},
            {"aux": {"ID": "sha256:feed"}},
            {"stream": "Successfully built feed\n"},
        ]
    ]
    assert [s for s in steps if s] == ["Step 1/3 : FROM base", "Step 2/3 : RUN pip install"]
    assert progress.image_id == "sha256:feed"
    assert progress.error is None


def test_build_progress_names_the_failing_step_and_keeps_its_output():
    progress = BuildProgress()
    for event in [
        {"stream": "Step 6/9 : RUN pip install -r runtime.txt\n"},
        {"stream": "ERROR: THESE PACKAGES DO NOT MATCH THE HASHES\n"},
        {
            "errorDetail": {"code": 1, "message": "returned a non-zero code: 1"},
            "error": "The command '/bin/sh -c pip install' returned a non-zero code: 1",
        },
    ]:
        progress.feed(event)
    assert progress.step == "Step 6/9 : RUN pip install -r runtime.txt"
    assert "non-zero code: 1" in (progress.error or "")
    assert progress.tail == ["ERROR: THESE PACKAGES DO NOT MATCH THE HASHES"]


def test_push_digest_from_the_aux_event_or_the_status_line():
    aux = [{"status": "Pushed"}, {"aux": {"Tag": "1", "Digest": DIGEST, "Size": 1}}]
    status = [{"status": f"1: digest: {DIGEST} size: 1786"}]
    assert push_digest(aux) == DIGEST
    assert push_digest(status) == DIGEST


def test_push_digest_raises_the_registry_error():
    with pytest.raises(ValueError, match="denied"):
        push_digest([{"status": "Preparing"}, {"error": "denied: requested access"}])
    with pytest.raises(ValueError, match="no digest"):
        push_digest([{"status": "Preparing"}])


DEB822 = """\
Types: deb
# http://snapshot.debian.org/archive/debian/20250520T000000Z
URIs: http://mirror.example/debian
Suites: bookworm bookworm-updates
Components: main

Types: deb
URIs: http://mirror.example/debian-security
Suites: bookworm-security
Components: main
"""


def test_mirror_from_deb822_sources():
    node = "Types: deb\nURIs: https://deb.nodesource.com/node_20.x\nSuites: nodistro\n"
    assert mirror_from_sources([node, DEB822]) == "http://mirror.example/debian"


def test_mirror_from_one_line_sources():
    text = (
        "deb https://packages.cloud.google.com/apt cloud-sdk-bookworm main\n"
        "deb [arch=amd64] http://ftp.example/debian bookworm main contrib\n"
    )
    assert mirror_from_sources([text]) == "http://ftp.example/debian"


def test_mirror_defaults_to_deb_debian_org():
    assert mirror_from_sources([]) == DEFAULT_MIRROR
    assert mirror_from_sources(["deb http://x/ubuntu jammy main\n"]) == DEFAULT_MIRROR


def test_local_base_tag_changes_with_recipe_and_parent():
    base = LOCAL_BASES["postgres"]
    tag = base.tag("recipe-1", "sha256:parent-1")
    assert tag.startswith("mycandidate-local/postgres:15-bookworm-")
    assert tag == base.tag("recipe-1", "sha256:parent-1")
    assert tag != base.tag("recipe-2", "sha256:parent-1")
    assert tag != base.tag("recipe-1", "sha256:parent-2")


def test_compose_environment_sets_only_what_is_given():
    assert compose_environment("app:1") == {"MYCANDIDATE_IMAGE": "app:1"}
    assert compose_environment("app:1", "pg:15", "redis:7", 8080) == {
        "MYCANDIDATE_IMAGE": "app:1",
        "POSTGRES_IMAGE": "pg:15",
        "REDIS_IMAGE": "redis:7",
        "MYCANDIDATE_PORT": "8080",
    }


def test_env_file_fills_only_empty_keys():
    example = (
        "# comment\nPOSTGRES_USER=mycandidate\nPOSTGRES_PASSWORD=\nSECRET_KEY=\n# REDIS_PASSWORD=\n"
    )
    text = env_file_text(
        example, {"POSTGRES_PASSWORD": "p1", "SECRET_KEY": "s1", "POSTGRES_USER": "x"}
    )
    assert text.splitlines() == [
        "# comment",
        "POSTGRES_USER=mycandidate",
        "POSTGRES_PASSWORD=p1",
        "SECRET_KEY=s1",
        "# REDIS_PASSWORD=",
    ]
