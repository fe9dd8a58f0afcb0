"""Liveness and readiness for load balancers: plain HTTP, JSON, never redirected."""

from __future__ import annotations

import logging

from flask import Blueprint, Response, jsonify
from sqlalchemy import text
from sqlalchemy.exc import SQLAlchemyError

from mycandidate.db import get_session

bp = Blueprint("health", __name__)
log = logging.getLogger(__name__)


@bp.get("/healthz")
def healthz() -> Response:
    """The process answers. Touches nothing else, so a database outage never kills tasks."""
    return jsonify(status="ok")


@bp.get("/readyz")
def readyz() -> tuple[Response, int]:
    """The database answers: only then should traffic come here."""
    try:
        get_session().execute(text("SELECT 1"))
    except SQLAlchemyError as exc:
        log.warning("readiness check failed: %s", exc.__class__.__name__)
        response = jsonify(
            error={"code": "database_unavailable", "message": "database unreachable"}
        )
        return response, 503
    return jsonify(status="ready"), 200
