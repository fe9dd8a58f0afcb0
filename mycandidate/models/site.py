from __future__ import annotations

from typing import Any

from sqlalchemy import JSON, ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column

from mycandidate.models.base import Base


class SiteSettings(Base):
    """White-label settings for the site that serves a dataset."""

    __tablename__ = "site_settings"

    id: Mapped[int] = mapped_column(primary_key=True)
    dataset_id: Mapped[int] = mapped_column(
        ForeignKey("datasets.id", ondelete="CASCADE"), unique=True
    )
    title: Mapped[str] = mapped_column(String(200))
    short_title: Mapped[str] = mapped_column(String(64))
    favicon_url: Mapped[str | None] = mapped_column(String(500))
    partner_name: Mapped[str | None] = mapped_column(String(200))
    partner_url: Mapped[str | None] = mapped_column(String(500))
    organisation_name: Mapped[str | None] = mapped_column(String(200))
    organisation_url: Mapped[str | None] = mapped_column(String(500))
    # Only rendered when configured: no tracker by default.
    analytics_id: Mapped[str | None] = mapped_column(String(64))
    # Where a candidate's name links to: a URL with {query} for the name (None: DuckDuckGo,
    # which keeps no search history).
    search_url: Mapped[str | None] = mapped_column(String(500))
    colours: Mapped[dict[str, str]] = mapped_column(JSON, default=dict)
    explainers: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
