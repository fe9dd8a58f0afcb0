"""Does the architecture diagram still match infra/? Pure: text in, drift report out.

Every AWS resource type declared in infra/ is either drawn (DRAWN_AS names the
diagram node kind that stands for it) or deliberately left out (NOT_DRAWN says
why). A new resource type that is in neither table fails the check, as does a
drawn kind that no declared resource backs.
"""

from __future__ import annotations

import base64
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

# Terraform resource type -> the diagram node kind (diagrams class, by module) drawing it.
DRAWN_AS = {
    "aws_route53_record": "aws.network.Route53",
    "aws_route53_zone": "aws.network.Route53",
    "aws_wafv2_web_acl": "aws.security.WAF",
    "aws_acm_certificate": "aws.security.CertificateManager",
    "aws_lb": "aws.network.ElbApplicationLoadBalancer",
    "aws_lb_listener": "aws.network.ElbApplicationLoadBalancer",
    "aws_lb_target_group": "aws.compute.Fargate",  # the tasks each target group holds
    "aws_ecs_cluster": "aws.compute.ElasticContainerServiceService",
    "aws_ecs_service": "aws.compute.ElasticContainerServiceService",
    "aws_ecs_task_definition": "aws.compute.Fargate",
    "aws_db_instance": "aws.database.RDSPostgresqlInstance",
    "aws_elasticache_replication_group": "aws.database.ElasticacheForRedis",
    "aws_secretsmanager_secret": "aws.security.SecretsManager",  # nosec B105 # a type name
    "aws_kms_key": "aws.security.KeyManagementService",
    "aws_ecr_repository": "aws.compute.EC2ContainerRegistry",
    "aws_cloudwatch_log_group": "aws.management.Cloudwatch",
    "aws_cloudwatch_metric_alarm": "aws.management.Cloudwatch",
    "aws_cloudwatch_dashboard": "aws.management.Cloudwatch",
    "aws_sns_topic": "aws.integration.SimpleNotificationServiceSns",
    "aws_codedeploy_app": "aws.devtools.Codedeploy",
    "aws_codedeploy_deployment_group": "aws.devtools.Codedeploy",
    "aws_vpc_endpoint": "aws.network.Endpoint",
    "aws_nat_gateway": "aws.network.NATGateway",
    "aws_internet_gateway": "aws.network.InternetGateway",
    "aws_iam_openid_connect_provider": "aws.security.IdentityAndAccessManagementIamRole",
    "aws_s3_bucket": "aws.storage.SimpleStorageServiceS3",
}

_PLUMBING = "network plumbing: the clusters and edges show what it allows"
_SETTING = "a setting of a drawn resource"
NOT_DRAWN = {
    "aws_vpc": "drawn as the VPC cluster",
    "aws_subnet": "drawn as the subnet clusters",
    **dict.fromkeys(
        (
            "aws_route_table",
            "aws_route",
            "aws_route_table_association",
            "aws_eip",
            "aws_default_security_group",
            "aws_security_group",
            "aws_security_group_rule",
            "aws_vpc_security_group_ingress_rule",
            "aws_vpc_security_group_egress_rule",
            "aws_flow_log",
            "aws_network_acl",
        ),
        _PLUMBING,
    ),
    **dict.fromkeys(
        (
            "aws_db_subnet_group",
            "aws_db_parameter_group",
            "aws_elasticache_subnet_group",
            "aws_elasticache_parameter_group",
            "aws_ecr_lifecycle_policy",
            "aws_ecr_repository_policy",
            "aws_ssm_parameter",  # the deploy settings opsctl reads, drawn as no node
            "aws_kms_alias",
            "aws_secretsmanager_secret_version",
            "aws_s3_bucket_lifecycle_configuration",
            "aws_s3_bucket_logging",
            "aws_s3_bucket_ownership_controls",
            "aws_s3_bucket_policy",
            "aws_s3_bucket_public_access_block",
            "aws_s3_bucket_versioning",
            "aws_s3_bucket_server_side_encryption_configuration",
            "aws_sns_topic_subscription",
            "aws_wafv2_web_acl_association",
            "aws_wafv2_web_acl_logging_configuration",
            "aws_acm_certificate_validation",
            "aws_lb_listener_rule",
            "aws_iam_role",
            "aws_iam_role_policy",
            "aws_iam_role_policy_attachment",
            "aws_iam_policy",
            "aws_appautoscaling_target",
            "aws_appautoscaling_policy",
            "aws_appautoscaling_scheduled_action",
        ),
        _SETTING,
    ),
}

_RESOURCE = re.compile(r'^\s*resource\s+"(aws_[a-z0-9_]+)"\s+"', re.MULTILINE)
_IMAGE = re.compile(r'image="?([^"\]\s]+\.png)"?')
_SVG_HREF = re.compile(r'(xlink:href|href)="([^"#][^"]*\.png)"')


@dataclass
class Drift:
    missing_from_diagram: list[tuple[str, str]] = field(default_factory=list)  # (type, kind)
    missing_from_infra: list[str] = field(default_factory=list)  # drawn kinds
    unmapped: list[str] = field(default_factory=list)  # resource types in no table

    @property
    def ok(self) -> bool:
        return not (self.missing_from_diagram or self.missing_from_infra or self.unmapped)

    def problems(self) -> list[str]:
        lines = [
            f"infra declares {t} but the diagram draws no {k}" for t, k in self.missing_from_diagram
        ]
        lines += [
            f"the diagram draws {k} but infra declares none of: "
            + ", ".join(sorted(t for t, kind in DRAWN_AS.items() if kind == k))
            for k in self.missing_from_infra
        ]
        lines += [
            f"infra declares {t}, which the diagram mapping does not know: "
            "add it to DRAWN_AS or NOT_DRAWN in opsctl/core/diagram_check.py"
            for t in self.unmapped
        ]
        return lines


def declared_types(sources: Iterable[str]) -> set[str]:
    """AWS resource types in Terraform sources (`resource "aws_x" "name" {`)."""
    return {match for text in sources for match in _RESOURCE.findall(text)}


def drawn_kinds(dot_source: str, kind_by_icon: dict[str, str]) -> set[str]:
    """Node kinds a rendered diagram drew, from the icon paths in its dot source.

    kind_by_icon maps an icon's path tail (`resources/aws/network/nat-gateway.png`)
    to its kind (`aws.network.NATGateway`).
    """
    kinds: set[str] = set()
    for image in _IMAGE.findall(dot_source):
        tail = image.replace("\\", "/")
        kinds.update(kind for icon, kind in kind_by_icon.items() if tail.endswith("/" + icon))
    return kinds


def compare(declared: set[str], drawn: set[str]) -> Drift:
    drift = Drift()
    drawn_aws = {k for k in drawn if k.startswith("aws.")}
    backed = set()
    for rtype in sorted(declared):
        if rtype in DRAWN_AS:
            kind = DRAWN_AS[rtype]
            backed.add(kind)
            if kind not in drawn_aws:
                drift.missing_from_diagram.append((rtype, kind))
        elif rtype not in NOT_DRAWN:
            drift.unmapped.append(rtype)
    drift.missing_from_infra = sorted(drawn_aws - backed)
    return drift


def embed_images(svg: str, read: Callable[[str], bytes]) -> str:
    """Inline every PNG an SVG links by path as a data URI, so the file works anywhere."""

    def inline(match: re.Match[str]) -> str:
        data = base64.b64encode(read(match.group(2))).decode("ascii")
        return f'{match.group(1)}="data:image/png;base64,{data}"'

    return _SVG_HREF.sub(inline, svg)
