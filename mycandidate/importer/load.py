"""Write parsed records in one transaction: replace the dataset, never duplicate it."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from datetime import UTC, datetime

from sqlalchemy import delete, insert, select
from sqlalchemy.orm import Session

from mycandidate.folding import fold
from mycandidate.importer.records import AreaKey, AreaRecord, ParsedDataset
from mycandidate.models import Area, Ballot, Candidate, Dataset, Party, SiteSettings

# Delete order for a re-load: children before parents.
_DATASET_TABLES = (Candidate, SiteSettings, Party, Area, Ballot)

SITE_DEFAULTS = {
    "colours": {
        "logo": "#ffc4ab",
        "nav": "#30474a",
        "footer": "#1d3437",
        "foreground": "#30474a",
        "background": "#f6f4f0",
        "button": "#b5532c",
        "names": "#1d3437",
    },
}


@dataclass
class LoadReport:
    dataset: str
    version: str
    replaced: bool
    ballots: dict[str, int]
    areas: dict[str, int]
    parties: int
    candidates: int
    repairs: dict[str, int] = field(default_factory=dict)
    dropped_columns: dict[str, list[str]] = field(default_factory=dict)
    warnings: list[str] = field(default_factory=list)
    dry_run: bool = False


def write_dataset(session: Session, parsed: ParsedDataset, *, dry_run: bool = False) -> LoadReport:
    """Replace `parsed.name` in the database. The caller owns the transaction."""
    existing = session.scalar(select(Dataset.id).where(Dataset.name == parsed.name))
    report = _report(parsed, replaced=existing is not None, dry_run=dry_run)
    if dry_run:
        return report
    if existing is not None:
        for model in _DATASET_TABLES:
            session.execute(delete(model).where(model.dataset_id == existing))
        session.execute(delete(Dataset).where(Dataset.id == existing))

    dataset = Dataset(
        name=parsed.name,
        title=parsed.title,
        country=parsed.country,
        source=parsed.source[:500],
        version=parsed.version,
        loaded_at=datetime.now(UTC),
    )
    session.add(dataset)
    session.flush()
    ds = dataset.id

    ballot_ids = _insert_returning(
        session,
        Ballot,
        [
            {
                "dataset_id": ds,
                "key": b.key,
                "title": b.title,
                "area_kind": b.area_kind,
                "position": i,
            }
            for i, b in enumerate(parsed.ballots)
        ],
    )
    ballots = {b.key: ballot_ids[i] for i, b in enumerate(parsed.ballots)}
    areas = _insert_areas(session, ds, parsed.areas)
    party_ids = _insert_returning(
        session,
        Party,
        [
            {"dataset_id": ds, "name": p.name, "abbreviation": p.abbreviation}
            for p in parsed.parties
        ],
    )
    parties = {p.key: party_ids[i] for i, p in enumerate(parsed.parties)}
    if parsed.candidates:
        session.execute(
            insert(Candidate),
            [
                {
                    "dataset_id": ds,
                    "ballot_id": ballots[c.ballot],
                    "area_id": areas[c.area],
                    "party_id": parties[c.party] if c.party else None,
                    "surname": c.surname,
                    "other_names": c.other_names,
                    "full_name": c.full_name,
                    "list_position": c.list_position,
                }
                for c in parsed.candidates
            ],
        )
    site = {**SITE_DEFAULTS, **parsed.site}
    site["colours"] = {**SITE_DEFAULTS["colours"], **parsed.site.get("colours", {})}
    session.add(
        SiteSettings(
            dataset_id=ds,
            title=site.get("title") or parsed.title,
            short_title=site.get("short_title") or parsed.title[:64],
            favicon_url=site.get("favicon_url"),
            partner_name=site.get("partner_name"),
            partner_url=site.get("partner_url"),
            organisation_name=site.get("organisation_name"),
            organisation_url=site.get("organisation_url"),
            analytics_id=site.get("analytics_id"),
            search_url=site.get("search_url"),
            colours=site["colours"],
            explainers=site.get("explainers", {}),
        )
    )
    session.flush()
    return report


def _insert_returning(session: Session, model: type, rows: list[dict[str, object]]) -> list[int]:
    if not rows:
        return []
    statement = insert(model).returning(model.id, sort_by_parameter_order=True)  # type: ignore[attr-defined]
    return list(session.scalars(statement, rows))


def _insert_areas(
    session: Session, dataset_id: int, records: list[AreaRecord]
) -> dict[AreaKey, int]:
    """Insert level by level so every parent id is known before its children."""
    ids: dict[AreaKey, int] = {}
    pending = records
    while pending:
        batch = [r for r in pending if r.parent is None or r.parent in ids]
        if not batch:  # a cycle cannot come from a path, but never loop forever
            raise ValueError("area hierarchy has a cycle")
        new_ids = _insert_returning(
            session,
            Area,
            [
                {
                    "dataset_id": dataset_id,
                    "kind": r.kind,
                    "code": r.code,
                    "name": r.name,
                    "search_name": fold(r.name),
                    "parent_id": ids[r.parent] if r.parent else None,
                }
                for r in batch
            ],
        )
        ids.update({(r.kind, r.code): i for r, i in zip(batch, new_ids, strict=True)})
        done = set(map(id, batch))
        pending = [r for r in pending if id(r) not in done]
    return ids


def _report(parsed: ParsedDataset, *, replaced: bool, dry_run: bool) -> LoadReport:
    return LoadReport(
        dataset=parsed.name,
        version=parsed.version,
        replaced=replaced,
        ballots=dict(Counter(c.ballot for c in parsed.candidates)),
        areas=dict(Counter(a.kind for a in parsed.areas)),
        parties=len(parsed.parties),
        candidates=len(parsed.candidates),
        repairs=dict(parsed.repairs),
        dropped_columns=parsed.dropped_columns,
        warnings=list(parsed.warnings),
        dry_run=dry_run,
    )
