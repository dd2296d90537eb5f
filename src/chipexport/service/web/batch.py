"""Batch screening from an uploaded CSV: a background thread, a progress bar, a download.

The upload is bounded by the service's body limit (``CHIPEXPORT_MAX_BODY_BYTES``, 1 MiB by
default, a few thousand rows) and by :data:`MAX_ROWS`. Rows are read with the CLI's reader
(:func:`read_rows`), so the same file gives the same row errors, and each usable row is screened
and recorded with :func:`screen_and_record` in its own transaction, like ``POST /v1/screen``:
a server stopped half-way keeps every row it recorded. Results stay in memory for this server
process and only the key that started a job can read it.
"""

from __future__ import annotations

import json
import threading
import time
import uuid
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import Engine

from chipexport.csv_writer import csv_text, screening_table
from chipexport.lists.countries import screening_country
from chipexport.screening.batch import BatchFileError, read_rows, row_problem
from chipexport.service.schemas import MAX_REF_CHARS
from chipexport.store.screened import ScreenContext, screen_and_record

MAX_ROWS = 5000
KEEP_JOBS = 50  # finished jobs kept per server process (oldest dropped first)


@dataclass
class Job:
    id: str
    owner: str
    filename: str
    rows: list[tuple[dict[str, Any], str | None, int]]
    done: int = 0
    matched: int = 0
    errors: int = 0
    results: list[dict[str, Any]] = field(default_factory=list)
    failure: str | None = None
    finished: bool = False
    started: float = field(default_factory=time.monotonic)

    def status(self) -> dict[str, Any]:
        return {"id": self.id, "filename": self.filename, "total": len(self.rows),
                "done": self.done, "matched": self.matched, "errors": self.errors,
                "finished": self.finished, "failure": self.failure}


def parse_upload(data: bytes, filename: str) -> list[tuple[dict[str, Any], str | None, int]]:
    """``(row, problem, line)`` for every row; :class:`BatchFileError` for an unusable file."""
    rows = [(row, problem, line)
            for row, problem, line, _ in read_rows(data.splitlines(keepends=True), filename)]
    if not rows:
        raise BatchFileError(f"{filename}: no rows after the header")
    if len(rows) > MAX_ROWS:
        raise BatchFileError(f"{filename}: {len(rows)} rows; the web upload takes {MAX_ROWS} "
                             "(use 'chipexport screen --input' for more)")
    return rows


def _one(db: Engine, ctx: ScreenContext, job: Job, n: int) -> dict[str, Any]:
    row, problem, line = job.rows[n]
    problem = problem or (None if row.get("id") else f"line {line}: field 'id' is empty")
    if problem is None and len(str(row["id"])) > MAX_REF_CHARS:
        problem = (f"line {line}: field 'id' is {len(str(row['id']))} characters long "
                   f"(limit {MAX_REF_CHARS})")
    if problem is None and (why := row_problem(row.get("name"))):
        problem = f"line {line}: {why}"
    extra_cols = {k: v for k, v in row.items() if k not in ("id", "name", "country") and k}
    if problem is not None:
        return {"id": row.get("id"), "name": row.get("name"), "country": row.get("country") or None,
                **extra_cols, "matches": [], "error": problem}
    item: dict[str, Any] = {"id": str(row["id"]), "name": str(row["name"])}
    country, warning = screening_country(row.get("country"))
    if country:
        item["country"] = country
    if extra_cols:
        item["data"] = extra_cols
    out, _ = screen_and_record(
        db, ctx, item, actor=job.owner,
        extra={"via": "web", "batch": {"id": job.id, "index": n, "size": len(job.rows)}},
    )
    # The CLI's output shape: the extra columns sit beside id, name and country.
    head = {"id": out["id"], "name": out["name"], "country": out["country"], **extra_cols}
    if warning:
        head["warnings"] = [warning]
    return head | {k: v for k, v in out.items() if k not in head and k != "data"}


def run(db: Engine, ctx: ScreenContext, job: Job) -> None:
    """Screen every row of ``job`` in order (the body of the job's thread)."""
    try:
        for n in range(len(job.rows)):
            out = _one(db, ctx, job, n)
            job.results.append(out)
            job.matched += bool(out.get("matches"))
            job.errors += "error" in out
            job.done = n + 1
    except Exception as exc:  # a job's failure is shown on its page, not lost in a thread
        job.failure = f"stopped at row {job.done + 1}: {type(exc).__name__}: {exc}"
    finally:
        job.finished = True


@dataclass
class Jobs:
    """Batch jobs of this server process."""

    by_id: dict[str, Job] = field(default_factory=dict)
    lock: threading.Lock = field(default_factory=threading.Lock)

    def start(self, db: Engine, ctx: ScreenContext, owner: str, filename: str,
              rows: list[tuple[dict[str, Any], str | None, int]]) -> Job:
        job = Job(uuid.uuid4().hex[:12], owner, filename, rows)
        with self.lock:
            finished = [j for j in self.by_id.values() if j.finished]
            for old in finished[: max(0, len(self.by_id) - KEEP_JOBS)]:
                del self.by_id[old.id]
            self.by_id[job.id] = job
        threading.Thread(target=run, args=(db, ctx, job), name=f"batch-{job.id}",
                         daemon=True).start()
        return job

    def get(self, job_id: str, owner: str) -> Job | None:
        job = self.by_id.get(job_id)
        return job if job is not None and job.owner == owner else None


def as_jsonl(job: Job) -> str:
    """The CLI's output format: one JSON object per input row, in input order."""
    return "".join(json.dumps(r, ensure_ascii=False) + "\n" for r in job.results)


def as_csv(job: Job) -> str:
    """One line per row: the best match (if any) flattened for spreadsheets (formulas quoted)."""
    return csv_text(*screening_table(job.results))
