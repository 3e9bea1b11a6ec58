"""REST endpoints (documented by FastAPI's OpenAPI schema at /openapi.json)."""

from __future__ import annotations

import json
import time
from dataclasses import asdict
from typing import Annotated, Any, Literal

import structlog
from fastapi import APIRouter, HTTPException, Path, Query, Request
from fastapi.responses import PlainTextResponse
from prometheus_client import CONTENT_TYPE_LATEST, generate_latest
from pydantic import BaseModel, Field
from starlette.responses import JSONResponse, Response

from agent.analytics.analysis import live_view
from agent.assist.assistant import AssistServices
from agent.assist.export import build_export, to_markdown
from agent.assist.post_call import archive_call, start_tags
from agent.assist.summarize import guides_used
from agent.assist.wrapup import (
    Disposition,
    WrapupIn,
    WrapupRecords,
    edited_summary,
    parse_dispositions,
    suggested_disposition,
)
from agent.events import TranscriptSegment, turns_from_transcript
from agent.feed import Final, Summary
from kb.archive import ArchiveFilters
from server.audit import AuditRecord, AuditUnavailable
from server.auth import Principal, Role
from server.errors import CloseCode, ProtocolError
from server.ingest.messages import ID_PATTERN, ID_RE, WebRtcOffer
from server.ingest.webrtc import answer_offer
from server.services import Services
from server.times import parse_time

CallId = Annotated[str, Path(pattern=ID_PATTERN, description="1-128 letters, digits, '.', '_' or '-'")]
log = structlog.get_logger(__name__)
router = APIRouter()

_HTTP_STATUS = {
    CloseCode.UNAUTHENTICATED: 401,
    CloseCode.FORBIDDEN: 403,
    CloseCode.NOT_FOUND: 404,
    CloseCode.POLICY_VIOLATION: 429,
}


class Segment(BaseModel):
    id: str
    seq: int
    channel: int
    role: str
    start: float
    end: float
    cut: str
    text: str | None = Field(description="null: no recognizer ran; empty: a guard dropped the model's text")
    source: str | None = Field(None, description="whisper or script; null without a recognizer")
    guard: str | None = Field(None, description="why the recognized text was dropped")
    word_probs: list[float] | None = Field(
        None, description="per word of `text` split at spaces: how sure the recognizer was (0-1; masks 1)"
    )
    uncertain: list[int] = Field(default_factory=list, description="indexes of the uncertain words of `text`")


class CallDetail(BaseModel):
    call: dict[str, Any]
    transcript: list[Segment]


def _services(request: Request) -> Services:
    return request.app.state.services


async def _audited(
    request: Request, principal: Principal, action: str, calls: list[str], detail: str = ""
) -> None:
    """One access-log record for this read, before its content is sent (503 if it cannot be written)."""
    record = AuditRecord.read_by(principal, action, calls, request, detail)
    try:
        await _services(request).audit.append(record)
    except AuditUnavailable as exc:
        raise HTTPException(503, f"{exc}; the read was not done") from None


def _principal(request: Request, *roles: Role) -> Principal:
    """The caller, if its key has one of `roles` (default: agent or supervisor); 401/403 otherwise."""
    try:
        return _services(request).keys.require(request, *(roles or (Role.AGENT, Role.SUPERVISOR)))
    except ProtocolError as error:
        raise HTTPException(_HTTP_STATUS.get(error.code, 400), error.message) from None


@router.get("/healthz", tags=["health"])
async def healthz(request: Request) -> Response:
    """The process is up and can go on (503 when it cannot recover by itself: restart it)."""
    failed = _services(request).failed
    if failed:
        return JSONResponse({"status": "failed", "reason": failed}, status_code=503)
    return JSONResponse({"status": "ok"})


@router.get("/readyz", tags=["health"])
async def readyz(request: Request) -> Response:
    """Redis answers, the models are loaded and the server is not draining."""
    state = await _services(request).ready()
    ok = state["redis"] == "ok" and "draining" not in state
    return JSONResponse({"status": "ready" if ok else "not ready", **state}, status_code=200 if ok else 503)


