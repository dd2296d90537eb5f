"""Ownership links loaded with ``chipexport ownership load``.

Revision ID: 0003_ownership
Revises: 0002
Create Date: 2026-12-04
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0003_ownership"
down_revision = "0002"
branch_labels = None
depends_on = None

_ROW_ID = sa.BigInteger().with_variant(sa.Integer(), "sqlite")


def upgrade() -> None:
    """Create ownership_links (one row per link, grouped by the dataset it was loaded as)."""
    op.create_table(
        "ownership_links",
        sa.Column("id", _ROW_ID, primary_key=True, autoincrement=True),
        sa.Column("dataset", sa.String(255), nullable=False),
        sa.Column("owner", sa.Text(), nullable=False),
        sa.Column("asset", sa.Text(), nullable=False),
        sa.Column("percent", sa.Float(), nullable=True),
        sa.Column("start", sa.String(10), nullable=True),
        sa.Column("end", sa.String(10), nullable=True),
        sa.Column("owner_id", sa.String(255), nullable=True),
        sa.Column("asset_id", sa.String(255), nullable=True),
        sa.Column("owner_country", sa.String(2), nullable=True),
        sa.Column("source", sa.Text(), nullable=True),
        sa.Column("loaded_at", sa.DateTime(timezone=True), nullable=False),
    )
    op.create_index("ix_ownership_links_dataset", "ownership_links", ["dataset"])


def downgrade() -> None:
    """Drop ownership_links."""
    op.drop_index("ix_ownership_links_dataset", table_name="ownership_links")
    op.drop_table("ownership_links")
