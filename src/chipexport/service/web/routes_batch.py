"""Batch upload page, the upload itself, job progress (polled by the page) and downloads."""

from __future__ import annotations

import re

from fastapi import APIRouter, Depends, Form, Request, UploadFile
from fastapi.responses import HTMLResponse, JSONResponse, PlainTextResponse, Response

from chipexport.screening.batch import BatchFileError
from chipexport.service.web import batch
from chipexport.service.web.render import page
from chipexport.service.web.session import WebUser, check_csrf, current_user

router = APIRouter()
User = Depends(current_user)


def _jobs(request: Request) -> batch.Jobs:
    found: batch.Jobs = request.app.state.web_jobs
    return found


@router.get("/web/batch", response_class=HTMLResponse)
def batch_page(request: Request, user: WebUser = User, job: str | None = None) -> Response:
    found = _jobs(request).get(job, user.key.name) if job else None
    return page(request, "batch.html", user, "batch", job=found, problem=None,
                max_rows=batch.MAX_ROWS,
                max_bytes=request.app.state.settings.max_body_bytes)


@router.post("/web/batch", response_class=HTMLResponse)
async def batch_upload(
    request: Request, file: UploadFile, csrf: str = Form(""), user: WebUser = User
) -> Response:
    """Start a job; the browser is sent to the page that shows its progress."""
    check_csrf(user, csrf)
    state = request.app.state
    name = (file.filename or "upload.csv").rsplit("/", 1)[-1][:100]
    data = await file.read(state.settings.max_body_bytes + 1)
    problem = None
    ctx = state.index.maybe_current()
    if ctx is None:
        problem = "no restricted-party lists are loaded: run 'chipexport lists load'"
    else:
        try:
            rows = batch.parse_upload(data, name)
        except BatchFileError as exc:
            problem = str(exc)
    if problem is not None or ctx is None:
        # 200, not 422: the page loaded; an error status shows as a console error in browsers
        return page(request, "batch.html", user, "batch", job=None,
                    problem=problem, max_rows=batch.MAX_ROWS,
                    max_bytes=state.settings.max_body_bytes)
    job = _jobs(request).start(state.store.engine, ctx, user.key.name, name, rows)
    return Response(status_code=303, headers={"Location": f"/web/batch?job={job.id}"})


@router.get("/web/batch/{job_id}/status")
def batch_status(request: Request, job_id: str, user: WebUser = User) -> Response:
    job = _jobs(request).get(job_id, user.key.name)
    if job is None:
        return JSONResponse({"error": "no such job"}, status_code=404)
    return JSONResponse(job.status())


@router.get("/web/batch/{job_id}/result.{fmt}")
def batch_result(request: Request, job_id: str, fmt: str, user: WebUser = User) -> Response:
    job = _jobs(request).get(job_id, user.key.name)
    if job is None or not job.finished or fmt not in ("jsonl", "csv"):
        return PlainTextResponse("no finished job with that id", status_code=404)
    stem = re.sub(r"[^A-Za-z0-9_.-]", "_", job.filename.rsplit(".", 1)[0]) or "batch"
    body, media = ((batch.as_jsonl(job), "application/x-ndjson") if fmt == "jsonl"
                   else (batch.as_csv(job), "text/csv"))
    return Response(body, media_type=media, headers={
        "Content-Disposition": f'attachment; filename="{stem}-screened.{fmt}"'})
