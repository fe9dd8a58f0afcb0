"""Every read the site and the API make. Parameters are bound; no SQL is built from strings."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import func, or_, select
from sqlalchemy.orm import Session, joinedload

from mycandidate.folding import fold
from mycandidate.models import Area, Ballot, Candidate, Dataset, SiteSettings

WARD = "ward"
# PostgreSQL refuses NUL in a text parameter (SQLite takes it): no stored value holds one,
# so text with one matches nothing, the same way on both backends.
_UNSTORABLE = "\x00"


@dataclass(frozen=True)
class ActiveDataset:
    id: int
    name: str
    version: str


def active_dataset(session: Session, name: str | None) -> ActiveDataset | None:
    """The configured dataset, or the one loaded last."""
    query = select(Dataset.id, Dataset.name, Dataset.version)
    if name:
        query = query.where(Dataset.name == name)
    else:
        query = query.order_by(Dataset.loaded_at.desc(), Dataset.id.desc())
    row = session.execute(query.limit(1)).first()
    return ActiveDataset(*row) if row else None


def site_settings(session: Session, dataset_id: int) -> SiteSettings | None:
    return session.scalar(select(SiteSettings).where(SiteSettings.dataset_id == dataset_id))


def ballots(session: Session, dataset_id: int) -> list[Ballot]:
    return list(
        session.scalars(
            select(Ballot).where(Ballot.dataset_id == dataset_id).order_by(Ballot.position)
        )
    )


def find_area(session: Session, dataset_id: int, kind: str, code: str) -> Area | None:
    if _UNSTORABLE in code:
        return None
    return session.scalar(
        select(Area).where(Area.dataset_id == dataset_id, Area.kind == kind, Area.code == code)
    )


def ancestors(session: Session, area: Area) -> list[Area]:
    """Parents from the nearest up (ward -> constituency -> county)."""
    chain: list[Area] = []
    parent_id = area.parent_id
    while parent_id is not None and len(chain) < 10:
        parent = session.get(Area, parent_id)
        if parent is None:
            break
        chain.append(parent)
        parent_id = parent.parent_id
    return chain


def candidates_in(session: Session, area_id: int, ballot_id: int | None = None) -> list[Candidate]:
    query = (
        select(Candidate)
        .options(joinedload(Candidate.party))
        .where(Candidate.area_id == area_id)
        .order_by(func.lower(Candidate.surname), func.lower(Candidate.other_names), Candidate.id)
    )
    if ballot_id is not None:
        query = query.where(Candidate.ballot_id == ballot_id)
    return list(session.scalars(query))


def search_areas(
    session: Session, dataset_id: int, kind: str, text: str, *, offset: int, limit: int
) -> tuple[list[Area], int]:
    """Areas of one kind whose name contains, or whose code starts with, the text."""
    if _UNSTORABLE in text or _UNSTORABLE in kind:
        return [], 0
    query = select(Area).where(Area.dataset_id == dataset_id, Area.kind == kind)
    text = text.strip()
    if text:
        # LIKE wildcards in user text are escaped: a search for "%" matches a literal "%".
        folded = _escape_like(fold(text))
        by_code = Area.code.like(f"{_escape_like(text)}%", escape="\\")
        # Text that folds to nothing (punctuation only) can match codes, never every name.
        query = query.where(
            or_(Area.search_name.like(f"%{folded}%", escape="\\"), by_code) if folded else by_code
        )
    total = session.scalar(select(func.count()).select_from(query.subquery())) or 0
    rows = session.scalars(query.order_by(Area.name, Area.code).offset(offset).limit(limit))
    return list(rows), total


def _escape_like(text: str) -> str:
    return text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
