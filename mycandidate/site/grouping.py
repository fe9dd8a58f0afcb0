"""Pure presentation logic: candidates grouped by party, leaders first."""

from __future__ import annotations

from dataclasses import dataclass, field

from mycandidate.models import Candidate

INDEPENDENT = "Independent"


@dataclass
class PartyGroup:
    name: str
    abbreviation: str | None
    candidates: list[Candidate] = field(default_factory=list)

    @property
    def leader(self) -> Candidate | None:
        first = self.candidates[0] if self.candidates else None
        return first if first is not None and first.list_position == 1 else None


def group_by_party(candidates: list[Candidate]) -> list[PartyGroup]:
    """One group per party; within it list order (leader first), then name.

    Groups whose leader is on the ballot come first, then the rest by party name.
    """
    groups: dict[str, PartyGroup] = {}
    for candidate in candidates:
        party = candidate.party
        name = party.name if party else INDEPENDENT
        group = groups.setdefault(name, PartyGroup(name, party.abbreviation if party else None))
        group.candidates.append(candidate)
    for group in groups.values():
        group.candidates.sort(
            key=lambda c: (
                c.list_position is None,
                c.list_position or 0,
                c.surname.casefold(),
                c.other_names.casefold(),
            )
        )
    return sorted(groups.values(), key=lambda g: (g.leader is None, g.name.casefold()))


def is_one_per_party(groups: list[PartyGroup]) -> bool:
    """A one-seat ballot: no party lists, at most one candidate per party (independents
    may be many). Such a ballot reads best as one list of names, not a card per party."""
    return all(
        (len(g.candidates) == 1 or g.name.casefold() == INDEPENDENT.casefold())
        and all(c.list_position is None for c in g.candidates)
        for g in groups
    )
