"""Checks that what a fake or the emulator answers is what AWS may answer, per botocore's model.

botocore's own validator checks requests, and its parser drops unknown response members,
but nothing checks a response's required members or enum values (`Stubber` does not
either). These checks do, and they know which error codes an operation may raise.
"""

from __future__ import annotations

from datetime import datetime
from functools import cache
from typing import Any

import botocore.session
from botocore.exceptions import ClientError
from botocore.model import OperationModel, ServiceModel, Shape
from botocore.validate import ParamValidator


class ContractError(AssertionError):
    """A response, request or error AWS's model does not allow."""


@cache
def service_model(service: str) -> ServiceModel:
    return botocore.session.get_session().get_service_model(service)


def operation(service: str, name: str) -> OperationModel:
    return service_model(service).operation_model(name)


def check_request(service: str, name: str, params: dict[str, Any]) -> None:
    """botocore's request validation, plus enum values."""
    op = operation(service, name)
    report = ParamValidator().validate(params, op.input_shape)
    problems = [report.generate_report()] if report.has_errors() else []
    problems += _check(op.input_shape, params, name)
    if problems:
        raise ContractError(f"{service}.{name} request: " + "; ".join(problems))


def check_response(service: str, name: str, response: dict[str, Any]) -> None:
    """Members the model knows, required members present, types and enum values right."""
    op = operation(service, name)
    body = {k: v for k, v in response.items() if k != "ResponseMetadata"}
    problems = _check(op.output_shape, body, name) if op.output_shape else []
    if problems:
        raise ContractError(f"{service}.{name} response: " + "; ".join(problems))


def error(service: str, name: str, code: str, message: str) -> ClientError:
    """A ClientError as botocore raises it, for an error the operation declares."""
    declared = {s.name for s in operation(service, name).error_shapes}
    if code not in declared:
        raise ContractError(f"{service}.{name} cannot raise {code} (declares: {sorted(declared)})")
    return ClientError({"Error": {"Code": code, "Message": message}}, name)


def check_error(service: str, name: str, exc: ClientError) -> None:
    code = exc.response.get("Error", {}).get("Code", "")
    declared = {s.name for s in operation(service, name).error_shapes}
    # Errors every AWS API may return, beside the operation's own.
    common = {"ThrottlingException", "AccessDeniedException", "ValidationException"}
    if code not in declared | common:
        raise ContractError(f"{service}.{name} raised undeclared {code}")


_SCALARS: dict[str, tuple[type, ...]] = {
    "string": (str,),
    "integer": (int,),
    "long": (int,),
    "float": (int, float),
    "double": (int, float),
    "boolean": (bool,),
    "timestamp": (datetime,),
    "blob": (bytes, bytearray),
}


def _check(shape: Shape | None, value: Any, path: str) -> list[str]:
    if shape is None:
        return []
    kind = shape.type_name
    if kind == "structure":
        if not isinstance(value, dict):
            return [f"{path}: expected an object, got {type(value).__name__}"]
        members = shape.members  # type: ignore[attr-defined]
        problems = [
            f"{path}.{m}: required member missing"
            for m in shape.required_members  # type: ignore[attr-defined]
            if m not in value
        ]
        for key, item in value.items():
            if key not in members:
                problems.append(f"{path}.{key}: not a member of {shape.name}")
            else:
                problems += _check(members[key], item, f"{path}.{key}")
        return problems
    if kind == "list":
        if not isinstance(value, list):
            return [f"{path}: expected a list, got {type(value).__name__}"]
        member = shape.member  # type: ignore[attr-defined]
        return [p for i, item in enumerate(value) for p in _check(member, item, f"{path}[{i}]")]
    if kind == "map":
        if not isinstance(value, dict):
            return [f"{path}: expected a map, got {type(value).__name__}"]
        key_shape, value_shape = shape.key, shape.value  # type: ignore[attr-defined]
        return [
            p
            for k, v in value.items()
            for p in _check(key_shape, k, f"{path}<key>") + _check(value_shape, v, f"{path}[{k}]")
        ]
    expected = _SCALARS.get(kind)
    # bool is an int to Python, never to AWS.
    wrong_bool = kind != "boolean" and isinstance(value, bool)
    if expected is not None and (not isinstance(value, expected) or wrong_bool):
        return [f"{path}: expected {kind}, got {type(value).__name__} {value!r}"]
    enum = shape.enum if kind == "string" else None
    if enum and value not in enum:
        return [f"{path}: {value!r} is not one of {shape.name} {list(enum)}"]
    return []