@router.get("/metrics", tags=["health"], response_class=PlainTextResponse)
async def metrics(request: Request) -> Response:
    """Prometheus counters (no call content). Served to loopback and to the networks in
    CALLASSIST_METRICS_NETWORKS without a key (a scraper), to anyone else with a valid key."""
    client = request.client.host if request.client else ""
    if not _services(request).settings.metrics_open_to(client):
        _principal(request, Role.INGEST, Role.AGENT, Role.SUPERVISOR)
    return Response(generate_latest(), media_type=CONTENT_TYPE_LATEST)


@router.get("/v1/me", tags=["calls"])
async def me(request: Request) -> dict[str, str | None]:
    """Who this key is: its role, and the agent id of an agent key (the console uses it)."""
    principal = _principal(request)
    return {"role": principal.role.value, "agent_id": principal.agent_id}


@router.get("/v1/calls", tags=["calls"])
async def list_calls(
    request: Request,
    status: Literal["live", "all"] = "live",
    limit: int = Query(50, ge=1, le=500),
) -> dict[str, list[dict[str, Any]]]:
    """Calls, newest first. An agent key lists only its own calls. Live calls carry the customer's
    last final text (`last_customer_text`, redacted) and, with analytics on, `analytics`: `risk`,
    `risk_level`, `trend` and the categories found (`name`, `label`, `severity`)."""
    principal = _principal(request)
    agent_filter = principal.agent_id if principal.role is Role.AGENT else None
    store = _services(request).store
    calls = await store.list_calls(live=status == "live", agent_id=agent_filter, limit=limit)
    assist = _services(request).assist
    for call in calls:
        if call.get("status") == "live":  # what the live monitor shows for each call
            call["last_customer_text"] = await store.last_text(call["call_id"], "customer")
            if assist is not None and assist.analytics is not None:
                call["analytics"] = live_view(await assist.records.analytics(call["call_id"]))
    return {"calls": calls}


@router.get("/v1/calls/{call_id}", tags=["calls"], response_model=CallDetail)
async def get_call(request: Request, call_id: CallId) -> CallDetail:
    """One call's metadata and its stored transcript."""
    principal = _principal(request)
    store = _services(request).store
    call = await store.get_call(call_id)
    if call is None:
        raise HTTPException(404, f"no call {call_id}")
    if not principal.can_view_call(call):
        raise HTTPException(403, f"call {call_id} is not assigned to this agent")
    segments = [  # the stored segment as its live `final` event shows it, with its stream id
        Segment(
            id=row["id"],
            **Final.of(call_id, TranscriptSegment.from_fields(row)).model_dump(exclude={"call_id"}),
        )
        for row in await store.transcript(call_id)
    ]
    await _audited(request, principal, "GET /v1/calls/{call_id}", [call_id])
    return CallDetail(call=call, transcript=segments)


# --- assist: feedback, summaries, export, archive search --------------------------------------


class FeedbackIn(BaseModel):
    action: Literal["accept", "dismiss"]


def _assist(request: Request) -> AssistServices:
    assist = _services(request).assist
    if assist is None:
        raise HTTPException(409, "assistance is disabled on this server (CALLASSIST_ASSIST_ENABLED=false)")
    return assist


async def _visible_call(request: Request, call_id: str) -> tuple[Principal, dict[str, Any]]:
    principal = _principal(request)
    call = await _services(request).store.get_call(call_id)
    if call is None:
        raise HTTPException(404, f"no call {call_id}")
    if not principal.can_view_call(call):
        raise HTTPException(403, f"call {call_id} is not assigned to this agent")
    return principal, call


