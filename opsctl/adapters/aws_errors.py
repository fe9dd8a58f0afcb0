"""botocore's exceptions as one-line OpsErrors that name the AWS call that failed."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from opsctl.errors import OpsError, PrerequisiteError


class AwsError(OpsError):
    """A call AWS refused; `code` is its error code, for callers that branch on it."""

    def __init__(self, message: str, code: str, hint: str | None = None):
        super().__init__(message, hint=hint)
        self.code = code


@contextmanager
def calling(operation: str) -> Iterator[None]:
    """Translate botocore's exceptions into one-line errors that name the call."""
    from botocore.exceptions import (
        BotoCoreError,
        ClientError,
        EndpointConnectionError,
        NoCredentialsError,
        NoRegionError,
    )

    try:
        yield
    except ClientError as exc:
        error = exc.response.get("Error", {})
        code = str(error.get("Code", "Unknown"))
        hint = "check the credentials' permissions" if "AccessDenied" in code else None
        raise AwsError(f"{operation}: {code}: {error.get('Message', '')}", code, hint) from exc
    except (NoCredentialsError, NoRegionError) as exc:
        raise PrerequisiteError(
            f"{operation}: {exc}",
            hint="configure AWS credentials (AWS_PROFILE, environment, SSO or instance role)",
        ) from exc
    except EndpointConnectionError as exc:
        raise OpsError(f"{operation}: {exc}", hint="is AWS_ENDPOINT_URL reachable?") from exc
    except BotoCoreError as exc:
        raise OpsError(f"{operation}: {exc}") from exc
