"""The drift check between infra/ and the architecture diagram, and SVG icon embedding."""

import base64

import pytest

from opsctl.adapters.diagram import kind_index
from opsctl.core import diagram_check
from opsctl.core.diagram_check import DRAWN_AS, NOT_DRAWN, compare, declared_types, drawn_kinds

TERRAFORM = """
resource "aws_lb" "this" {
  name = "x"
}
  resource   "aws_ecs_service" "this" {}
data "aws_region" "current" {}
# resource "aws_commented_out" "x" {}
resource "random_password" "x" {}
module "network" { source = "../network" }
"""


def test_declared_types_reads_resource_blocks_only() -> None:
    assert declared_types([TERRAFORM, 'resource "aws_lb" "other" {}']) == {
        "aws_lb",
        "aws_ecs_service",
    }


def test_no_type_is_both_drawn_and_not_drawn() -> None:
    assert not DRAWN_AS.keys() & NOT_DRAWN.keys()


def test_every_mapped_kind_is_a_real_diagrams_class() -> None:
    known = set(kind_index().values())
    assert set(DRAWN_AS.values()) <= known, set(DRAWN_AS.values()) - known


def test_drawn_kinds_from_dot_source() -> None:
    index = {
        "resources/aws/network/nat-gateway.png": "aws.network.NATGateway",
        "resources/onprem/ci/github-actions.png": "onprem.ci.GithubActions",
    }
    dot = (
        'a [label=NAT image="/venv/site-packages/resources/aws/network/nat-gateway.png"]\n'
        'b [image="/x/resources/onprem/ci/github-actions.png" label=CI]\n'
        'c [image="/x/resources/aws/network/other.png"]\n'
    )
    assert drawn_kinds(dot, index) == {"aws.network.NATGateway", "onprem.ci.GithubActions"}


def test_in_sync() -> None:
    drift = compare(
        {"aws_lb", "aws_lb_listener", "aws_vpc"},
        {"aws.network.ElbApplicationLoadBalancer", "onprem.ci.GithubActions"},
    )
    assert drift.ok and drift.problems() == []


def test_each_side_of_the_drift_is_named() -> None:
    drift = compare(
        {"aws_lb", "aws_db_instance", "aws_lambda_function", "aws_vpc"},
        {"aws.network.ElbApplicationLoadBalancer", "aws.database.ElasticacheForRedis"},
    )
    assert not drift.ok
    assert drift.missing_from_diagram == [("aws_db_instance", "aws.database.RDSPostgresqlInstance")]
    assert drift.missing_from_infra == ["aws.database.ElasticacheForRedis"]
    assert drift.unmapped == ["aws_lambda_function"]
    problems = "\n".join(drift.problems())
    assert (
        "infra declares aws_db_instance but the diagram draws no aws.database.RDSPostgresqlInstance"
        in problems
    )
    assert (
        "draws aws.database.ElasticacheForRedis but infra declares none of: aws_elasticache_replication_group"
        in problems
    )
    assert "aws_lambda_function, which the diagram mapping does not know" in problems


@pytest.mark.parametrize("attribute", ["xlink:href", "href"])
def test_svg_icons_become_data_uris(attribute) -> None:
    svg = f'<svg><image {attribute}="/abs/icons/nat.png" width="1"/><a xlink:href="#x"/></svg>'
    out = diagram_check.embed_images(svg, lambda path: path.encode())
    encoded = base64.b64encode(b"/abs/icons/nat.png").decode()
    assert (
        out
        == f'<svg><image {attribute}="data:image/png;base64,{encoded}" width="1"/><a xlink:href="#x"/></svg>'
    )