@router.post("/v1/calls/{call_id}/suggestions/{suggestion_id}/feedback", tags=["assist"])
async def suggestion_feedback(
    request: Request, call_id: CallId, suggestion_id: str, body: FeedbackIn
) -> dict[str, Any]:
    """Accept or dismiss a suggestion (stored per call and suggestion; announced to consoles)."""
    principal, call = await _visible_call(request, call_id)
    records = _assist(request).records
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
    principal, _ = await _visible_call(request, call_id)
    services = _services(request)
    assist = _assist(request)
    summary = await assist.records.summary(call_id)
    if summary is None:
        raise HTTPException(404, f"call {call_id} has no summary yet")
    document = None
    if format == "md":
        document = await build_export(services.store, assist.records, services.redactor, call_id)
    await _audited(request, principal, "GET /v1/calls/{call_id}/summary", [call_id], f"format={format}")
    return _summary_response(summary, format, document)


@router.post("/v1/calls/{call_id}/summary", tags=["assist"])
async def refresh_summary(request: Request, call_id: CallId) -> dict[str, Any]:
    """Summarize a live call now (a rolling summary, stored and announced like the periodic ones)."""
    _, call = await _visible_call(request, call_id)
    if call["status"] != "live":
        raise HTTPException(
            409, f"call {call_id} has ended; its final summary is at GET /v1/calls/{call_id}/summary"
        )
    services = _services(request)
    assist = _assist(request)
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
    principal, _ = await _visible_call(request, call_id)
    services = _services(request)
    document = await build_export(services.store, _assist(request).records, services.redactor, call_id)
    if document is None:
        raise HTTPException(404, f"no call {call_id}")
    await _audited(request, principal, "GET /v1/calls/{call_id}/export", [call_id], f"format={format}")
    headers = {"Content-Disposition": f'attachment; filename="call-{call_id}.{format}"'}
    if format == "md":
        return PlainTextResponse(
            to_markdown(document), media_type="text/markdown; charset=utf-8", headers=headers
        )
    return JSONResponse(document, headers=headers)


def _time_param(value: str | None, *, end_of_day: bool = False) -> float | None:
    try:
        return parse_time(value, end_of_day=end_of_day)
    except ValueError as exc:
        raise HTTPException(422, str(exc)) from None


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
    principal = _principal(request)
    if principal.role is Role.AGENT:
        if agent not in (None, principal.agent_id):
            raise HTTPException(403, "an agent key searches only its own calls")
        agent = principal.agent_id
    filters = ArchiveFilters(
        agent=agent, since=_time_param(from_), until=_time_param(to, end_of_day=True), tag=tag
    )
    try:
        page = await _assist(request).archive.search(q, filters, limit=limit, offset=offset)
    except ValueError as error:
        raise HTTPException(422, str(error)) from None
    filters_used = {"agent": agent, "from": from_, "to": to, "tag": tag, "offset": offset, "query": bool(q)}
    detail = json.dumps({k: v for k, v in filters_used.items() if v not in (None, False)}, ensure_ascii=False)
    await _audited(request, principal, "GET /v1/search/calls", [hit.call_id for hit in page.hits], detail)
    return {
        "total": page.total,
        "offset": offset,
        "limit": limit,
        "results": [asdict(hit) for hit in page.hits],
    }


# --- transfers -------------------------------------------------------------------------------------


class TransferIn(BaseModel):
    agent_id: str = Field(pattern=ID_PATTERN, description="the agent who takes the call")


@router.post("/v1/calls/{call_id}/transfer", tags=["calls"])
async def transfer_call(request: Request, call_id: CallId, transfer: TransferIn) -> dict[str, Any]:
    """Hand a live call to another agent (an ingest or supervisor key, or the call's own agent):
    their sidebar opens on it with what was said, suggested and summarized so far; the previous
    agent's goes to wrap-up."""
    principal = _principal(request, Role.INGEST, Role.SUPERVISOR, Role.AGENT)
    services = _services(request)
    session = services.live.get(call_id)
    if session is None:
        raise HTTPException(409, f"call {call_id} is not live on this server")
    if principal.role is Role.AGENT and session.agent_id != principal.agent_id:
        raise HTTPException(403, f"call {call_id} is not assigned to this agent")
    previous = session.agent_id
    moved = await session.transfer(transfer.agent_id, principal.agent_id or principal.role.value)
    return {"call_id": call_id, "from_agent": previous, "to_agent": transfer.agent_id, "transferred": moved}


