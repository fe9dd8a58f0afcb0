"""The read-only JSON API. Views validate, call queries, and serialise; nothing else."""

from __future__ import annotations

import hashlib
import json
import re
from collections.abc import Callable
from typing import Any

from flask import Response, current_app, request

from mycandidate import queries
from mycandidate.api import bp
from mycandidate.api.errors import ApiError
from mycandidate.api.openapi import WARD_ID, doc, openapi_document
from mycandidate.api.serialize import area_json, candidate_json
from mycandidate.cache import WARD_CODE
from mycandidate.context import cached_response, served_dataset
from mycandidate.db import get_session
from mycandidate.models import Area
from mycandidate.queries import ActiveDataset

_WARD_ID = re.compile(WARD_CODE)
_DIGITS = re.compile(r"[0-9]{1,6}")  # ASCII only: str.isdigit() also takes "²" and "①"
MAX_AGE = 300
CACHE_CONTROL = f"public, max-age={MAX_AGE}"
PAGE_MAX = 10_000
PER_PAGE_MAX = 100
QUERY_MAX = 100
_NOT_FOUND = {404: "No such ward in the served dataset", 400: "Malformed ward id"}


def _ward_code(ward_id: str) -> str:
    if not _WARD_ID.fullmatch(ward_id):
        raise ApiError(400, "invalid_ward_id", "ward_id must be 1 to 16 digits, e.g. 1 or 30805001")
    return ward_id


def _cached(parts: tuple[str, ...], build: Callable[[ActiveDataset], Any]) -> Response:
    """Serve from the cache (keyed by dataset version and request), else build and store."""
    dataset = served_dataset()
    if dataset is None:
        raise ApiError(503, "no_data", "no dataset is loaded yet; run `opsctl data load`")

    def encoded(dataset: ActiveDataset) -> bytes:
        return json.dumps(build(dataset), ensure_ascii=False, separators=(",", ":")).encode()

    response = cached_response(dataset, parts, encoded, "application/json", CACHE_CONTROL)
    assert response is not None  # an API answer is never empty
    return response


def _ward(dataset: ActiveDataset, code: str) -> Area:
    ward = queries.find_area(get_session(), dataset.id, queries.WARD, code)
    if ward is None:
        raise ApiError(404, "ward_not_found", f"no ward with id {code!r} in {dataset.name}")
    return ward


@bp.get("/wards/<ward_id>/candidates")
@doc(
    "Candidates standing in a ward",
    description="Every candidate on the ward-level ballot (Kenya: Member of County Assembly; "
    "South Africa local elections: ward councillor), ordered by surname then other names.",
    parameters=[WARD_ID],
    response={"type": "array", "items": {"$ref": "#/components/schemas/Candidate"}},
    errors=_NOT_FOUND,
)
def ward_candidates(ward_id: str) -> Response:
    code = _ward_code(ward_id)

    def build(dataset: ActiveDataset) -> list[dict[str, Any]]:
        session = get_session()
        ward = _ward(dataset, code)
        ballots = {b.id: b for b in queries.ballots(session, dataset.id)}
        return [
            candidate_json(c, ballots[c.ballot_id], ward)
            for c in queries.candidates_in(session, ward.id)
        ]

    return _cached(("ward", code, "candidates"), build)


@bp.get("/wards/<ward_id>")
@doc(
    "A ward and the areas it lies in",
    parameters=[WARD_ID],
    response={"$ref": "#/components/schemas/Ward"},
    errors=_NOT_FOUND,
)
def ward_detail(ward_id: str) -> Response:
    code = _ward_code(ward_id)

    def build(dataset: ActiveDataset) -> dict[str, Any]:
        ward = _ward(dataset, code)
        parents = queries.ancestors(get_session(), ward)
        return {**area_json(ward), "parents": [area_json(p) for p in parents]}

    return _cached(("ward", code), build)


