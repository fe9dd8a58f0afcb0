"""site settings: the web search a candidate's name links to

Revision ID: 0002
Revises: 0001
Create Date: 2026-12-01 22:55:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0002"
down_revision: str | None = "0001"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    # Nullable: the release before this one keeps reading and writing the table.
    with op.batch_alter_table("site_settings") as batch:
        batch.add_column(sa.Column("search_url", sa.String(length=500), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("site_settings") as batch:
        batch.drop_column("search_url")
