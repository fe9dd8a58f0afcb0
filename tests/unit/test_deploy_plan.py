"""Image references, deployment configurations and the AppSpec, as tables."""

import hashlib
import json

import pytest

from opsctl.core import appspec
from opsctl.core.deploy_plan import (
    CODEDEPLOY_CONFIGS,
    ECS_CONFIGS,
    ImageRequest,
    Strategy,
    parse_image,
)
from opsctl.errors import OpsError

REPO = "123456789012.dkr.ecr.af-south-1.amazonaws.com/mycandidate"
DIGEST = "sha256:" + "a" * 64


@pytest.mark.parametrize(
    ("ref", "expected"),
    [
        ("3f2c1ab", ImageRequest(tag="3f2c1ab")),
        ("3f2c1ab-dirty", ImageRequest(tag="3f2c1ab-dirty")),
        ("mycandidate:3f2c1ab", ImageRequest(tag="3f2c1ab")),
        (f"{REPO}:v2", ImageRequest(tag="v2")),
        (DIGEST, ImageRequest(digest=DIGEST)),
        (f"mycandidate@{DIGEST}", ImageRequest(digest=DIGEST)),
        (f"{REPO}:v2@{DIGEST}", ImageRequest(digest=DIGEST)),
    ],
)
def test_parse_image(ref, expected):
    assert parse_image(ref, REPO) == expected


@pytest.mark.parametrize(
    ("ref", "message"),
    [
        ("other:v1", "is not from this environment's repository"),
        ("docker.io/library/mycandidate:v1", "is not from this environment's repository"),
        ("mycandidate@md5:abc", "not an image digest"),
    ],
)
def test_parse_image_refuses(ref, message):
    with pytest.raises(OpsError, match=message) as caught:
        parse_image(ref, REPO)
    assert caught.value.exit_code == 2


def test_each_strategy_has_a_configuration_for_both_controllers():
    assert set(CODEDEPLOY_CONFIGS) == set(ECS_CONFIGS) == set(Strategy)
    assert CODEDEPLOY_CONFIGS[Strategy.canary] == "CodeDeployDefault.ECSCanary10Percent5Minutes"
    assert ECS_CONFIGS[Strategy.all_at_once] == {"strategy": "BLUE_GREEN"}


def test_appspec_with_hooks_in_lifecycle_order():
    spec = appspec.render(
        "arn:td:3", "app", 8000, {"AfterAllowTestTraffic": "smoke", "BeforeInstall": "prep"}
    )
    assert spec["Hooks"] == [{"BeforeInstall": "prep"}, {"AfterAllowTestTraffic": "smoke"}]
    props = spec["Resources"][0]["TargetService"]["Properties"]
    assert props == {
        "TaskDefinition": "arn:td:3",
        "LoadBalancerInfo": {"ContainerName": "app", "ContainerPort": 8000},
    }


def test_appspec_rejects_unknown_hooks():
    with pytest.raises(OpsError, match="unknown AppSpec hook"):
        appspec.render("arn:td:3", "app", 8000, {"AfterInstal": "typo"})


def test_revision_carries_the_content_and_its_checksum():
    spec = appspec.render("arn:td:3", "app", 8000)
    rev = appspec.revision(spec)
    content = rev["appSpecContent"]["content"]
    assert rev["revisionType"] == "AppSpecContent"
    assert json.loads(content) == spec
    assert rev["appSpecContent"]["sha256"] == hashlib.sha256(content.encode()).hexdigest()
