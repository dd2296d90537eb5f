"""Response models of the record, case and list routes: the fields each answer carries.

``/v1/check`` and ``/v1/screen`` answer with the determination and screening models of
:mod:`chipexport.model.answers`; the routes here answer with records of the store. Every model
allows further keys (an answer only ever gains fields) and nested records stay objects where
their shape is the store's (a case's columns, an audit record's body).
"""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel, ConfigDict, Field


class _Answer(BaseModel):
    model_config = ConfigDict(extra="allow")


class ListVersionOut(_Answer):
    """One active list."""

    source: str = Field(description="The list's code (`EL`, `SDN`, ...).")
    title: str | None = Field(None, description="The list's title.")
    version: str | None = Field(None, description="The list's version or date.")
    entries: int = Field(description="Number of entries.")
    loaded_at: str = Field(description="When it was loaded (ISO 8601).")
    checksum: str | None = Field(None, description="Checksum of the file loaded.")
    content_digest: str | None = Field(None, description="Digest of the entries' content.")
    origin: str | None = Field(None, description="Where it was loaded from.")


class ListsAnswer(_Answer):
    """``GET /v1/lists``."""

    lists: list[ListVersionOut] = Field(description="Every active list.")
    index_fingerprint: str | None = Field(description="The screening index's fingerprint "
                                          "(none: no lists loaded).")
    stale_lists: list[str] = Field([], description="A warning naming every list older than "
                                   "CHIPEXPORT_STALE_LIST_DAYS (30 by default); empty when "
                                   "all are fresh.")
    pending_rescreens: list[dict[str, Any]] = Field(
        default_factory=list, description="Re-screens a list change still owes (a process was "
        "killed during one): `list_change_seq`, `parties_done`; finished at the next start.")


class ListUpdateAnswer(_Answer):
    """``POST /v1/lists/update``: what changed, and what the re-screen opened."""

    versions: list[dict[str, Any]] = Field(description="Per list: `source`, `version`, "
                                           "`entries`, `result` (`updated` or `unchanged`).")
    warnings: list[str] = Field(description="What the reader tolerated in the file.")


class AuditRecordOut(_Answer):
    """One record of the append-only, hash-chained audit trail."""

    seq: int = Field(description="Sequence number in the chain.")
    kind: str = Field(description="`screen`, `check`, `case`, `disposition`, `lists`, ...")
    actor: str = Field(description="The key or user that acted.")
    at: str = Field(description="When (ISO 8601).")
    subject: str | None = Field(None, description="What it is about (`party:3`, `case:7`).")
    ref: str | None = Field(None, description="Your id of the screened row or transaction.")
    body: dict[str, Any] = Field(description="The record: input, output, lists, rules, engine.")
    prev_hash: str = Field(description="Hash of the previous record.")
    hash: str = Field(description="This record's hash.")


class HistoryAnswer(_Answer):
    """``GET /v1/history``."""

    records: list[AuditRecordOut] = Field(description="Records, oldest first.")
    next_after: int | None = Field(description="Pass as `after` for the next page (none: last).")


class VerifyAnswer(_Answer):
    """``GET /v1/audit/verify``."""

    ok: bool = Field(description="Whether every record's hash and chain link hold.")
    records: int = Field(description="Records checked.")
    head: str | None = Field(description="Hash of the last record.")
    broken_seq: int | None = Field(description="The first record that does not hold.")
    problem: str | None = Field(description="What is wrong with it (or with `known_head`).")
    head_seq: int | None = Field(None, description="Sequence number of the last record: keep "
                                 "`head_seq:head` elsewhere and pass it as `known_head` later.")
    known_head: dict[str, Any] | None = Field(
        None, description="The check of `known_head`: `seq`, `hash`, `found`, `problem`.")


class HeadAnswer(_Answer):
    """``GET /v1/audit/head``: the chain's head, signed for an outside witness."""

    seq: int = Field(description="Sequence number of the last record.")
    hash: str = Field(description="Its hash.")
    at: str | None = Field(description="When it was written (ISO 8601).")
    key_id: str = Field(description="Which signing key (a digest of it, not the key).")
    signature: str = Field(description="`hmac-sha256:` and the hex digest.")


class CaseOut(_Answer):
    """A review case: one party's possible match with one list entry, and its decision."""

    id: int = Field(description="The case's id.")
    status: str = Field(description="`open`, `true_match`, `false_positive` or `escalated`.")


class CaseDetail(CaseOut):
    """``GET /v1/cases/{case_id}``: the case and its history."""

    events: list[AuditRecordOut] = Field(description="Its audit records, oldest first.")


class CasesAnswer(_Answer):
    """``GET /v1/cases``."""

    cases: list[CaseOut] = Field(description="Cases, by id.")
    next_after: int | None = Field(description="Pass as `after` for the next page (none: last).")
    total: int = Field(description="Cases with this status in all.")


class StoredResolution(_Answer):
    """A red-flag resolution as recorded (later checks of the transaction receive it)."""

    code: str = Field(description="The red flag's code.")
    by: str = Field(description="Who resolved it.")
    reason: str = Field(description="Why it is resolved.")
    party: int | str | None = Field(None, description="The party's index or name (none: a "
                                    "transaction-level flag).")
    evidence: str | None = Field(None, description="What the resolution rests on.")
    transaction: str | None = Field(None, description="The transaction's id.")
    audit: dict[str, Any] | None = Field(None, description="The audit record: `seq`, `hash`, "
                                         "`at`.")


class ResolutionsAnswer(_Answer):
    """``GET /v1/red-flags/{transaction}``."""

    transaction: str = Field(description="The transaction's id.")
    resolutions: list[StoredResolution] = Field(description="Its resolutions, oldest first.")
