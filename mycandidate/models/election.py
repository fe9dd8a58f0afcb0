from __future__ import annotations

from datetime import datetime

from sqlalchemy import DateTime, ForeignKey, Index, Integer, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from mycandidate.models.base import Base


class Dataset(Base):
    """One loaded set of lists (e.g. kenya-2022). Everything below belongs to one."""

    __tablename__ = "datasets"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(64), unique=True)
    title: Mapped[str] = mapped_column(String(200))
    country: Mapped[str] = mapped_column(String(64))
    source: Mapped[str] = mapped_column(String(500))
    # Content hash of the files loaded; part of every cache key, so a re-load invalidates.
    version: Mapped[str] = mapped_column(String(64))
    loaded_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))

    ballots: Mapped[list[Ballot]] = relationship(
        back_populates="dataset", order_by="Ballot.position", passive_deletes=True
    )


class Ballot(Base):
    """A ballot type a voter is handed, e.g. ward (MCA), women representative, national list."""

    __tablename__ = "ballots"
    __table_args__ = (UniqueConstraint("dataset_id", "key"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    dataset_id: Mapped[int] = mapped_column(ForeignKey("datasets.id", ondelete="CASCADE"))
    key: Mapped[str] = mapped_column(String(64))
    title: Mapped[str] = mapped_column(String(200))
    # The kind of area its candidates stand in (ward, constituency, county, province, ...).
    area_kind: Mapped[str] = mapped_column(String(32))
    position: Mapped[int] = mapped_column(Integer)

    dataset: Mapped[Dataset] = relationship(back_populates="ballots")


class Area(Base):
    """An electoral area; parent_id gives the hierarchy (county > constituency > ward)."""

    __tablename__ = "areas"
    __table_args__ = (
        UniqueConstraint("dataset_id", "kind", "code"),
        Index("ix_areas_dataset_kind_search", "dataset_id", "kind", "search_name"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    dataset_id: Mapped[int] = mapped_column(ForeignKey("datasets.id", ondelete="CASCADE"))
    kind: Mapped[str] = mapped_column(String(32))
    code: Mapped[str] = mapped_column(String(32))
    name: Mapped[str] = mapped_column(String(200))
    # Lower-cased, accent- and punctuation-folded name for search.
    search_name: Mapped[str] = mapped_column(String(200))
    parent_id: Mapped[int | None] = mapped_column(
        ForeignKey("areas.id", ondelete="CASCADE"), index=True
    )

    parent: Mapped[Area | None] = relationship(remote_side=[id])


class Party(Base):
    __tablename__ = "parties"
    __table_args__ = (UniqueConstraint("dataset_id", "name"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    dataset_id: Mapped[int] = mapped_column(ForeignKey("datasets.id", ondelete="CASCADE"))
    name: Mapped[str] = mapped_column(String(200))
    abbreviation: Mapped[str | None] = mapped_column(String(32))


class Candidate(Base):
    __tablename__ = "candidates"
    __table_args__ = (
        Index("ix_candidates_area_ballot", "area_id", "ballot_id"),
        Index("ix_candidates_dataset", "dataset_id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    dataset_id: Mapped[int] = mapped_column(ForeignKey("datasets.id", ondelete="CASCADE"))
    ballot_id: Mapped[int] = mapped_column(ForeignKey("ballots.id", ondelete="CASCADE"))
    area_id: Mapped[int] = mapped_column(ForeignKey("areas.id", ondelete="CASCADE"))
    party_id: Mapped[int | None] = mapped_column(ForeignKey("parties.id", ondelete="CASCADE"))
    surname: Mapped[str] = mapped_column(String(200))
    other_names: Mapped[str] = mapped_column(String(300))
    full_name: Mapped[str] = mapped_column(String(500))
    list_position: Mapped[int | None] = mapped_column(Integer)

    party: Mapped[Party | None] = relationship()
    area: Mapped[Area] = relationship()
    ballot: Mapped[Ballot] = relationship()