# --- after-call work ------------------------------------------------------------------------------


def _dispositions(request: Request) -> tuple[Disposition, ...]:
    return parse_dispositions(_services(request).settings.wrapup_dispositions)


@router.get("/v1/calls/{call_id}/wrapup", tags=["wrap-up"])
async def get_wrapup(request: Request, call_id: CallId) -> dict[str, Any]:
    """What the wrap-up form needs: the codes, the one most likely for this call, the final summary
    to check, and the wrap-up if it was submitted already."""
    principal, call = await _visible_call(request, call_id)
    services, assist = _services(request), _assist(request)
    summary = await assist.records.summary(call_id)
    dispositions = _dispositions(request)
    suggested = suggested_disposition(
        dispositions,
        call,
        summary,
        await assist.records.suggestions(call_id),
        await assist.records.feedback(call_id),
    )
    await _audited(request, principal, "GET /v1/calls/{call_id}/wrapup", [call_id])
    return {
        "call_id": call_id,
        "status": call["status"],
        "dispositions": [asdict(d) for d in dispositions],
        "suggested": suggested,
        "summary": summary,
        "submitted": await WrapupRecords(services.store).get(call_id, _whose_wrapup(principal, call)),
        "hold_s": services.settings.wrapup_hold_s,
    }


@router.post("/v1/calls/{call_id}/wrapup", tags=["wrap-up"])
async def submit_wrapup(request: Request, call_id: CallId, wrapup: WrapupIn) -> dict[str, Any]:
    """Store the agent's after-call work with the ended call: disposition, note (redacted), summary
    corrections (redacted); announced as `wrapup`, in exports, and as a `disposition-CODE` tag in
    archive search. Submitting again replaces it."""
    principal, call = await _visible_call(request, call_id)
    whose = _whose_wrapup(principal, call)
    if call["status"] != "ended" and whose == call["agent_id"]:
        raise HTTPException(409, f"call {call_id} is still live; wrap up once it has ended")
    dispositions = _dispositions(request)
    chosen = next((d for d in dispositions if d.code == wrapup.disposition), None)
    if chosen is None:
        codes = ", ".join(d.code for d in dispositions)
        raise HTTPException(422, f"disposition {wrapup.disposition!r} is not one of: {codes}")
    services, assist = _services(request), _assist(request)
    summary = await assist.records.summary(call_id)
    # the summary is corrected by whoever wraps up the ended call (a live one's is still rolling)
    corrected = (
        edited_summary(summary, wrapup.summary, services.redactor) if call["status"] == "ended" else None
    )
    if corrected is not None:
        await assist.records.put_summary(call["agent_id"], Summary.model_validate(corrected))
        summary = corrected
    by = principal.agent_id if principal.role is Role.AGENT else principal.role.value
    note = services.redactor.redact(wrapup.note.strip())
    stored = await WrapupRecords(services.store).put(
        call_id, whose, chosen, note, corrected is not None, by or ""
    )
    if summary is not None and whose == call["agent_id"] and call["status"] == "ended":
        try:  # the archive entry again, with the corrected summary and the disposition as a tag
            turns = turns_from_transcript(await services.store.transcript(call_id))
            tags = [*start_tags(call), f"disposition-{chosen.code}"]
            ended_at = float(call.get("ended_at") or time.time())
            await archive_call(assist, call, Summary.model_validate(summary), turns, tags, ended_at)
        except Exception as exc:  # stored and announced all the same; the archive keeps its entry
            log.warning("wrapup_not_archived", call_id=call_id, error=repr(exc))
    return stored.data  # the record as stored and announced, with the call id


def _whose_wrapup(principal: Principal, call: dict[str, Any]) -> str:
    """An agent wraps up their own part of the call (the call's agent, or one it was transferred
    away from); a supervisor, the call's agent's."""
    mine = principal.agent_id if principal.role is Role.AGENT else None
    if mine and mine != call["agent_id"] and mine in (call.get("previous_agents") or []):
        return mine
    return str(call["agent_id"])


