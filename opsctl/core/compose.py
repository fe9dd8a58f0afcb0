"""The local compose stack's settings: the variables docker-compose.yml reads, its URLs, .env."""

from __future__ import annotations

from collections.abc import Mapping


def compose_environment(
    app_image: str | None,
    postgres_image: str | None = None,
    redis_image: str | None = None,
    port: int | None = None,
) -> dict[str, str]:
    """The variables docker-compose.yml reads to substitute images and the published port."""
    env = {
        "MYCANDIDATE_IMAGE": app_image,
        "POSTGRES_IMAGE": postgres_image,
        "REDIS_IMAGE": redis_image,
        "MYCANDIDATE_PORT": str(port) if port else None,
    }
    return {key: value for key, value in env.items() if value}


def service_urls(port: int) -> dict[str, str]:
    base = f"http://127.0.0.1:{port}"
    return {
        "site": f"{base}/",
        "api": f"{base}/api/v1/openapi.json",
        "health": f"{base}/healthz",
        "ready": f"{base}/readyz",
    }


def env_file_text(example: str, secrets: Mapping[str, str]) -> str:
    """Fill the empty `KEY=` lines of .env.example with generated values."""
    lines = []
    for line in example.splitlines():
        key, sep, value = line.partition("=")
        if sep and not line.lstrip().startswith("#") and not value and key in secrets:
            line = f"{key}={secrets[key]}"
        lines.append(line)
    return "\n".join(lines) + "\n"
