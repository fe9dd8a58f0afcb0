"""The voter's page: pick a ballot, find an area, see who stands there. Works without JS."""

from __future__ import annotations

import hashlib
import json
import re
from functools import lru_cache
from pathlib import Path
from typing import Any
from urllib.parse import quote_plus, urlsplit

from flask import Response, render_template, request, url_for
from werkzeug.security import safe_join

from mycandidate import queries
from mycandidate.context import cached_response, served_dataset
from mycandidate.db import get_session
from mycandidate.models import Area, Ballot
from mycandidate.queries import ActiveDataset
from mycandidate.site import bp, lookup
from mycandidate.site.grouping import PartyGroup, group_by_party, is_one_per_party

MAX_QUERY = 100
MAX_MATCHES = 50
_PAGE_ARGS = ("ballot", "q", "area")
_COLOUR = re.compile(r"#[0-9a-fA-F]{3}(?:[0-9a-fA-F]{3})?")
_THEME_KEYS = ("logo", "nav", "footer", "foreground", "background", "button", "names")
# A privacy-respecting default for the web search a candidate's name links to.
DEFAULT_SEARCH_URL = "https://duckduckgo.com/?q={query}"
# Fingerprinted URLs never change content, so browsers may keep them for a year.
IMMUTABLE = "public, max-age=31536000, immutable"


@bp.get("/")
def index() -> Response | tuple[str, int]:
    """The page depends only on the data, the query and the host (the embed snippet's
    URL), so a rendered page is cached like an API answer, through the same routine."""
    dataset = served_dataset()
    if dataset is None:
        return render_template("empty.html"), 503
    wanted = [request.host_url, *(request.args.get(k, "")[:MAX_QUERY] for k in _PAGE_ARGS)]
    digest = hashlib.blake2b(json.dumps(wanted).encode(), digest_size=12).hexdigest()
    response = cached_response(dataset, ("page", digest), _render_page, "text/html")
    if response is None:
        return render_template("empty.html"), 503
    return response


def _render_page(dataset: ActiveDataset) -> bytes | None:
    html = _render_index(dataset)
    return None if html is None else html.encode()


def _render_index(dataset: ActiveDataset) -> str | None:
    session = get_session()
    site = queries.site_settings(session, dataset.id)
    ballots = queries.ballots(session, dataset.id)
    if not ballots:
        return None
    ballot = _chosen_ballot(ballots, request.args.get("ballot", ""))
    text = request.args.get("q", "")[:MAX_QUERY].strip()
    code = request.args.get("area", "")[:32].strip()

    area: Area | None = None
    matches: list[Area] = []
    if code:
        area = queries.find_area(session, dataset.id, ballot.area_kind, code)
    elif text:
        matches, _ = queries.search_areas(
            session, dataset.id, ballot.area_kind, text, offset=0, limit=MAX_MATCHES
        )
        if len(matches) == 1:
            area, matches = matches[0], []
    else:
        # A ballot with a single area (a national list) shows straight away.
        only, total = queries.search_areas(
            session, dataset.id, ballot.area_kind, "", offset=0, limit=2
        )
        if total == 1:
            area = only[0]

    groups = group_by_party(queries.candidates_in(session, area.id, ballot.id)) if area else []
    explainers = site.explainers if site else {}
    return render_template(
        "index.html",
        site=site,
        ballots=ballots,
        ballot=ballot,
        explainer=explainers.get(ballot.key, ""),
        area=area,
        parents=queries.ancestors(session, area) if area else [],
        text=text,
        code=code,
        matches=matches,
        places=lookup.places_of(session, matches),
        groups=groups,
        one_list=is_one_per_party(groups),
        standing=sum(len(g.candidates) for g in groups),
        search=_web_search(site.search_url if site else None),
        origin=lookup.origin_of(session, dataset.id),
        theme_version=_fingerprint(_theme_css(site.colours if site else {}).encode()),
        embed_url=url_for("site.index", ballot=ballot.key, _external=True),
    )


def _web_search(template: str | None) -> Any:
    """(engine's host, link for a candidate): the white-label search, DuckDuckGo if unset."""
    template = template or DEFAULT_SEARCH_URL
    host = (urlsplit(template).hostname or "").removeprefix("www.")

    def link(name: str, group: PartyGroup) -> str:
        return template.replace("{query}", quote_plus(f"{name} {group.name}"))

    return {"engine": host, "link": link}


def _chosen_ballot(ballots: list[Ballot], key: str) -> Ballot:
    return next((b for b in ballots if b.key == key), ballots[0])


@bp.get("/theme.css")
def theme() -> Response:
    """White-label colours as CSS variables (a file, so the CSP needs no inline styles)."""
    dataset = served_dataset()
    site = queries.site_settings(get_session(), dataset.id) if dataset else None
    body = _theme_css(site.colours if site else {})
    response = Response(body, mimetype="text/css")
    # The page links the theme by its content's fingerprint; other URLs may go stale.
    fresh = request.args.get("v") == _fingerprint(body.encode())
    response.headers["Cache-Control"] = IMMUTABLE if fresh else "public, max-age=300"
    return response


def _theme_css(colours: dict[str, str]) -> str:
    lines = [
        f"  --{key}: {colours[key]};"
        for key in _THEME_KEYS
        if key in colours and _is_colour(colours[key])
    ]
    return ":root {\n" + "\n".join(lines) + "\n}\n"


def _fingerprint(content: bytes) -> str:
    return hashlib.blake2b(content, digest_size=8).hexdigest()


@lru_cache(maxsize=64)
def _static_fingerprint(filename: str) -> str:
    """A packaged static file's fingerprint; the files only change with a new release."""
    assert bp.static_folder is not None
    joined = safe_join(bp.static_folder, filename)
    path = Path(joined) if joined else None
    return _fingerprint(path.read_bytes()) if path and path.is_file() else ""


@bp.url_defaults
def _fingerprint_static_urls(endpoint: str, values: dict[str, Any]) -> None:
    if endpoint == "site.static" and "filename" in values:
        values.setdefault("v", _static_fingerprint(values["filename"]))


@bp.after_request
def _cache_fingerprinted_files(response: Response) -> Response:
    if (
        request.endpoint == "site.static"
        and response.status_code in (200, 304)
        and request.view_args
        and request.args.get("v") == _static_fingerprint(request.view_args["filename"])
    ):
        response.headers["Cache-Control"] = IMMUTABLE
    return response


def _is_colour(value: str) -> bool:
    return bool(_COLOUR.fullmatch(value))
