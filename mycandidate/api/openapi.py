"""OpenAPI 3.1 built from the registered routes and the `doc` metadata on each view."""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any, TypeVar

from flask import Flask

from mycandidate.cache import WARD_CODE

F = TypeVar("F", bound=Callable[..., Any])

_ERROR = {"$ref": "#/components/schemas/Error"}
SCHEMAS: dict[str, Any] = {
    "Error": {
        "type": "object",
        "required": ["error"],
        "properties": {
            "error": {
                "type": "object",
                "required": ["code", "message"],
                "properties": {"code": {"type": "string"}, "message": {"type": "string"}},
            }
        },
    },
    "Area": {
        "type": "object",
        "required": ["kind", "code", "name"],
        "properties": {
            "kind": {"type": "string", "examples": ["ward"]},
            "code": {"type": "string", "examples": ["1"]},
            "name": {"type": "string", "examples": ["Port Reitz"]},
        },
    },
    "Party": {
        "type": ["object", "null"],
        "required": ["name", "abbreviation"],
        "properties": {
            "name": {"type": "string", "examples": ["Independent"]},
            "abbreviation": {"type": ["string", "null"], "examples": ["IND"]},
        },
    },
    "Candidate": {
        "type": "object",
        "required": ["id", "full_name", "surname", "other_names", "party", "ballot", "area"],
        "properties": {
            "id": {"type": "integer"},
            "full_name": {"type": "string"},
            "surname": {"type": "string"},
            "other_names": {"type": "string"},
            "party": {"$ref": "#/components/schemas/Party"},
            "ballot": {"type": "string", "examples": ["ward"]},
            "area": {"$ref": "#/components/schemas/Area"},
            "ward": {
                "type": "object",
                "description": "Present when the candidate stands in a ward.",
                "properties": {"code": {"type": "string"}, "name": {"type": "string"}},
            },
            "list_position": {
                "type": "integer",
                "minimum": 1,
                "description": "Position on the party list (1 = leader), where the source has one.",
            },
        },
    },
    "Ward": {
        "type": "object",
        "required": ["kind", "code", "name", "parents"],
        "properties": {
            "kind": {"const": "ward"},
            "code": {"type": "string"},
            "name": {"type": "string"},
            "parents": {"type": "array", "items": {"$ref": "#/components/schemas/Area"}},
        },
    },
    "AreaPage": {
        "type": "object",
        "required": ["items", "page", "per_page", "total"],
        "properties": {
            "items": {"type": "array", "items": {"$ref": "#/components/schemas/Area"}},
            "page": {"type": "integer"},
            "per_page": {"type": "integer"},
            "total": {"type": "integer"},
        },
    },
    "Ballot": {
        "type": "object",
        "required": ["key", "title", "area", "candidates"],
        "properties": {
            "key": {"type": "string"},
            "title": {"type": "string"},
            "area": {"$ref": "#/components/schemas/Area"},
            "candidates": {"type": "array", "items": {"$ref": "#/components/schemas/Candidate"}},
        },
    },
    "WardBallot": {
        "type": "object",
        "required": ["ward", "ballots"],
        "properties": {
            "ward": {"$ref": "#/components/schemas/Ward"},
            "ballots": {"type": "array", "items": {"$ref": "#/components/schemas/Ballot"}},
        },
    },
}

_UNAVAILABLE = {
    "description": "No dataset is loaded, or the database cannot be reached and the answer "
    "is not cached; try again after Retry-After seconds",
    "headers": {"Retry-After": {"schema": {"type": "integer"}}},
    "content": {"application/json": {"schema": _ERROR}},
}

WARD_ID = {
    "name": "ward_id",
    "in": "path",
    "required": True,
    "description": "The ward's code in the electoral commission's list: digits only "
    "(Kenya: 1-1450; South Africa: 8 digits such as 30805001).",
    "schema": {"type": "string", "pattern": f"^{WARD_CODE}$"},
}


def doc(
    summary: str,
    *,
    response: dict[str, Any],
    parameters: list[dict[str, Any]] | None = None,
    errors: dict[int, str] | None = None,
    description: str = "",
) -> Callable[[F], F]:
    """Attach OpenAPI metadata to a view; openapi_document() collects it from the routes."""

    def attach(view: F) -> F:
        view.openapi = {  # type: ignore[attr-defined]
            "summary": summary,
            "description": description,
            "parameters": parameters or [],
            "response": response,
            "errors": errors or {},
        }
        return view

    return attach


def openapi_document(app: Flask, version: str) -> dict[str, Any]:
    paths: dict[str, Any] = {}
    for rule in sorted(app.url_map.iter_rules(), key=lambda r: r.rule):
        meta = getattr(app.view_functions[rule.endpoint], "openapi", None)
        if meta is None:
            continue
        path = re.sub(r"<(?:[^:<>]+:)?([^<>]+)>", r"{\1}", rule.rule)
        responses: dict[str, Any] = {
            "200": {
                "description": "OK",
                "headers": {
                    "ETag": {"schema": {"type": "string"}},
                    "Cache-Control": {"schema": {"type": "string"}},
                },
                "content": {"application/json": {"schema": meta["response"]}},
            },
            "304": {"description": "Not modified (If-None-Match matched the ETag)"},
        }
        for status, text in meta["errors"].items():
            responses[str(status)] = {
                "description": text,
                "content": {"application/json": {"schema": _ERROR}},
            }
        responses["503"] = _UNAVAILABLE
        paths[path] = {
            "get": {
                "operationId": rule.endpoint.replace(".", "_"),
                "summary": meta["summary"],
                "description": meta["description"],
                "parameters": meta["parameters"],
                "responses": responses,
            }
        }
    return {
        "openapi": "3.1.0",
        "info": {
            "title": "MyCandidate API",
            "version": version,
            "description": "Every candidate standing in an area, from the electoral "
            "commission's published lists. Read-only, JSON, cacheable (ETag).",
        },
        "paths": paths,
        "components": {"schemas": SCHEMAS},
    }
