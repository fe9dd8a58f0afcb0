"""JSON errors for every /api path, whatever raised them (404 routing, 405, 500, 503)."""

from __future__ import annotations

import json
import logging

from flask import Flask, Response, render_template, request
from werkzeug.exceptions import HTTPException

from mycandidate.db import OUTAGE_ERRORS, RETRY_AFTER, get_outage

log = logging.getLogger(__name__)
API_PREFIX = "/api/"


class ApiError(Exception):
    def __init__(self, status: int, code: str, message: str):
        super().__init__(message)
        self.status = status
        self.code = code
        self.message = message


def error_response(status: int, code: str, message: str) -> Response:
    body = json.dumps({"error": {"code": code, "message": message}})
    return Response(body, status=status, mimetype="application/json")


def register(app: Flask) -> None:
    @app.errorhandler(ApiError)
    def _api_error(exc: ApiError) -> Response:
        return error_response(exc.status, exc.code, exc.message)

    @app.errorhandler(HTTPException)
    def _http_error(exc: HTTPException) -> Response | HTTPException:
        if not request.path.startswith(API_PREFIX):
            return exc
        code = (exc.name or "error").lower().replace(" ", "_")
        message = exc.description or exc.name or "error"
        if exc.code == 404:
            message = "no such resource; see /api/v1/openapi.json"
        response = error_response(exc.code or 500, code, message)
        if exc.code == 405 and exc.response is None:
            response.headers["Allow"] = ", ".join(getattr(exc, "valid_methods", None) or [])
        return response

    def _database_unreachable(exc: Exception) -> Response:
        # Logged once per outage, not per request: the tracker says when it starts and ends.
        get_outage().failed(exc)
        if request.path.startswith(API_PREFIX):
            response = error_response(
                503, "database_unreachable", "the database does not answer; try again shortly"
            )
        else:
            response = Response(render_template("unavailable.html"), 503, mimetype="text/html")
        response.headers["Retry-After"] = str(RETRY_AFTER)
        return response

    for error in OUTAGE_ERRORS:
        app.register_error_handler(error, _database_unreachable)

    @app.errorhandler(500)
    def _server_error(exc: Exception) -> Response | tuple[str, int]:
        log.error("unhandled error on %s", request.path, exc_info=exc)
        if request.path.startswith(API_PREFIX):
            return error_response(500, "internal_error", "internal error")
        return "Internal error", 500