@bp.get("/wards/<ward_id>/ballot")
@doc(
    "Everything a voter in this ward votes on",
    description="Each ballot whose area contains the ward (in Kenya: ward, constituency, "
    "women representative, senator and governor), with its candidates.",
    parameters=[WARD_ID],
    response={"$ref": "#/components/schemas/WardBallot"},
    errors=_NOT_FOUND,
)
def ward_ballot(ward_id: str) -> Response:
    code = _ward_code(ward_id)

    def build(dataset: ActiveDataset) -> dict[str, Any]:
        session = get_session()
        ward = _ward(dataset, code)
        parents = queries.ancestors(session, ward)
        by_kind = {a.kind: a for a in [ward, *parents]}
        sheets = []
        for ballot in queries.ballots(session, dataset.id):
            area = by_kind.get(ballot.area_kind)
            if area is None:
                continue
            sheets.append(
                {
                    "key": ballot.key,
                    "title": ballot.title,
                    "area": area_json(area),
                    "candidates": [
                        candidate_json(c, ballot, area)
                        for c in queries.candidates_in(session, area.id, ballot.id)
                    ],
                }
            )
        return {
            "ward": {**area_json(ward), "parents": [area_json(p) for p in parents]},
            "ballots": sheets,
        }

    return _cached(("ward", code, "ballot"), build)


_SEARCH_PARAMS = [
    {
        "name": "q",
        "in": "query",
        # PostgreSQL stores no NUL in text, so no backend is asked to compare one.
        "schema": {"type": "string", "maxLength": QUERY_MAX, "pattern": "^[^\\u0000]*$"},
        "description": "Part of the area's name, or the start of its code.",
    },
    {
        "name": "page",
        "in": "query",
        "schema": {"type": "integer", "minimum": 1, "maximum": PAGE_MAX, "default": 1},
    },
    {
        "name": "per_page",
        "in": "query",
        "schema": {"type": "integer", "minimum": 1, "maximum": PER_PAGE_MAX, "default": 20},
    },
]


@bp.get("/wards")
@doc(
    "Search wards by name or code",
    parameters=_SEARCH_PARAMS,
    response={"$ref": "#/components/schemas/AreaPage"},
    errors={400: "Malformed query parameter"},
)
def ward_search() -> Response:
    return _search(queries.WARD)


@bp.get("/areas")
@doc(
    "Search areas of one kind (county, constituency, province, ...) by name or code",
    parameters=[
        {
            "name": "kind",
            "in": "query",
            "required": True,
            "schema": {"type": "string", "pattern": "^[a-z_]{1,32}$"},
            "description": "The area kind a ballot is contested in; see the ballot list.",
        },
        *_SEARCH_PARAMS,
    ],
    response={"$ref": "#/components/schemas/AreaPage"},
    errors={400: "Malformed query parameter"},
)
def area_search() -> Response:
    kind = request.args.get("kind", "")
    if not re.fullmatch(r"[a-z_]{1,32}", kind):
        raise ApiError(400, "invalid_kind", "kind must be an area kind such as ward or county")
    return _search(kind)


def _search(kind: str) -> Response:
    text = request.args.get("q", "")
    if len(text) > QUERY_MAX or "\x00" in text:
        raise ApiError(400, "invalid_query", f"q must be at most {QUERY_MAX} characters, no NUL")
    page = _positive_int("page", 1, PAGE_MAX)
    per_page = _positive_int("per_page", 20, PER_PAGE_MAX)

    def build(dataset: ActiveDataset) -> dict[str, Any]:
        areas, total = queries.search_areas(
            get_session(), dataset.id, kind, text, offset=(page - 1) * per_page, limit=per_page
        )
        return {
            "items": [area_json(a) for a in areas],
            "page": page,
            "per_page": per_page,
            "total": total,
        }

    digest = hashlib.blake2b(text.encode(), digest_size=8).hexdigest()
    return _cached(("areas", kind, digest, str(page), str(per_page)), build)


def _positive_int(name: str, default: int, maximum: int) -> int:
    raw = request.args.get(name)
    if raw is None:
        return default
    if not _DIGITS.fullmatch(raw) or not 1 <= int(raw) <= maximum:
        raise ApiError(400, f"invalid_{name}", f"{name} must be a whole number from 1 to {maximum}")
    return int(raw)


@bp.get("/openapi.json")
def openapi() -> Response:
    from mycandidate import __version__

    body = json.dumps(openapi_document(current_app, __version__), indent=2)
    return Response(body, mimetype="application/json")
