"""The staging root applied to a moto server, then read back with boto3.

A fresh moto server on 127.0.0.1 per run, with AWS managed policies loaded
(`MOTO_IAM_LOAD_MANAGED_POLICIES=true`, for the CodeDeploy and RDS monitoring
roles). The apply runs on a temporary copy of infra/ with a local backend and
`emulator=true`, which leaves out exactly what moto cannot do: the ElastiCache
replication group (moto does not report its member clusters, so the provider
never sees it available) and Application Auto Scaling (moto rejects its tags).
CodeDeploy deletes and `terraform destroy` do not work in moto either, so
nothing is destroyed: the server simply stops. Apply takes about three minutes,
mostly the provider waiting on RDS and the ALB.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from opsctl.adapters import terraform as adapter
from opsctl.adapters.services import free_port
from opsctl.core.terraform import OUTPUT_CONTRACT
from opsctl.errors import PrerequisiteError
from tests.conftest import require

# The apply is in the first test that asks for `applied`; the budget covers it.
pytestmark = [pytest.mark.integration, pytest.mark.emulator, pytest.mark.timeout(1200)]

ROOT = Path(__file__).resolve().parents[2]
REGION = "af-south-1"
FAKE_CREDENTIALS = {"AWS_ACCESS_KEY_ID": "testing", "AWS_SECRET_ACCESS_KEY": "testing"}


@pytest.fixture(scope="module")
def moto_url(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """A moto server of our own, in its own process, stopped (not destroyed) at the end."""
    port = free_port()
    log = (tmp_path_factory.mktemp("moto") / "server.log").open("w")
    env = {**os.environ, "MOTO_IAM_LOAD_MANAGED_POLICIES": "true"}
    proc = subprocess.Popen(
        [sys.executable, "-m", "moto.server", "-H", "127.0.0.1", "-p", str(port)],
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                urllib.request.urlopen(f"{url}/moto-api/", timeout=2).close()
                break
            except OSError:
                if proc.poll() is not None or time.monotonic() > deadline:
                    pytest.fail(f"moto server did not start (exit {proc.poll()})")
                time.sleep(0.3)
        yield url
    finally:
        proc.terminate()
        proc.wait(timeout=30)
        log.close()


@pytest.fixture(scope="module")
def applied(moto_url: str, tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, dict[str, Any]]:
    """Apply infra/envs/staging to moto; return the applied root and its outputs."""
    work = tmp_path_factory.mktemp("infra-emulator")
    try:
        terraform = adapter.Terraform.create(cache_dir=work / "cache")
    except PrerequisiteError as exc:
        require(False, exc.message)
    shutil.copytree(ROOT / "infra", work / "infra", ignore=shutil.ignore_patterns(".terraform"))
    root = work / "infra" / "envs" / "staging"
    # The S3 backend would need the real state bucket; this run keeps state beside the copy.
    (root / "backend_override.tf").write_text('terraform {\n  backend "local" {}\n}\n')
    env = {
        **FAKE_CREDENTIALS,
        "AWS_REGION": REGION,
        "AWS_PROFILE": "",
        "NO_PROXY": "127.0.0.1,localhost",
    }
    terraform.init(root, backend=True, env=env)
    terraform.run(
        root,
        "apply",
        "-auto-approve",
        "-input=false",
        "-no-color",
        "-parallelism=20",
        f"-var=aws_endpoint_url={moto_url}",
        "-var=emulator=true",
        timeout=900,
        env=env,
    )
    return root, terraform.output(root, env=env)


def client(service: str, url: str) -> Any:
    import boto3

    return boto3.client(
        service,
        endpoint_url=url,
        region_name=REGION,
        aws_access_key_id=FAKE_CREDENTIALS["AWS_ACCESS_KEY_ID"],
        aws_secret_access_key=FAKE_CREDENTIALS["AWS_SECRET_ACCESS_KEY"],
    )


def test_outputs_hold_the_deploy_contract(applied):
    _, outputs = applied
    assert [name for name in OUTPUT_CONTRACT if name not in outputs] == []
    assert outputs["region"] == REGION
    assert outputs["container_name"] == "app"
    assert outputs["container_port"] == 8000
    assert outputs["test_listener_url"] == "https://staging.mycandidate.org.za:8443"
    assert len(outputs["private_subnet_ids"]) == 2
    assert outputs["ecr_repository_url"].endswith("/mycandidate-staging")


def test_ecs_service_is_released_by_codedeploy(applied, moto_url):
    _, out = applied
    ecs = client("ecs", moto_url)
    (service,) = ecs.describe_services(cluster=out["cluster_name"], services=[out["service_name"]])[
        "services"
    ]
    assert service["deploymentController"] == {"type": "CODE_DEPLOY"}
    assert service["launchType"] == "FARGATE"
    vpc = service["networkConfiguration"]["awsvpcConfiguration"]
    assert vpc["assignPublicIp"] == "DISABLED"
    assert sorted(vpc["subnets"]) == sorted(out["private_subnet_ids"])
    assert vpc["securityGroups"] == [out["app_security_group_id"]]
    (lb,) = service["loadBalancers"]
    assert (lb["containerName"], lb["containerPort"]) == ("app", 8000)
    assert f"targetgroup/{out['blue_target_group_name']}/" in lb["targetGroupArn"]

    task = ecs.describe_task_definition(taskDefinition=out["task_family"])["taskDefinition"]
    (container,) = task["containerDefinitions"]
    assert container["user"] == "10001:10001"
    assert container["readonlyRootFilesystem"] is True
    assert {"sourceVolume": "tmp", "containerPath": "/tmp", "readOnly": False} in container[
        "mountPoints"
    ]
    assert sorted(s["name"] for s in container["secrets"]) == [
        "DATABASE_URL",
        "REDIS_URL",
        "SECRET_KEY",
    ]
    environment = {e["name"]: e["value"] for e in container["environment"]}
    assert environment["WEB_CONCURRENCY"] == "2"
    # Only the ALB's (public) subnets may set X-Forwarded-*; never the app's own subnets.
    assert environment["FORWARDED_ALLOW_IPS"].split(",") == ["10.20.0.0/20", "10.20.16.0/20"]
    assert container["logConfiguration"]["options"]["awslogs-group"] == out["log_group_name"]


def test_deployment_group_pairs_the_target_groups_and_listeners(applied, moto_url):
    _, out = applied
    info = client("codedeploy", moto_url).get_deployment_group(
        applicationName=out["codedeploy_app_name"], deploymentGroupName=out["codedeploy_group_name"]
    )["deploymentGroupInfo"]
    assert info["deploymentStyle"] == {
        "deploymentType": "BLUE_GREEN",
        "deploymentOption": "WITH_TRAFFIC_CONTROL",
    }
    assert info["ecsServices"] == [
        {"serviceName": out["service_name"], "clusterName": out["cluster_name"]}
    ]
    assert info["autoRollbackConfiguration"]["enabled"] is True
    assert set(info["autoRollbackConfiguration"]["events"]) == {
        "DEPLOYMENT_FAILURE",
        "DEPLOYMENT_STOP_ON_ALARM",
    }
    (pair,) = info["loadBalancerInfo"]["targetGroupPairInfoList"]
    assert [tg["name"] for tg in pair["targetGroups"]] == [
        out["blue_target_group_name"],
        out["green_target_group_name"],
    ]
    assert pair["prodTrafficRoute"]["listenerArns"] == [out["prod_listener_arn"]]
    assert pair["testTrafficRoute"]["listenerArns"] == [out["test_listener_arn"]]


def test_listeners_redirect_http_and_serve_tls12_plus(applied, moto_url):
    _, out = applied
    elb = client("elbv2", moto_url)
    (alb,) = elb.describe_load_balancers(Names=[out["service_name"]])["LoadBalancers"]
    assert alb["DNSName"] == out["alb_dns_name"]
    listeners = {
        listener["Port"]: listener
        for listener in elb.describe_listeners(LoadBalancerArn=alb["LoadBalancerArn"])["Listeners"]
    }
    assert sorted(listeners) == [80, 443, 8443]
    (redirect,) = listeners[80]["DefaultActions"]
    assert redirect["Type"] == "redirect"
    assert redirect["RedirectConfig"]["Protocol"] == "HTTPS"
    assert redirect["RedirectConfig"]["StatusCode"] == "HTTP_301"
    assert listeners[443]["ListenerArn"] == out["prod_listener_arn"]
    assert listeners[8443]["ListenerArn"] == out["test_listener_arn"]
    for port in (443, 8443):
        assert listeners[port]["Protocol"] == "HTTPS"
        assert listeners[port]["SslPolicy"] == "ELBSecurityPolicy-TLS13-1-2-2021-06"
    attributes = {
        a["Key"]: a["Value"]
        for a in elb.describe_load_balancer_attributes(LoadBalancerArn=alb["LoadBalancerArn"])[
            "Attributes"
        ]
    }
    assert attributes["routing.http.drop_invalid_header_fields.enabled"] == "true"
    assert attributes["deletion_protection.enabled"] == "true"
    assert attributes["access_logs.s3.enabled"] == "true"
    for name in (out["blue_target_group_name"], out["green_target_group_name"]):
        (tg,) = elb.describe_target_groups(Names=[name])["TargetGroups"]
        assert (tg["HealthCheckPath"], tg["TargetType"], tg["Port"]) == ("/readyz", "ip", 8000)


def test_database_is_private_encrypted_and_its_password_stays_out_of_state(applied, moto_url):
    root, out = applied
    (db,) = client("rds", moto_url).describe_db_instances(DBInstanceIdentifier=out["service_name"])[
        "DBInstances"
    ]
    assert db["StorageEncrypted"] is True
    assert db["PubliclyAccessible"] is False
    assert db["IAMDatabaseAuthenticationEnabled"] is True
    assert db["DeletionProtection"] is True
    url = client("secretsmanager", moto_url).get_secret_value(
        SecretId=f"{out['service_name']}/database-url"
    )["SecretString"]
    assert url.startswith("postgresql://mycandidate:")
    assert url.endswith(f"@{db['Endpoint']['Address']}:5432/mycandidate?sslmode=require")
    password = url.split(":", 2)[2].split("@", 1)[0]
    assert len(password) == 40
    # Write-only arguments: the password reached RDS and the secret, never the state.
    state = (root / "terraform.tfstate").read_text()
    assert password not in state
    assert json.loads(state)["resources"]


def test_infra_output_command_reads_the_applied_root(applied, tmp_path):
    root, out = applied
    result = subprocess.run(
        [sys.executable, "-m", "opsctl", "infra", "output", "--root", str(root), "--json"],
        env={**os.environ, **FAKE_CREDENTIALS, "XDG_CACHE_HOME": str(tmp_path / "cache")},
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout) == json.loads(json.dumps(out))
