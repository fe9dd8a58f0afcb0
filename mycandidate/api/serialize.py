"""Models -> JSON-ready dicts: the API's wire format, in one place."""

from __future__ import annotations

from typing import Any

from mycandidate.models import Area, Ballot, Candidate


def area_json(area: Area) -> dict[str, Any]:
    return {"kind": area.kind, "code": area.code, "name": area.name}


def candidate_json(candidate: Candidate, ballot: Ballot, area: Area) -> dict[str, Any]:
    party = candidate.party
    data: dict[str, Any] = {
        "id": candidate.id,
        "full_name": candidate.full_name,
        "surname": candidate.surname,
        "other_names": candidate.other_names,
        "party": {"name": party.name, "abbreviation": party.abbreviation} if party else None,
        "ballot": ballot.key,
        "area": area_json(area),
    }
    if area.kind == "ward":
        data["ward"] = {"code": area.code, "name": area.name}
    if candidate.list_position is not None:
        data["list_position"] = candidate.list_position
    return data
