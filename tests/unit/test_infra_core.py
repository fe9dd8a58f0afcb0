"""opsctl.core.terraform: roots, CLI config and Terraform's JSON, without running Terraform."""

import json

import pytest

from opsctl.core import terraform as tf

pytestmark = pytest.mark.unit


def test_cli_config_installs_only_from_the_mirror():
    text = tf.cli_config('/opt/my "mirror"')
    assert 'path    = "/opt/my \\"mirror\\""' in text
    assert "filesystem_mirror" in text
    assert 'include = ["registry.terraform.io/*/*"]' in text
    # Without a direct {} block Terraform has no way to download.
    assert "direct" not in text
    assert "network_mirror" not in text


@pytest.mark.parametrize(
    ("files", "roots"),
    [
        (
            ["envs/prod/main.tf", "envs/prod/outputs.tf", "envs/staging/main.tf"],
            ["envs/prod", "envs/staging"],
        ),
        (["modules/network/main.tf", "bootstrap/main.tf"], ["bootstrap"]),
        (["envs/staging/.terraform/modules/x/main.tf", "envs/staging/main.tf"], ["envs/staging"]),
        (["envs/staging/backend_override.tf"], []),
        (["envs/staging/README.md", "envs/staging/terraform.tfvars"], []),
        ([], []),
    ],
)
def test_find_roots(files, roots):
    assert tf.find_roots(files) == roots


def test_find_tested_modules():
    files = [
        "modules/service/tests/autoscaling.tftest.hcl",
        "modules/service/tests/more.tftest.hcl",
        "modules/service/main.tf",
        "modules/edge/main.tf",
        "envs/staging/.terraform/modules/x/tests/y.tftest.hcl",
        "loose.tftest.hcl",
    ]
    assert tf.find_tested_modules(files) == ["modules/service"]


def test_parse_test():
    assert tf.parse_test("Success! 3 passed, 0 failed.\n", "", 0) == []
    stdout = (
        'tests/a.tftest.hcl... in progress\n  run "floor"... pass\n'
        '  run "target"... fail\ntests/a.tftest.hcl... fail\n'
    )
    stderr = "\nError: Test assertion failed\n\n  on tests/a.tftest.hcl line 3\n"
    found = tf.parse_test(stdout, stderr, 1)
    assert [d.line() for d in found] == ['run "target" failed', "Error: Test assertion failed"]


def test_env_root():
    assert tf.env_root("staging") == "envs/staging"
    for bad in ("", "../etc", "a/b", ".hidden"):
        with pytest.raises(ValueError):
            tf.env_root(bad)


def test_parse_validate_valid():
    text = json.dumps({"format_version": "1.0", "valid": True, "diagnostics": []})
    assert tf.parse_validate(text) == []


def test_parse_validate_errors_and_warnings():
    text = json.dumps(
        {
            "valid": False,
            "diagnostics": [
                {
                    "severity": "error",
                    "summary": "Unsupported argument",
                    "range": {"filename": "main.tf", "start": {"line": 7}},
                },
                {"severity": "warning", "summary": "Deprecated attribute"},
            ],
        }
    )
    found = tf.parse_validate(text)
    assert [d.line() for d in found] == ["main.tf:7: Unsupported argument", "Deprecated attribute"]
    result = tf.RootResult("envs/staging", found)
    assert not result.ok
    assert len(result.errors) == 1 and len(result.warnings) == 1


def test_parse_validate_invalid_without_diagnostics_is_an_error():
    found = tf.parse_validate(json.dumps({"valid": False, "diagnostics": []}))
    assert [d.severity for d in found] == ["error"]


def test_parse_validate_not_json():
    (found,) = tf.parse_validate("Error: Missing required provider\n")
    assert found.severity == "error"
    assert "Missing required provider" in found.summary


def test_parse_fmt():
    assert tf.parse_fmt("modules/a/main.tf\n\nenvs/b.tf\n", "infra/") == [
        "infra/modules/a/main.tf",
        "infra/envs/b.tf",
    ]
    assert tf.parse_fmt("") == []


@pytest.mark.parametrize(
    ("stderr", "line"),
    [
        (
            "╷\n│ Error: No valid credential sources found\n│\n│ more\n╵\n",
            "Error: No valid credential sources found",
        ),
        ("Initializing...\nsomething odd happened\n", "something odd happened"),
        ("", "terraform failed"),
    ],
)
def test_first_error(stderr, line):
    assert tf.first_error(stderr) == line


def test_output_values_strips_metadata():
    text = json.dumps(
        {
            "container_port": {"sensitive": False, "type": "number", "value": 8000},
            "private_subnet_ids": {"type": ["list", "string"], "value": ["subnet-1"]},
        }
    )
    assert tf.output_values(text) == {"container_port": 8000, "private_subnet_ids": ["subnet-1"]}
    assert tf.output_values("") == {}


def test_report_ok_needs_every_root_valid_and_formatted():
    good = tf.RootResult("envs/staging")
    bad = tf.RootResult("envs/prod", [tf.Diagnostic("error", "boom", "main.tf:1")])
    assert tf.ValidateReport([good], []).ok
    assert not tf.ValidateReport([good], ["modules/x/main.tf"]).ok
    report = tf.ValidateReport([good, bad], [])
    assert not report.ok
    data = report.to_json()
    assert data["ok"] is False
    assert data["roots"][1] == {
        "root": "envs/prod",
        "ok": False,
        "errors": ["main.tf:1: boom"],
        "warnings": [],
    }


def test_output_contract_is_the_deploy_object_of_contract_c1():
    """The keys of the stack's one `deploy` object, in the order modules/stack writes them."""
    assert tf.OUTPUT_CONTRACT == (
        "region",
        "account_id",
        "cluster_name",
        "service_name",
        "task_family",
        "task_definition_arn",
        "migrate_task_definition_arn",
        "container_name",
        "container_port",
        "codedeploy_app_name",
        "codedeploy_group_name",
        "blue_target_group_name",
        "green_target_group_name",
        "prod_listener_arn",
        "test_listener_arn",
        "test_listener_url",
        "alb_dns_name",
        "ecr_repository_url",
        "log_group_name",
        "private_subnet_ids",
        "app_security_group_id",
        "min_capacity",
        "max_capacity",
    )
