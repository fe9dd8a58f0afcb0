"""infra/examples/emulator (the stack module) applied to a moto server, then read back
with boto3.

A fresh moto server on 127.0.0.1 per run, with AWS managed policies loaded
(`MOTO_IAM_LOAD_MANAGED_POLICIES=true`, for the CodeDeploy and RDS monitoring
roles). The apply runs on a temporary copy of infra/; the example root keeps
local state and leaves out exactly what moto cannot do: the ElastiCache
replication group (moto does not report its member clusters, so the provider
never sees it available) and Application Auto Scaling (moto has no tagging API
for it; modules/service/tests covers it). CodeDeploy deletes and `terraform
destroy` do not work in moto either, so nothing is destroyed: the server simply
stops. Apply takes about three minutes, mostly the provider waiting on RDS, the
ALB and the certificate.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from opsctl.core.environment import DEPLOY_CONTRACT
from tests.support.infra import apply_example
from tests.support.servers import free_port

# The apply is in the first test that asks for `applied`; the budget covers it.
pytestmark = [pytest.mark.integration, pytest.mark.emulator, pytest.mark.timeout(1200)]

REGION = "af-south-1"
FAKE_CREDENTIALS = {"AWS_ACCESS_KEY_ID": "testing", "AWS_SECRET_ACCESS_KEY": "testing"}


@pytest.fixture(scope="module")
def moto_url(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """A moto server of our own, in its own process, stopped (not destroyed) at the end."""
    port = free_port()
    log = (tmp_path_factory.mktemp("moto") / "server.log").open("w")
    # ACM issues a requested certificate after this many seconds (moto's default: 60).
    env = {**os.environ, "MOTO_IAM_LOAD_MANAGED_POLICIES": "true", "MOTO_ACM_VALIDATION_WAIT": "5"}
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
    """Apply infra/examples/emulator to moto; return the applied root and its outputs."""
    work = tmp_path_factory.mktemp("infra-emulator")
    env = {**FAKE_CREDENTIALS, "AWS_REGION": REGION, "AWS_PROFILE": ""}
    return apply_example(work, moto_url, env)


def client(service: str, url: str) -> Any:
    import boto3

    return boto3.client(
        service,
        endpoint_url=url,
        region_name=REGION,
        aws_access_key_id=FAKE_CREDENTIALS["AWS_ACCESS_KEY_ID"],
        aws_secret_access_key=FAKE_CREDENTIALS["AWS_SECRET_ACCESS_KEY"],
    )


NAME = "mycandidate-emulator"


def test_deploy_object_is_the_contract_and_is_published_in_ssm(applied, moto_url):
    _, outputs = applied
    deploy = outputs["deploy"]
    assert set(deploy) == set(DEPLOY_CONTRACT)
    assert deploy["region"] == REGION
    assert deploy["account_id"] == "123456789012"
    assert (deploy["container_name"], deploy["container_port"]) == ("app", 8000)
    assert deploy["task_family"] == NAME
    assert deploy["test_listener_url"] == "https://emulator.mycandidate.test:8443"
    assert len(deploy["private_subnet_ids"]) == 2
    assert deploy["ecr_repository_url"].endswith(f"/{NAME}")
    assert (deploy["min_capacity"], deploy["max_capacity"]) == (2, 6)
    assert f":task-definition/{NAME}:" in deploy["task_definition_arn"]
    assert f":task-definition/{NAME}-migrate:" in deploy["migrate_task_definition_arn"]
    assert outputs["deploy_parameter_name"] == "/mycandidate/emulator/deploy"
    parameter = client("ssm", moto_url).get_parameter(Name="/mycandidate/emulator/deploy")
    assert parameter["Parameter"]["Type"] == "String"
    assert json.loads(parameter["Parameter"]["Value"]) == deploy


def test_fresh_service_runs_nothing_until_the_first_release(applied, moto_url):
    _, out = applied
    deploy = out["deploy"]
    ecs = client("ecs", moto_url)
    (service,) = ecs.describe_services(
        cluster=deploy["cluster_name"], services=[deploy["service_name"]]
    )["services"]
    assert service["desiredCount"] == 0
    assert service["deploymentController"] == {"type": "CODE_DEPLOY"}
    assert service["launchType"] == "FARGATE"
    assert service["taskDefinition"] == deploy["task_definition_arn"]
    vpc = service["networkConfiguration"]["awsvpcConfiguration"]
    assert vpc["assignPublicIp"] == "DISABLED"
    assert sorted(vpc["subnets"]) == sorted(deploy["private_subnet_ids"])
    assert vpc["securityGroups"] == [deploy["app_security_group_id"]]
    (lb,) = service["loadBalancers"]
    assert (lb["containerName"], lb["containerPort"]) == ("app", 8000)
    assert f"targetgroup/{deploy['blue_target_group_name']}/" in lb["targetGroupArn"]


def test_serving_family_connects_as_the_app_role(applied, moto_url):
    _, out = applied
    deploy = out["deploy"]
    task = client("ecs", moto_url).describe_task_definition(
        taskDefinition=deploy["task_definition_arn"]
    )["taskDefinition"]
    (container,) = task["containerDefinitions"]
    assert container["image"] == f"{deploy['ecr_repository_url']}:placeholder-never-pulled"
    assert container["user"] == "10001:10001"
    assert container["readonlyRootFilesystem"] is True
    assert {"sourceVolume": "tmp", "containerPath": "/tmp", "readOnly": False} in container[
        "mountPoints"
    ]
    secrets = {s["name"]: s["valueFrom"] for s in container["secrets"]}
    assert sorted(secrets) == ["DATABASE_PASSWORD", "REDIS_URL", "SECRET_KEY"]
    assert f":secret:{NAME}/database-app-password" in secrets["DATABASE_PASSWORD"]
    environment = {e["name"]: e["value"] for e in container["environment"]}
    assert environment["WEB_CONCURRENCY"] == "1"
    assert environment["DATABASE_URL"].startswith("postgresql://mycandidate_app@")
    assert environment["DATABASE_URL"].endswith(
        ":5432/mycandidate?sslmode=verify-full&sslrootcert=/opt/rds-ca/global-bundle.pem"
    )
    # Only the ALB's (public) subnets may set X-Forwarded-*; never the app's own subnets.
    assert environment["FORWARDED_ALLOW_IPS"].split(",") == ["10.40.0.0/20", "10.40.16.0/20"]
    assert container["logConfiguration"]["options"]["awslogs-group"] == deploy["log_group_name"]


def test_migration_family_uses_the_rds_managed_master_secret(applied, moto_url):
    root, out = applied
    deploy = out["deploy"]
    task = client("ecs", moto_url).describe_task_definition(
        taskDefinition=deploy["migrate_task_definition_arn"]
    )["taskDefinition"]
    assert task["family"] == f"{deploy['task_family']}-migrate"
    (container,) = task["containerDefinitions"]
    assert container["name"] == deploy["container_name"]
    assert container["command"] == ["opsctl", "db", "upgrade"]
    assert not container.get("portMappings")
    (db,) = client("rds", moto_url).describe_db_instances(DBInstanceIdentifier=NAME)["DBInstances"]
    assert db["StorageEncrypted"] is True
    assert db["PubliclyAccessible"] is False
    assert db["DeletionProtection"] is True
    master_secret = db["MasterUserSecret"]["SecretArn"]
    secrets = {s["name"]: s["valueFrom"] for s in container["secrets"]}
    assert secrets["DATABASE_PASSWORD"] == f"{master_secret}:password::"
    assert f":secret:{NAME}/database-app-password" in secrets["MYCANDIDATE_APP_ROLE_PASSWORD"]
    environment = {e["name"]: e["value"] for e in container["environment"]}
    assert environment["MYCANDIDATE_APP_ROLE"] == "mycandidate_app"
    assert environment["DATABASE_URL"] == (
        f"postgresql://mycandidate@{db['Endpoint']['Address']}:5432/mycandidate"
        "?sslmode=verify-full&sslrootcert=/opt/rds-ca/global-bundle.pem"
    )
    # The execution role reads exactly the secrets the two families name.
    iam = client("iam", moto_url)
    policy = iam.get_role_policy(RoleName=f"{NAME}-task-execution", PolicyName="pull-log-secrets")
    (read,) = [s for s in policy["PolicyDocument"]["Statement"] if s["Sid"] == "ReadAppSecrets"]
    named = {v.removesuffix(":password::") for v in secrets.values()} | {
        s["valueFrom"]
        for s in client("ecs", moto_url).describe_task_definition(
            taskDefinition=deploy["task_definition_arn"]
        )["taskDefinition"]["containerDefinitions"][0]["secrets"]
    }
    assert set(read["Resource"]) == named
    # The generated app-role password reached Secrets Manager, never the state.
    password = client("secretsmanager", moto_url).get_secret_value(
        SecretId=f"{NAME}/database-app-password"
    )["SecretString"]
    assert len(password) == 64
    state = (root / "terraform.tfstate").read_text()
    assert password not in state
    assert json.loads(state)["resources"]


def test_deployment_group_rolls_back_on_per_target_group_alarms(applied, moto_url):
    _, out = applied
    deploy = out["deploy"]
    info = client("codedeploy", moto_url).get_deployment_group(
        applicationName=deploy["codedeploy_app_name"],
        deploymentGroupName=deploy["codedeploy_group_name"],
    )["deploymentGroupInfo"]
    assert info["deploymentStyle"] == {
        "deploymentType": "BLUE_GREEN",
        "deploymentOption": "WITH_TRAFFIC_CONTROL",
    }
    assert info["ecsServices"] == [
        {"serviceName": deploy["service_name"], "clusterName": deploy["cluster_name"]}
    ]
    assert info["autoRollbackConfiguration"]["enabled"] is True
    (pair,) = info["loadBalancerInfo"]["targetGroupPairInfoList"]
    assert [tg["name"] for tg in pair["targetGroups"]] == [
        deploy["blue_target_group_name"],
        deploy["green_target_group_name"],
    ]
    assert pair["prodTrafficRoute"]["listenerArns"] == [deploy["prod_listener_arn"]]
    assert pair["testTrafficRoute"]["listenerArns"] == [deploy["test_listener_arn"]]
    # moto answers an empty alarmConfiguration whatever was sent; the module test
    # (modules/deploy/tests) checks the group names exactly these alarms.
    names = sorted(
        f"{NAME}-{kind}-{colour}"
        for kind in ("target-5xx-rate", "p99-latency", "unhealthy-hosts")
        for colour in ("blue", "green")
    )
    alarms = client("cloudwatch", moto_url).describe_alarms(AlarmNames=names)["MetricAlarms"]
    assert sorted(a["AlarmName"] for a in alarms) == names
    for alarm in alarms:
        if "unhealthy" in alarm["AlarmName"]:
            continue
        # Metric math over the target group's own metrics, never the whole ALB's.
        groups = {
            d["Value"]
            for q in alarm["Metrics"]
            if "MetricStat" in q
            for d in q["MetricStat"]["Metric"]["Dimensions"]
            if d["Name"] == "TargetGroup"
        }
        colour = alarm["AlarmName"].rsplit("-", 1)[1]
        assert len(groups) == 1 and f"/{deploy[f'{colour}_target_group_name']}/" in groups.pop()
        (expression,) = [q["Expression"] for q in alarm["Metrics"] if q.get("ReturnData")]
        assert expression.startswith("IF(requests >= 20,")


def test_https_listeners_use_the_validated_certificate_and_dns_points_at_the_alb(applied, moto_url):
    _, out = applied
    deploy = out["deploy"]
    elb = client("elbv2", moto_url)
    (alb,) = elb.describe_load_balancers(Names=[NAME])["LoadBalancers"]
    assert alb["DNSName"] == deploy["alb_dns_name"]
    assert alb["IpAddressType"] == "ipv4"  # dual_stack = false: moto cannot do IPv6 subnets
    listeners = {
        listener["Port"]: listener
        for listener in elb.describe_listeners(LoadBalancerArn=alb["LoadBalancerArn"])["Listeners"]
    }
    assert sorted(listeners) == [80, 443, 8443]
    (redirect,) = listeners[80]["DefaultActions"]
    assert redirect["Type"] == "redirect"
    assert redirect["RedirectConfig"]["Protocol"] == "HTTPS"
    assert listeners[443]["ListenerArn"] == deploy["prod_listener_arn"]
    assert listeners[8443]["ListenerArn"] == deploy["test_listener_arn"]
    for port in (443, 8443):
        assert listeners[port]["Protocol"] == "HTTPS"
        assert listeners[port]["SslPolicy"] == "ELBSecurityPolicy-TLS13-1-2-2021-06"
        (cert,) = listeners[port]["Certificates"]
        status = client("acm", moto_url).describe_certificate(
            CertificateArn=cert["CertificateArn"]
        )["Certificate"]["Status"]
        assert status == "ISSUED"
    attributes = {
        a["Key"]: a["Value"]
        for a in elb.describe_load_balancer_attributes(LoadBalancerArn=alb["LoadBalancerArn"])[
            "Attributes"
        ]
    }
    assert attributes["routing.http.drop_invalid_header_fields.enabled"] == "true"
    assert attributes["deletion_protection.enabled"] == "true"
    assert attributes["access_logs.s3.enabled"] == "true"
    for name in (deploy["blue_target_group_name"], deploy["green_target_group_name"]):
        (tg,) = elb.describe_target_groups(Names=[name])["TargetGroups"]
        assert (tg["HealthCheckPath"], tg["TargetType"], tg["Port"]) == ("/readyz", "ip", 8000)
    records = client("route53", moto_url).list_resource_record_sets(HostedZoneId=out["zone_id"])[
        "ResourceRecordSets"
    ]
    site = {r["Type"]: r for r in records if r["Name"] == "emulator.mycandidate.test."}
    assert sorted(site) == ["A"]  # AAAA too when dual-stack (modules/edge/tests)
    for record in site.values():
        assert record["AliasTarget"]["DNSName"].rstrip(".").lower() == alb["DNSName"].lower()
    assert any(r["Type"] == "CNAME" and r["Name"].startswith("_") for r in records)


def test_test_listener_admits_the_nat_gateways(applied, moto_url):
    ec2 = client("ec2", moto_url)
    (alb,) = client("elbv2", moto_url).describe_load_balancers(Names=[NAME])["LoadBalancers"]
    (group,) = alb["SecurityGroups"]
    rules = ec2.describe_security_group_rules(Filters=[{"Name": "group-id", "Values": [group]}])[
        "SecurityGroupRules"
    ]
    sources = sorted(
        r["CidrIpv4"] for r in rules if not r["IsEgress"] and r.get("FromPort") == 8443
    )
    nat_ips = [
        address["PublicIp"]
        for gateway in ec2.describe_nat_gateways()["NatGateways"]
        for address in gateway["NatGatewayAddresses"]
    ]
    assert len(nat_ips) == 1  # single_nat_gateway
    assert sources == sorted([*(f"{ip}/32" for ip in nat_ips), "198.51.100.0/24"])


def test_deploy_role_trusts_one_environment_and_allows_the_listed_actions(applied, moto_url):
    _, out = applied
    iam = client("iam", moto_url)
    role = iam.get_role(RoleName=f"{NAME}-github-deploy")["Role"]
    assert role["Arn"] == out["deploy_role_arn"]
    assert role["MaxSessionDuration"] == 10800
    (trust,) = role["AssumeRolePolicyDocument"]["Statement"]
    assert trust["Condition"]["StringEquals"]["token.actions.githubusercontent.com:sub"] == (
        "repo:mycandidate/mycandidate:environment:staging"
    )
    policy = iam.get_role_policy(RoleName=role["RoleName"], PolicyName="release")["PolicyDocument"]
    actions = sorted(
        a
        for s in policy["Statement"]
        for a in ([s["Action"]] if isinstance(s["Action"], str) else s["Action"])
    )
    assert actions == out["deploy_actions"]
    assert not [a for a in actions if a.startswith(("s3:", "kms:"))]
    (ssm,) = [s for s in policy["Statement"] if s["Sid"] == "ReadDeploySettings"]
    assert ssm["Resource"].endswith(":parameter/mycandidate/emulator/deploy")


def test_repository_lets_the_other_accounts_deploy_role_pull(applied, moto_url):
    text = client("ecr", moto_url).get_repository_policy(repositoryName=NAME)["policyText"]
    (grant,) = json.loads(text)["Statement"]
    assert grant["Principal"] == {"AWS": "arn:aws:iam::210987654321:root"}
    assert grant["Condition"] == {
        "ArnLike": {
            "aws:PrincipalArn": "arn:aws:iam::210987654321:role/mycandidate-prod-github-deploy"
        }
    }
    assert sorted(grant["Action"]) == [
        "ecr:BatchCheckLayerAvailability",
        "ecr:BatchGetImage",
        "ecr:GetDownloadUrlForLayer",
    ]


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