@router.get("/v1/wrapups/pending", tags=["wrap-up"])
async def pending_wrapups(
    request: Request, hours: float = Query(24, gt=0, le=168, description="Calls that started this recently")
) -> dict[str, Any]:
    """Ended calls whose agent has not submitted the wrap-up yet, and how long each has waited
    (supervisor keys)."""
    _principal(request, Role.SUPERVISOR)
    waiting = await WrapupRecords(_services(request).store).pending(time.time() - hours * 3600)
    return {"calls": waiting}


# --- access audit --------------------------------------------------------------------------------


@router.get("/v1/audit", tags=["audit"])
async def audit_log(
    request: Request,
    from_: str | None = Query(None, alias="from", description="Records at or after (epoch, YYYY-MM-DD, ISO)"),
    to: str | None = Query(None, description="Records at or before (a date includes the whole day)"),
    after: str | None = Query(
        None, pattern=r"^\d{1,20}-\d{1,20}$", description="Continue after this record id"
    ),
    limit: int = Query(100, ge=1, le=1000),
) -> dict[str, Any]:
    """The access log, oldest first, a page at a time (auditor keys only): who read which calls,
    how, when and from where; `next` continues the page."""
    _principal(request, Role.AUDITOR)
    records, next_after = await _services(request).audit.page(
        since=_time_param(from_), until=_time_param(to, end_of_day=True), after=after, limit=limit
    )
    return {"records": records, "next": next_after}


@router.get("/v1/audit/verify", tags=["audit"])
async def audit_verify(request: Request) -> dict[str, Any]:
    """Walk the access log's hash chain: whether every record is where and as it was written."""
    _principal(request, Role.AUDITOR)
    return await _services(request).audit.verify()


# --- WebRTC ingest -------------------------------------------------------------------------------


@router.post("/v1/calls/{call_id}/webrtc", tags=["ingest"])
async def webrtc_offer(request: Request, call_id: CallId, offer: WebRtcOffer) -> dict[str, str]:
    """Start a call from a browser or any WebRTC peer: send the SDP offer, get the answer.

    An ingest key names the agent in `agent_id`; an agent key (the agent's own softphone) is that
    agent. `track_roles` gives each audio track's role in the offer's order (one stereo track with
    two roles is split left/right)."""
    services = _services(request)
    principal = _principal(request, Role.INGEST, Role.AGENT)
    agent_id = principal.agent_id if principal.role is Role.AGENT else offer.agent_id
    if principal.role is Role.AGENT and offer.agent_id not in (None, principal.agent_id):
        raise HTTPException(403, "an agent key starts calls only for its own agent")
    if not agent_id or not ID_RE.match(agent_id):
        raise HTTPException(422, "agent_id is required with an ingest key (letters, digits, '.', '_', '-')")
    try:
        return await answer_offer(services, call_id, offer, agent_id)
    except ProtocolError as error:
        status = {CloseCode.CONFLICT: 409, CloseCode.TRY_AGAIN_LATER: 503, CloseCode.UNSUPPORTED_MEDIA: 415}
        raise HTTPException(status.get(error.code, 400), error.message) from None


@router.delete("/v1/calls/{call_id}/webrtc", tags=["ingest"])
async def webrtc_hangup(request: Request, call_id: CallId) -> dict[str, str]:
    """Hang up a WebRTC call (its last utterances are stored, the summary written)."""
    services = _services(request)
    principal = _principal(request, Role.INGEST, Role.AGENT)
    call = services.calls.get(call_id)
    if call is None or call.transport != "webrtc" or call.session is None:
        raise HTTPException(404, f"no live WebRTC call {call_id} on this server")
    if principal.role is Role.AGENT and call.session.agent_id != principal.agent_id:
        raise HTTPException(403, f"call {call_id} is not assigned to this agent")
    call.hang_up.set()
    await call.ended.wait()
    return {"call_id": call_id, "status": "ended"}
