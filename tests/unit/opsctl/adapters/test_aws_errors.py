"""botocore failures become one line naming the call, with the right exit code."""

import pytest
from botocore.exceptions import ClientError, EndpointConnectionError, NoCredentialsError

from opsctl.adapters.aws_errors import AwsError, calling
from opsctl.errors import OpsError, PrerequisiteError


def test_client_error_keeps_the_code_and_names_the_call():
    error = ClientError(
        {"Error": {"Code": "AccessDeniedException", "Message": "not allowed"}}, "CreateDeployment"
    )
    with pytest.raises(AwsError) as caught, calling("codedeploy.CreateDeployment"):
        raise error
    assert caught.value.message == "codedeploy.CreateDeployment: AccessDeniedException: not allowed"
    assert caught.value.code == "AccessDeniedException" and caught.value.exit_code == 1
    assert caught.value.hint == "check the credentials' permissions"


def test_missing_credentials_is_a_prerequisite():
    with pytest.raises(PrerequisiteError) as caught, calling("ecs.DescribeServices"):
        raise NoCredentialsError()
    assert caught.value.exit_code == 3
    assert caught.value.message.startswith("ecs.DescribeServices: Unable to locate credentials")


def test_unreachable_endpoint():
    with pytest.raises(OpsError) as caught, calling("ecr.DescribeImages"):
        raise EndpointConnectionError(endpoint_url="http://127.0.0.1:1")
    assert caught.value.message.startswith("ecr.DescribeImages: Could not connect")
    assert caught.value.hint == "is AWS_ENDPOINT_URL reachable?"
