"""How a dataset's files map onto ballots, areas and candidates (declarative)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

# Header keys (see text.header_key) that may hold each role, in order of preference.
SURNAME = ("surname", "lastname")
OTHER_NAMES = ("othernames", "fullnames", "fullname", "firstnames", "givennames", "names")
PARTY = ("politicalpartyname", "partyname", "party")
ABBREVIATION = ("abbrv", "abbreviation", "partyabbreviation", "abbr")
POSITION = ("orderno", "listorder", "listposition", "position")
# Personal data beyond a name: never read, never stored.
SENSITIVE = ("idnumber", "idno", "id", "age", "dateofbirth", "dob", "birthdate", "gender")


@dataclass(frozen=True)
class AreaLevel:
    """One level of the area path a row names, e.g. county, then constituency, then ward."""

    kind: str
    code_column: str
    name_column: str | None = None
    # Lists keyed by a name only ("Gauteng"): the code is the name's slug.
    code_from_name: bool = False
    # A cell holding both, e.g. "NC084 - !KHEIS": a regex with <code> and <name> groups.
    pattern: str | None = None
    name_from_code: Callable[[str], str] | None = None


@dataclass(frozen=True)
class BallotSpec:
    key: str
    title: str
    file: str
    levels: tuple[AreaLevel, ...]
    # Rows of a shared file that belong to this ballot: (column key, value).
    row_filter: tuple[str, str] | None = None

    @property
    def area_kind(self) -> str:
        return self.levels[-1].kind


@dataclass(frozen=True)
class SourceFile:
    name: str
    sha256: str
    url: str | None = None


@dataclass(frozen=True)
class DatasetSpec:
    name: str
    title: str
    country: str
    origin: str
    files: tuple[SourceFile, ...]
    ballots: tuple[BallotSpec, ...]
    site: dict[str, Any] = field(default_factory=dict)
