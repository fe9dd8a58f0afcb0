"""docker-compose.yml as Compose itself reads it (`compose config`, no engine needed)."""

import json

import pytest

from opsctl.adapters.compose import COMPOSE_FILE
from tests.support.compose import SECRETS, compose_config


@pytest.fixture
def services(tmp_path) -> dict:
    done = compose_config(SECRETS, tmp_path)
    assert done.returncode == 0, done.stderr
    return json.loads(done.stdout)["services"]


def test_credentials_must_come_from_the_environment(tmp_path):
    for missing in SECRETS:
        env = {k: v for k, v in SECRETS.items() if k != missing}
        done = compose_config(env, tmp_path)
        assert done.returncode != 0
        assert f"set {missing} in .env" in done.stderr
    text = COMPOSE_FILE.read_text()
    assert not any(value in text for value in SECRETS.values())


def test_defaults_are_the_public_images(services):
    assert services["postgres"]["image"] == "postgres:15-bookworm"
    assert services["redis"]["image"] == "redis:7-bookworm"
    assert services["app"]["image"] == services["migrate"]["image"] == "mycandidate:latest"


def test_every_image_can_be_substituted(tmp_path):
    images = {"MYCANDIDATE_IMAGE": "a:1", "POSTGRES_IMAGE": "p:1", "REDIS_IMAGE": "r:1"}
    done = compose_config({**SECRETS, **images}, tmp_path)
    found = {name: svc["image"] for name, svc in json.loads(done.stdout)["services"].items()}
    assert found == {"app": "a:1", "migrate": "a:1", "postgres": "p:1", "redis": "r:1"}


def test_services_are_healthchecked_limited_and_published_on_loopback_only(services):
    for name, service in services.items():
        limits = service["deploy"]["resources"]["limits"]
        assert limits["memory"] and limits["cpus"], name
        for port in service.get("ports") or []:
            assert port["host_ip"] == "127.0.0.1", name
        if name != "migrate":  # a one-shot: its exit status is the signal
            assert service["healthcheck"]["test"], name
    assert services["app"]["ports"][0]["target"] == 8000


def test_app_starts_after_migrate_and_healthy_backends(services):
    depends = services["app"]["depends_on"]
    assert depends["migrate"]["condition"] == "service_completed_successfully"
    assert depends["postgres"]["condition"] == "service_healthy"
    assert depends["redis"]["condition"] == "service_healthy"
    assert services["migrate"]["depends_on"]["postgres"]["condition"] == "service_healthy"


def test_app_containers_are_read_only_and_unprivileged(services):
    for name in ("app", "migrate"):
        service = services[name]
        assert service["read_only"] is True
        assert service["cap_drop"] == ["ALL"]
        assert "no-new-privileges:true" in service["security_opt"]
    assert "redis-secret" in services["app"]["environment"]["REDIS_URL"]
    assert "--requirepass" in " ".join(services["redis"]["command"])
