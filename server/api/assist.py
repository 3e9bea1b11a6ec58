"""Assistance after the fact: suggestion feedback, summaries, export, archive search."""

from __future__ import annotations

import json
from dataclasses import asdict
from typing import Any, Literal

from fastapi import APIRouter, HTTPException, Query, Request
from fastapi.responses import PlainTextResponse
from pydantic import BaseModel
from starlette.responses import JSONResponse, Response

from agent.assist.export import build_export, to_markdown
from agent.assist.summarize import guides_used
from agent.events import turns_from_transcript
from kb.archive import ArchiveFilters
from server.api.common import CallId, assist_of, audited, principal_of, services_of, time_param, visible_call
from server.auth import Role

router = APIRouter()


class FeedbackIn(BaseModel):
    action: Literal["accept", "dismiss"]


@router.post("/v1/calls/{call_id}/suggestions/{suggestion_id}/feedback", tags=["assist"])
async def suggestion_feedback(
    request: Request, call_id: CallId, suggestion_id: str, body: FeedbackIn
) -> dict[str, Any]:
    """Accept or dismiss a suggestion (stored per call and suggestion; announced to consoles)."""
    principal, call = await visible_call(request, call_id)
    records = assist_of(request).records
    if not await records.has_suggestion(call_id, suggestion_id):
        raise HTTPException(404, f"call {call_id} has no suggestion {suggestion_id}")
    by = principal.agent_id or principal.role.value
    event = await records.put_feedback(call_id, call["agent_id"], suggestion_id, body.action, by)
    return event.to_message()


def _summary_response(summary: dict[str, Any], format: str, document: dict[str, Any] | None) -> Response:
    if format == "md" and document is not None:
        return PlainTextResponse(to_markdown(document), media_type="text/markdown; charset=utf-8")
    return JSONResponse(summary)


@router.get("/v1/calls/{call_id}/summary", tags=["assist"])
async def get_summary(request: Request, call_id: CallId, format: Literal["json", "md"] = "json") -> Response:
    """The call's latest summary: rolling while live, final after hang-up. `md`: the call as Markdown."""
    principal, _ = await visible_call(request, call_id)
    services = services_of(request)
    assist = assist_of(request)
    summary = await assist.records.summary(call_id)
    if summary is None:
        raise HTTPException(404, f"call {call_id} has no summary yet")
    document = None
    if format == "md":
        document = await build_export(services.store, assist.records, services.redactor, call_id)
    await audited(request, principal, "GET /v1/calls/{call_id}/summary", [call_id], f"format={format}")
    return _summary_response(summary, format, document)


@router.post("/v1/calls/{call_id}/summary", tags=["assist"])
async def refresh_summary(request: Request, call_id: CallId) -> dict[str, Any]:
    """Summarize a live call now (a rolling summary, stored and announced like the periodic ones)."""
    _, call = await visible_call(request, call_id)
    if call["status"] != "live":
        raise HTTPException(
            409, f"call {call_id} has ended; its final summary is at GET /v1/calls/{call_id}/summary"
        )
    services = services_of(request)
    assist = assist_of(request)
    transcript = await services.store.transcript(call_id)
    suggestions = await assist.records.suggestions(call_id)
    feedback = await assist.records.feedback(call_id)
    summary = await assist.summarizer.summarize(
        call_id, "rolling", turns_from_transcript(transcript), guides_used(suggestions, feedback)
    )
    await assist.records.put_summary(call["agent_id"], summary)
    return summary.model_dump()


@router.get("/v1/calls/{call_id}/export", tags=["assist"])
async def export_call(request: Request, call_id: CallId, format: Literal["json", "md"] = "json") -> Response:
    """The whole call as a download: metadata, redacted transcript, suggestions, summary."""
    principal, _ = await visible_call(request, call_id)
    services = services_of(request)
    document = await build_export(services.store, assist_of(request).records, services.redactor, call_id)
    if document is None:
        raise HTTPException(404, f"no call {call_id}")
    await audited(request, principal, "GET /v1/calls/{call_id}/export", [call_id], f"format={format}")
    headers = {"Content-Disposition": f'attachment; filename="call-{call_id}.{format}"'}
    if format == "md":
        return PlainTextResponse(
            to_markdown(document), media_type="text/markdown; charset=utf-8", headers=headers
        )
    return JSONResponse(document, headers=headers)


@router.get("/v1/search/calls", tags=["archive"])
async def search_calls(
    request: Request,
    q: str = Query("", max_length=500, description="Words to find (keyword + vector); empty: newest first"),
    agent: str | None = Query(None, description="Only this agent's calls"),
    from_: str | None = Query(None, alias="from", description="Started at or after (epoch, YYYY-MM-DD, ISO)"),
    to: str | None = Query(None, description="Started at or before (a date includes the whole day)"),
    tag: str | None = Query(None, description="Calls with this tag (start metadata tags, guide ids used)"),
    limit: int = Query(20, ge=1, le=100),
    offset: int = Query(0, ge=0, le=10_000),
) -> dict[str, Any]:
    """Ended calls matching `q`, best first, one result per call. An agent key finds only its own calls."""
    principal = principal_of(request)
    if principal.role is Role.AGENT:
        if agent not in (None, principal.agent_id):
            raise HTTPException(403, "an agent key searches only its own calls")
        agent = principal.agent_id
    filters = ArchiveFilters(
        agent=agent, since=time_param(from_), until=time_param(to, end_of_day=True), tag=tag
    )
    try:
        page = await assist_of(request).archive.search(q, filters, limit=limit, offset=offset)
    except ValueError as error:
        raise HTTPException(422, str(error)) from None
    filters_used = {"agent": agent, "from": from_, "to": to, "tag": tag, "offset": offset, "query": bool(q)}
    detail = json.dumps({k: v for k, v in filters_used.items() if v not in (None, False)}, ensure_ascii=False)
    await audited(request, principal, "GET /v1/search/calls", [hit.call_id for hit in page.hits], detail)
    return {
        "total": page.total,
        "offset": offset,
        "limit": limit,
        "results": [asdict(hit) for hit in page.hits],
    }
