"""MyCandidate's delivery pipeline, from pull request to production, drawn with `diagrams`.

Render with `opsctl diagram` (writes docs/cicd.png). Each step names the opsctl
command it runs, so the picture and the workflows say the same thing.
"""

from __future__ import annotations

from pathlib import Path

from diagrams import Cluster, Diagram, Edge
from diagrams.aws.compute import EC2ContainerRegistry, Fargate
from diagrams.aws.devtools import Codedeploy
from diagrams.aws.management import CloudwatchAlarm
from diagrams.onprem.ci import GithubActions
from diagrams.onprem.client import User
from diagrams.onprem.container import Docker
from diagrams.onprem.security import Trivy
from diagrams.onprem.vcs import Github

GRAPH = {"fontsize": "22", "pad": "0.4", "nodesep": "0.6", "ranksep": "0.9", "splines": "spline"}
NODE = {"fontsize": "12"}
EDGE = {"fontsize": "11", "fontcolor": "#333333"}


def render(out_dir: Path, fmt: str = "png") -> Diagram:
    """Draw the pipeline into out_dir/cicd.<fmt>; returns the finished diagram."""
    with Diagram(
        "MyCandidate delivery pipeline",
        filename=str(out_dir / "cicd"),
        outformat=fmt,
        show=False,
        direction="LR",
        graph_attr=GRAPH,
        node_attr=NODE,
        edge_attr=EDGE,
    ) as diagram:
        pull_request = Github("pull request")

        with Cluster("every push: GitHub Actions"):
            test = GithubActions("test\nopsctl test all")
            scan = Trivy("scan\nopsctl scan")
            build = Docker("build\nopsctl build")

        with Cluster("main branch"):
            push = EC2ContainerRegistry("push to ECR\n(image digest)")
            staging = Codedeploy("deploy staging\nopsctl deploy")
            smoke = GithubActions("smoke test\n/healthz, API")
            approval = User("approval\n(protected env)")

        with Cluster("production"):
            canary = Codedeploy("canary 10%\nthen all traffic")
            alarms = CloudwatchAlarm("alarms\n5xx, latency")
            live = Fargate("green serves\nproduction")
            rollback = Codedeploy("rollback\nto blue")

        pull_request >> Edge(label="opens") >> test >> Edge(label="passes") >> scan
        scan >> Edge(label="clean") >> build
        build >> Edge(label="merged") >> push >> staging >> smoke
        smoke >> Edge(label="green") >> approval >> Edge(label="approved") >> canary
        canary >> Edge(label="watch") >> alarms
        alarms >> Edge(label="quiet", color="#2e8b57") >> live
        alarms >> Edge(label="alarm fires", color="#c0392b", style="dashed") >> rollback
    return diagram


if __name__ == "__main__":
    render(Path(__file__).resolve().parent.parent / "docs")
