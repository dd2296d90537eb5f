"""List versions and their entries.

Revision ID: 0001
Revises:
Create Date: 2026-11-22
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects.postgresql import JSONB

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None

_ROW_ID = sa.BigInteger().with_variant(sa.Integer(), "sqlite")


def upgrade() -> None:
    """Create list_versions (one row per loaded source version) and list_entries."""
    op.create_table(
        "list_versions",
        sa.Column("id", _ROW_ID, primary_key=True, autoincrement=True),
        sa.Column("source", sa.String(64), nullable=False),
        sa.Column("title", sa.Text(), nullable=True),
        sa.Column("version", sa.String(64), nullable=False),
        sa.Column("checksum", sa.String(64), nullable=False),
        sa.Column("content_digest", sa.String(64), nullable=False),
        sa.Column("origin", sa.Text(), nullable=False),
        sa.Column("loaded_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("superseded_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("entry_count", sa.Integer(), nullable=False),
        sa.Column("active", sa.Boolean(), nullable=False, server_default=sa.false()),
    )
    op.create_index("ix_list_versions_source", "list_versions", ["source"])
    op.create_index(
        "uq_list_versions_one_active",
        "list_versions",
        ["source"],
        unique=True,
        postgresql_where=sa.text("active"),
        sqlite_where=sa.text("active"),
    )
    op.create_table(
        "list_entries",
        sa.Column("id", _ROW_ID, primary_key=True, autoincrement=True),
        sa.Column(
            "version_id",
            _ROW_ID,
            sa.ForeignKey("list_versions.id", ondelete="CASCADE"),
            nullable=False,
        ),
        sa.Column("ordinal", sa.Integer(), nullable=False),
        sa.Column("source", sa.String(64), nullable=False),
        sa.Column("entry_id", sa.String(255), nullable=False),
        sa.Column("name", sa.Text(), nullable=False),
        sa.Column("content_hash", sa.String(64), nullable=False),
        sa.Column("fields", sa.JSON().with_variant(JSONB(), "postgresql"), nullable=False),
        sa.Column("raw", sa.JSON(), nullable=False),
    )
    op.create_index("ix_list_entries_version", "list_entries", ["version_id", "ordinal"])
    op.create_index(
        "uq_list_entries_version_entry", "list_entries", ["version_id", "entry_id"], unique=True
    )
    op.create_index("ix_list_entries_source_entry", "list_entries", ["source", "entry_id"])


def downgrade() -> None:
    """Drop both tables (and with them every stored list version)."""
    op.drop_table("list_entries")
    op.drop_table("list_versions")
