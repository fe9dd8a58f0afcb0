"""MyCandidate on AWS: the production architecture, drawn with the `diagrams` library.

Render with `opsctl diagram` (writes docs/architecture.png); `opsctl diagram --check`
compares the AWS node kinds drawn here with the resources declared in infra/.
"""

from __future__ import annotations

from pathlib import Path

from diagrams import Cluster, Diagram, Edge
from diagrams.aws.compute import EC2ContainerRegistry, ElasticContainerServiceService, Fargate
from diagrams.aws.database import ElasticacheForRedis, RDSPostgresqlInstance
from diagrams.aws.devtools import Codedeploy
from diagrams.aws.integration import SimpleNotificationServiceSns
from diagrams.aws.management import Cloudwatch
from diagrams.aws.network import (
    ElbApplicationLoadBalancer,
    Endpoint,
    InternetGateway,
    NATGateway,
    Route53,
)
from diagrams.aws.security import (
    WAF,
    CertificateManager,
    IdentityAndAccessManagementIamRole,
    KeyManagementService,
    SecretsManager,
)
from diagrams.aws.storage import SimpleStorageServiceS3
from diagrams.onprem.ci import GithubActions
from diagrams.onprem.client import Users

GRAPH = {"fontsize": "22", "pad": "0.4", "nodesep": "0.55", "ranksep": "1.1", "splines": "spline"}
NODE = {"fontsize": "12"}
EDGE = {"fontsize": "11", "fontcolor": "#333333"}


def render(out_dir: Path, fmt: str = "png") -> Diagram:
    """Draw the architecture into out_dir/architecture.<fmt>; returns the finished diagram."""
    with Diagram(
        "MyCandidate on AWS (one environment)",
        filename=str(out_dir / "architecture"),
        outformat=fmt,
        show=False,
        direction="LR",
        graph_attr=GRAPH,
        node_attr=NODE,
        edge_attr=EDGE,
    ) as diagram:
        voters = Users("voters")

        with Cluster("GitHub"):
            actions = GithubActions("GitHub Actions")

        with Cluster("AWS account"):
            dns = Route53("Route 53")
            waf = WAF("WAF web ACL")
            certificate = CertificateManager("ACM certificate\n(ALB TLS)")
            oidc = IdentityAndAccessManagementIamRole("deploy role\n(OIDC trust)")
            codedeploy = Codedeploy("CodeDeploy\nblue/green, canary,\nrollback")
            registry = EC2ContainerRegistry("ECR")
            secrets = SecretsManager("Secrets Manager")
            logs = Cloudwatch("CloudWatch\nlogs, alarms")
            alerts = SimpleNotificationServiceSns("SNS alarm topic")
            access_logs = SimpleStorageServiceS3("S3\nALB access logs")
            kms = KeyManagementService("KMS keys")

            with Cluster("VPC"):
                gateway = InternetGateway("internet gateway")
                with Cluster("public subnets, AZ a + AZ b"):
                    alb = ElbApplicationLoadBalancer("ALB\nprod :443, test listener")
                    nat = NATGateway("NAT gateway")

                with Cluster("private app subnets, AZ a + AZ b"):
                    service = ElasticContainerServiceService("ECS Fargate\nservice")
                    with Cluster("blue target group (prod)"):
                        blue = [Fargate("task, AZ a"), Fargate("task, AZ b")]
                    with Cluster("green target group (test)"):
                        green = [Fargate("task, AZ a"), Fargate("task, AZ b")]
                    endpoints = Endpoint("VPC endpoints\nECR, logs, secrets, S3")

                with Cluster("private data subnets, AZ a + AZ b"):
                    database = RDSPostgresqlInstance("RDS PostgreSQL\nMulti-AZ")
                    cache = ElasticacheForRedis("ElastiCache\nRedis")

        voters >> Edge(label="HTTPS") >> dns >> Edge(label="alias") >> waf
        waf >> Edge(label="filters") >> gateway >> alb
        certificate >> Edge(style="dotted") >> alb
        alb >> Edge(style="dotted") >> access_logs
        alb >> Edge(label="prod listener", color="#1f5fbf") >> blue
        alb >> Edge(label="test listener", color="#2e8b57", style="dashed") >> green
        service >> Edge(label="SQL :5432") >> database
        service >> Edge(label="TLS :6379") >> cache
        service >> Edge(label="pull, read, log") >> endpoints
        endpoints >> Edge(label="private link") >> [registry, secrets, logs]
        service >> Edge(label="egress", style="dotted") >> nat
        logs >> Edge(label="alarms") >> alerts
        kms >> Edge(label="encrypts", style="dotted") >> [secrets, database]

        actions >> Edge(label="OIDC: assume role") >> oidc
        oidc >> Edge(label="push image") >> registry
        oidc >> Edge(label="deploy") >> codedeploy
        codedeploy >> Edge(label="shift traffic", style="dashed") >> alb
    return diagram


if __name__ == "__main__":
    render(Path(__file__).resolve().parent.parent / "docs")
