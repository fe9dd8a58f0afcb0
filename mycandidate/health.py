"""Liveness and readiness for load balancers: plain HTTP, JSON, never redirected.

`/readyz` (contract C2) costs at most two queries: the schema revision, then the served
dataset (remembered for a few seconds). It never migrates or loads anything.
"""

from __future__ import annotations

import logging

from flask import Blueprint, Response, jsonify
from sqlalchemy import Connection, text
from sqlalchemy.exc import DBAPIError, SQLAlchemyError

from mycandidate.context import served_dataset, settings
from mycandidate.db import get_outage, get_session
from mycandidate.migrate import schema_is_current

bp = Blueprint("health", __name__)
log = logging.getLogger(__name__)

MESSAGES = {
    "database_unreachable": "The database does not answer.",
    "schema_outdated": (
        "The database schema is older than this release needs: run `opsctl db upgrade`."
    ),
    "no_dataset": "No dataset is loaded: run `opsctl data load NAME`.",
}


@bp.get("/healthz")
def healthz() -> Response:
    """The process answers. Touches nothing else, so a database outage never kills tasks."""
    return jsonify(status="ok")


@bp.get("/readyz")
def readyz() -> tuple[Response, int]:
    """Ready when the database answers, its schema suits this code and a dataset is loaded."""
    release = settings().release
    reason = _unready_reason()
    if reason is None:
        dataset = served_dataset()
        if dataset is not None:
            return jsonify(status="ready", release=release, dataset=dataset.name), 200
        reason = "no_dataset"
    body = {
        "status": "unavailable",
        "reason": reason,
        "release": release,
        "error": {"code": reason, "message": MESSAGES[reason]},
    }
    return jsonify(body), 503


def _unready_reason() -> str | None:
    session = get_session()
    # An outage is logged once when it starts and once when it ends, not per probe.
    try:
        connection = session.connection()
    except SQLAlchemyError as exc:
        get_outage().failed(exc)
        return "database_unreachable"
    try:
        revisions = _revisions(connection)
    except DBAPIError as exc:
        if exc.connection_invalidated:
            get_outage().failed(exc)
            return "database_unreachable"
        session.rollback()  # no alembic_version table: nothing was ever migrated
        revisions = frozenset()
    get_outage().recovered()
    if not schema_is_current(revisions):
        log.info("readiness: schema outdated (database at %s)", sorted(revisions) or "nothing")
        return "schema_outdated"
    return None


def _revisions(connection: Connection) -> frozenset[str]:
    return frozenset(connection.scalars(text("SELECT version_num FROM alembic_version")))
