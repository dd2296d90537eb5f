"""Pending re-screens: the durable work a list change leaves, committed with the change.

Revision ID: 0004_hardening
Revises: 0003_ownership
Create Date: 2026-12-04
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0004_hardening"
down_revision = "0003_ownership"
branch_labels = None
depends_on = None

_ROW_ID = sa.BigInteger().with_variant(sa.Integer(), "sqlite")
_TS = sa.DateTime(timezone=True)


def upgrade() -> None:
    """Create pending_rescreens."""
    op.create_table(
        "pending_rescreens",
        sa.Column("id", _ROW_ID, primary_key=True, autoincrement=True),
        sa.Column("list_change_seq", _ROW_ID, nullable=False),
        sa.Column("actor", sa.String(128), nullable=False),
        sa.Column("wanted", sa.JSON(), nullable=False),
        sa.Column("created_at", _TS, nullable=False),
        sa.Column("next_party_id", _ROW_ID, nullable=False),
        sa.Column("parties_done", sa.Integer(), nullable=False),
        sa.Column("report", sa.JSON(), nullable=False),
        sa.Column("claimed_by", sa.String(128), nullable=True),
        sa.Column("claimed_until", _TS, nullable=True),
        sa.Column("finished_at", _TS, nullable=True),
    )
    op.create_index("ix_pending_rescreens_finished", "pending_rescreens", ["finished_at", "id"])


def downgrade() -> None:
    """Drop pending_rescreens."""
    op.drop_table("pending_rescreens")
