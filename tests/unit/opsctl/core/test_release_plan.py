"""Image references, deployment configurations and the AppSpec, as tables."""

import hashlib
import json

import pytest

from opsctl.core import appspec
from opsctl.core.environment import DeployEnv
from opsctl.core.release_plan import (
    CODEDEPLOY_CONFIGS,
    ImageRequest,
    Strategy,
    build_plan,
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


def test_each_strategy_is_a_predefined_codedeploy_configuration():
    assert set(CODEDEPLOY_CONFIGS) == set(Strategy)
    assert CODEDEPLOY_CONFIGS[Strategy.canary] == "CodeDeployDefault.ECSCanary10Percent5Minutes"


def test_appspec_with_network_and_hooks_in_lifecycle_order():
    network = {"subnets": ["s-1"], "securityGroups": ["sg-1"], "assignPublicIp": "DISABLED"}
    hooks = {"AfterAllowTestTraffic": "smoke", "BeforeInstall": "prep"}
    spec = appspec.render("arn:td:3", "app", 8000, network=network, hooks=hooks)
    assert spec["Hooks"] == [{"BeforeInstall": "prep"}, {"AfterAllowTestTraffic": "smoke"}]
    props = spec["Resources"][0]["TargetService"]["Properties"]
    assert props == {
        "TaskDefinition": "arn:td:3",
        "LoadBalancerInfo": {"ContainerName": "app", "ContainerPort": 8000},
        "NetworkConfiguration": {
            "AwsvpcConfiguration": {
                "Subnets": ["s-1"],
                "SecurityGroups": ["sg-1"],
                "AssignPublicIp": "DISABLED",
            }
        },
    }
    pointed = appspec.with_task_definition(spec, "arn:td:4")
    assert appspec.task_definition_in(pointed) == "arn:td:4"
    assert appspec.task_definition_in(spec) == "arn:td:3"


ENV = DeployEnv(
    name="staging",
    region="af-south-1",
    cluster_name="c",
    service_name="s",
    task_family="app",
    container_name="app",
    container_port=8000,
    codedeploy_app_name="a",
    codedeploy_group_name="g",
    blue_target_group_name="b",
    green_target_group_name="g",
    ecr_repository_url=REPO,
    log_group_name="/ecs/app",
    private_subnet_ids=("s-1",),
    app_security_group_id="sg-1",
    min_capacity=2,
    max_capacity=6,
    test_listener_url="http://alb:8443",
)
TD = {"family": "app", "containerDefinitions": [{"name": "app", "image": "x:bootstrap"}]}


def plan(**kw):
    args = dict(
        env=ENV,
        strategy=Strategy.canary,
        image_tag="v2",
        digest=DIGEST,
        current_arn="arn:td/app:1",
        current=TD,
        base_arn="arn:td/app:1",
        base=TD,
        base_tags=[],
        smoke=True,
    )
    return build_plan(**{**args, **kw})


@pytest.mark.parametrize(
    ("desired", "scaling", "expected"),
    [
        (0, (0, 4), (2, 2, 6)),  # fresh environment: count and floor go up
        (2, (0, 4), (2, 2, 6)),  # the floor was never raised
        (3, (2, 6), None),  # a normal release
        (4, (5, 8), None),  # an election-day floor above the normal one stays
        (0, None, (2, 2, 6)),  # no autoscaling: the count still goes up
    ],
)
def test_first_release_capacity(desired, scaling, expected):
    capacity = plan(desired_count=desired, scaling=scaling).capacity
    found = capacity and (capacity.desired, capacity.min_capacity, capacity.max_capacity)
    assert found == expected


def test_the_plan_holds_what_execution_sends():
    p = plan(smoke=False)
    assert p.deployment_config == "CodeDeployDefault.ECSCanary10Percent5Minutes"
    assert p.task_definition["containerDefinitions"][0]["image"] == f"{REPO}@{DIGEST}"
    assert p.appspec["Resources"][0]["TargetService"]["Properties"]["NetworkConfiguration"]
    assert p.smoke_url is None and p.migration is None
    assert plan().smoke_url == "http://alb:8443"


def test_appspec_rejects_unknown_hooks():
    with pytest.raises(OpsError, match="unknown AppSpec hook"):
        appspec.render("arn:td:3", "app", 8000, hooks={"AfterInstal": "typo"})


def test_revision_carries_the_content_and_its_checksum():
    spec = appspec.render("arn:td:3", "app", 8000)
    rev = appspec.revision(spec)
    content = rev["appSpecContent"]["content"]
    assert rev["revisionType"] == "AppSpecContent"
    assert json.loads(content) == spec
    assert rev["appSpecContent"]["sha256"] == hashlib.sha256(content.encode()).hexdigest()
