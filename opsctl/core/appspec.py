"""The AppSpec document CodeDeploy needs for an ECS blue/green deployment."""

from __future__ import annotations

import hashlib
import json
from collections.abc import Mapping
from typing import Any

from opsctl.errors import OpsError

# The ECS lifecycle hooks that may run a Lambda function, in the order they fire.
HOOK_EVENTS = (
    "BeforeInstall",
    "AfterInstall",
    "AfterAllowTestTraffic",
    "BeforeAllowTraffic",
    "AfterAllowTraffic",
)


def render(
    task_definition_arn: str,
    container_name: str,
    container_port: int,
    hooks: Mapping[str, str] | None = None,
) -> dict[str, Any]:
    """AppSpec for one ECS service; hooks map a lifecycle event to a Lambda function."""
    unknown = sorted(set(hooks or {}) - set(HOOK_EVENTS))
    if unknown:
        raise OpsError(
            f"unknown AppSpec hook(s): {', '.join(unknown)}",
            hint=f"ECS deployments accept: {', '.join(HOOK_EVENTS)}",
            exit_code=2,
        )
    spec: dict[str, Any] = {
        "version": 0.0,
        "Resources": [
            {
                "TargetService": {
                    "Type": "AWS::ECS::Service",
                    "Properties": {
                        "TaskDefinition": task_definition_arn,
                        "LoadBalancerInfo": {
                            "ContainerName": container_name,
                            "ContainerPort": int(container_port),
                        },
                    },
                }
            }
        ],
    }
    if hooks:
        spec["Hooks"] = [{event: hooks[event]} for event in HOOK_EVENTS if event in hooks]
    return spec


def revision(spec: Mapping[str, Any]) -> dict[str, Any]:
    """The `revision` argument of CreateDeployment: the AppSpec inline, with its checksum."""
    content = json.dumps(spec, sort_keys=True)
    return {
        "revisionType": "AppSpecContent",
        "appSpecContent": {
            "content": content,
            "sha256": hashlib.sha256(content.encode()).hexdigest(),
        },
    }
