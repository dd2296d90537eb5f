"""Service tables: API keys, the hash-chained audit trail, screened parties, review cases.

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-22
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None

_ROW_ID = sa.BigInteger().with_variant(sa.Integer(), "sqlite")
_TS = sa.DateTime(timezone=True)


def upgrade() -> None:
    """Create api_keys, audit_records, parties and cases."""
    op.create_table(
        "api_keys",
        sa.Column("id", _ROW_ID, primary_key=True, autoincrement=True),
        sa.Column("name", sa.String(128), nullable=False),
        sa.Column("role", sa.String(16), nullable=False),
        sa.Column("token_hash", sa.String(64), nullable=False),
        sa.Column("prefix", sa.String(16), nullable=False),
        sa.Column("created_at", _TS, nullable=False),
        sa.Column("revoked_at", _TS, nullable=True),
    )
    op.create_index("uq_api_keys_token_hash", "api_keys", ["token_hash"], unique=True)
    op.create_index("uq_api_keys_name", "api_keys", ["name"], unique=True)
    op.create_table(
        "audit_records",
        sa.Column("seq", _ROW_ID, primary_key=True, autoincrement=False),
        sa.Column("kind", sa.String(32), nullable=False),
        sa.Column("actor", sa.String(128), nullable=False),
        sa.Column("at", sa.String(32), nullable=False),
        sa.Column("subject", sa.String(255), nullable=True),
        sa.Column("ref", sa.String(255), nullable=True),
        sa.Column("body", sa.Text(), nullable=False),
        sa.Column("prev_hash", sa.String(64), nullable=False),
        sa.Column("hash", sa.String(64), nullable=False),
    )
    op.create_index("ix_audit_records_kind", "audit_records", ["kind", "seq"])
    op.create_index("ix_audit_records_subject", "audit_records", ["subject", "seq"])
    op.create_index("ix_audit_records_ref", "audit_records", ["ref", "seq"])
    op.create_table(
        "parties",
        sa.Column("id", _ROW_ID, primary_key=True, autoincrement=True),
        sa.Column("party_key", sa.String(64), nullable=False),
        sa.Column("name", sa.Text(), nullable=False),
        sa.Column("country", sa.String(2), nullable=True),
        sa.Column("first_screened_at", _TS, nullable=False),
        sa.Column("last_screened_at", _TS, nullable=False),
    )
    op.create_index("uq_parties_party_key", "parties", ["party_key"], unique=True)
    op.create_table(
        "cases",
        sa.Column("id", _ROW_ID, primary_key=True, autoincrement=True),
        sa.Column(
            "party_id",
            _ROW_ID,
            sa.ForeignKey("parties.id", ondelete="RESTRICT"),
            nullable=False,
        ),
        sa.Column("source", sa.String(64), nullable=False),
        sa.Column("entry_id", sa.String(255), nullable=False),
        sa.Column("entry_name", sa.Text(), nullable=False),
        sa.Column("content_hash", sa.String(64), nullable=False),
        sa.Column("score", sa.Float(), nullable=False),
        sa.Column("status", sa.String(16), nullable=False),
        sa.Column("opened_at", _TS, nullable=False),
        sa.Column("updated_at", _TS, nullable=False),
        sa.Column("reason", sa.Text(), nullable=True),
        sa.Column("evidence", sa.JSON(), nullable=True),
        sa.Column("decided_by", sa.String(128), nullable=True),
        sa.Column("decided_at", _TS, nullable=True),
        sa.Column("expires_at", _TS, nullable=True),
    )
    op.create_index(
        "uq_cases_party_entry", "cases", ["party_id", "source", "entry_id"], unique=True
    )
    op.create_index("ix_cases_status", "cases", ["status", "id"])


def downgrade() -> None:
    """Drop the service tables (the audit trail with them)."""
    op.drop_table("cases")
    op.drop_table("parties")
    op.drop_table("audit_records")
    op.drop_table("api_keys")
