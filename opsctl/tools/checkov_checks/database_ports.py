"""Checkov policies of our own, loaded with `--external-checks-dir` by `opsctl scan`.

Checkov ships unrestricted-ingress checks for 22, 80 and 3389 but none for the
ports of the data stores this project runs, so an RDS or Redis security group
open to the internet would pass. Checkov's shared base class also fails any
`aws_vpc_security_group_ingress_rule` whose source is another security group,
so these read the CIDRs themselves: only a world-open range fails.
"""

from __future__ import annotations

from typing import Any

from checkov.common.models.enums import CheckCategories, CheckResult
from checkov.common.util.type_forcers import force_int, force_list
from checkov.terraform.checks.resource.base_resource_check import BaseResourceCheck

WORLD = {"0.0.0.0/0", "::/0"}


def _first(conf: dict[str, Any], key: str) -> Any:
    values = force_list(conf.get(key, [None]))
    return values[0] if values else None


def _cidrs(conf: dict[str, Any], *keys: str) -> set[str]:
    found: set[str] = set()
    for key in keys:
        for value in force_list(conf.get(key, [])):
            found.update(str(v) for v in force_list(value))
    return found


class DatabasePortOpenToWorld(BaseResourceCheck):
    """Fails an ingress rule that admits 0.0.0.0/0 or ::/0 to `port`."""

    def __init__(self, check_id: str, port: int, service: str) -> None:
        super().__init__(
            name=f"Ensure no security group admits the internet to {service} (port {port})",
            id=check_id,
            categories=(CheckCategories.NETWORKING,),
            supported_resources=(
                "aws_security_group",
                "aws_security_group_rule",
                "aws_vpc_security_group_ingress_rule",
            ),
        )
        self.port = port

    def scan_resource_conf(self, conf: dict[str, list[Any]]) -> CheckResult:
        if "ingress" in conf:
            rules = [
                r for block in conf["ingress"] for r in force_list(block) if isinstance(r, dict)
            ]
        elif "type" in conf:
            rules = [conf] if _first(conf, "type") == "ingress" else []
        else:
            rules = [conf]
        return CheckResult.FAILED if any(self._open(rule) for rule in rules) else CheckResult.PASSED

    def _open(self, rule: dict[str, Any]) -> bool:
        if not _cidrs(rule, "cidr_blocks", "ipv6_cidr_blocks", "cidr_ipv4", "cidr_ipv6") & WORLD:
            return False
        protocol = str(_first(rule, "protocol") or _first(rule, "ip_protocol") or "")
        if protocol in {"-1", "all"}:
            return True
        low = force_int(_first(rule, "from_port"))
        high = force_int(_first(rule, "to_port"))
        return low is not None and high is not None and low <= self.port <= high


postgres = DatabasePortOpenToWorld("CKV_MYC_1", 5432, "PostgreSQL")
redis = DatabasePortOpenToWorld("CKV_MYC_2", 6379, "Redis")
