"""What parsing produces and loading consumes: plain records, no database."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from typing import Any

AreaKey = tuple[str, str]  # (kind, code)


@dataclass(frozen=True)
class AreaRecord:
    kind: str
    code: str
    name: str
    parent: AreaKey | None


@dataclass(frozen=True)
class PartyRecord:
    key: str
    name: str
    abbreviation: str | None


@dataclass(frozen=True)
class CandidateRecord:
    ballot: str
    area: AreaKey
    party: str | None  # PartyRecord.key
    surname: str
    other_names: str
    list_position: int | None

    @property
    def full_name(self) -> str:
        return f"{self.other_names} {self.surname}".strip()


@dataclass(frozen=True)
class BallotRecord:
    key: str
    title: str
    area_kind: str


@dataclass
class ParsedDataset:
    name: str
    title: str
    country: str
    source: str
    version: str
    ballots: list[BallotRecord]
    areas: list[AreaRecord]  # parents always before children
    parties: list[PartyRecord]
    candidates: list[CandidateRecord]
    site: dict[str, Any] = field(default_factory=dict)
    repairs: Counter[str] = field(default_factory=Counter)
    dropped_columns: dict[str, list[str]] = field(default_factory=dict)
    warnings: list[str] = field(default_factory=list)
