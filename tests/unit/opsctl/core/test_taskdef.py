"""Task definition documents: registrable fields, the next revision, the diff, log streams."""

import botocore.session
import pytest

from opsctl.core import taskdef
from opsctl.errors import OpsError

DESCRIBED = {
    "taskDefinitionArn": "arn:aws:ecs:eu-west-1:1:task-definition/app:7",
    "family": "app",
    "revision": 7,
    "status": "ACTIVE",
    "compatibilities": ["EC2", "FARGATE"],
    "requiresAttributes": [{"name": "ecs.capability.execution-role-awslogs"}],
    "registeredAt": "2025-01-01T00:00:00Z",
    "registeredBy": "arn:aws:iam::1:user/x",
    "requiresCompatibilities": ["FARGATE"],
    "networkMode": "awsvpc",
    "cpu": "256",
    "memory": "512",
    "volumes": [],
    "placementConstraints": [],
    "containerDefinitions": [
        {
            "name": "app",
            "image": "repo@sha256:old",
            "environment": [{"name": "B", "value": "2"}, {"name": "A", "value": "1"}],
            "secrets": [{"name": "S", "valueFrom": "arn:old"}],
        },
        {"name": "sidecar", "image": "busybox"},
    ],
}
TAGS = [{"key": "team", "value": "civic"}, {"key": "aws:cloudformation:stack-name", "value": "x"}]


def test_registrable_fields_match_the_register_call():
    model = botocore.session.get_session().get_service_model("ecs")
    members = set(model.operation_model("RegisterTaskDefinition").input_shape.members)
    assert members == taskdef.REGISTRABLE_FIELDS


def test_registrable_drops_describe_only_fields_empties_and_aws_tags():
    doc = taskdef.registrable(DESCRIBED, TAGS)
    assert set(doc) == {
        "family",
        "requiresCompatibilities",
        "networkMode",
        "cpu",
        "memory",
        "containerDefinitions",
        "tags",
    }
    assert doc["tags"] == [{"key": "team", "value": "civic"}]
    assert "tags" not in taskdef.registrable(DESCRIBED, TAGS[1:])


def test_render_changes_only_the_image_and_the_release():
    doc = taskdef.render(
        taskdef.registrable(DESCRIBED),
        container_name="app",
        image="repo@sha256:new",
        release="sha256:new",
    )
    app, sidecar = doc["containerDefinitions"]
    assert app["image"] == "repo@sha256:new"
    assert app["environment"] == [
        {"name": "A", "value": "1"},
        {"name": "B", "value": "2"},
        {"name": "MYCANDIDATE_RELEASE", "value": "sha256:new"},
    ]
    assert app["secrets"] == [{"name": "S", "valueFrom": "arn:old"}]
    assert sidecar == {"name": "sidecar", "image": "busybox"}
    # The input is not modified.
    assert DESCRIBED["containerDefinitions"][0]["image"] == "repo@sha256:old"


def test_render_unknown_container_names_the_ones_there():
    with pytest.raises(OpsError, match=r"no container named 'web' \(has: app, sidecar\)"):
        taskdef.render(DESCRIBED, container_name="web", image="x", release="r")


def test_diff_shows_real_changes_only():
    old = taskdef.render(
        taskdef.registrable(DESCRIBED), container_name="app", image="repo@sha256:old", release="o"
    )
    reordered = taskdef.render(old, container_name="app", image="repo@sha256:old", release="o")
    reordered["containerDefinitions"][0]["environment"].reverse()
    assert taskdef.diff(old, reordered, "app:7", "app:next") == ""  # env order is no change
    new = taskdef.render(old, container_name="app", image="repo@sha256:new", release="n")
    text = taskdef.diff(old, new, "app:7", "app:next")
    changed = [
        line for line in text.splitlines() if line[:1] in "+-" and line[:3] not in ("+++", "---")
    ]
    assert changed == [
        '-          "value": "o"',
        '+          "value": "n"',
        '-      "image": "repo@sha256:old",',
        '+      "image": "repo@sha256:new",',
    ]
    assert text.startswith("--- app:7\n+++ app:next\n")


def test_log_stream_follows_the_awslogs_naming():
    doc = {
        "containerDefinitions": [
            {
                "name": "app",
                "logConfiguration": {
                    "logDriver": "awslogs",
                    "options": {"awslogs-group": "/ecs/app", "awslogs-stream-prefix": "web"},
                },
            }
        ]
    }
    assert taskdef.log_stream(doc, "app", "abc123") == ("/ecs/app", "web/app/abc123")
    assert taskdef.log_stream(DESCRIBED, "app", "abc123") is None
