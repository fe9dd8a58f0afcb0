"""Reads only the voter's page needs: where each search match lies, the data's origin."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from sqlalchemy import select
from sqlalchemy.orm import Session

from mycandidate.importer.catalog import DATASETS
from mycandidate.models import Area, Dataset

# Deep enough for any hierarchy we load (ward < constituency < county).
_MAX_LEVELS = 5


def places_of(session: Session, areas: list[Area]) -> dict[int, list[Area]]:
    """Each area's parents, nearest first, in one query per level (not one per area).

    Wards called "Central" are told apart by their constituency and county.
    """
    known: dict[int, Area] = {a.id: a for a in areas}
    wanted = {a.parent_id for a in areas if a.parent_id is not None}
    for _ in range(_MAX_LEVELS):
        wanted -= known.keys()
        if not wanted:
            break
        found = list(session.scalars(select(Area).where(Area.id.in_(wanted))))
        known.update((a.id, a) for a in found)
        wanted = {a.parent_id for a in found if a.parent_id is not None}
    chains: dict[int, list[Area]] = {}
    for area in areas:
        chain: list[Area] = []
        parent_id = area.parent_id
        while parent_id in known and len(chain) < _MAX_LEVELS:
            parent = known[parent_id]
            chain.append(parent)
            parent_id = parent.parent_id
        chains[area.id] = chain
    return chains


@dataclass(frozen=True)
class Origin:
    """Where the served lists come from, as recorded when they were loaded."""

    text: str
    url: str | None
    loaded: date


def origin_of(session: Session, dataset_id: int) -> Origin | None:
    row = session.execute(
        select(Dataset.name, Dataset.source, Dataset.loaded_at).where(Dataset.id == dataset_id)
    ).first()
    if row is None:
        return None
    spec = DATASETS.get(row.name)
    urls = [f.url for f in spec.files if f.url] if spec else []
    return Origin(row.source, _browsable(urls[0]) if urls else None, row.loaded_at.date())


def _browsable(url: str) -> str:
    """A raw GitHub file's folder as a page a voter can read; other links as they are."""
    prefix = "https://raw.githubusercontent.com/"
    if not url.startswith(prefix):
        return url
    owner, repo, commit, *path = url.removeprefix(prefix).split("/")
    return f"https://github.com/{owner}/{repo}/tree/{commit}/{'/'.join(path[:-1])}"
