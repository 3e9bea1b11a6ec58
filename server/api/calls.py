"""Calls: who the key is, the call list (with the live monitor's columns), one call's detail, transfers."""

from __future__ import annotations

from typing import Any, Literal

from fastapi import APIRouter, HTTPException, Query, Request
from pydantic import BaseModel, Field

from agent.analytics.analysis import live_view
from agent.events import TranscriptSegment
from agent.feed import Final
from server.api.common import CallId, audited, principal_of, services_of
from server.auth import Role
from server.ingest.messages import ID_PATTERN

router = APIRouter()


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


@router.get("/v1/me", tags=["calls"])
async def me(request: Request) -> dict[str, str | None]:
    """Who this key is: its role, and the agent id of an agent key (the console uses it)."""
    principal = principal_of(request)
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
    principal = principal_of(request)
    agent_filter = principal.agent_id if principal.role is Role.AGENT else None
    store = services_of(request).store
    calls = await store.list_calls(live=status == "live", agent_id=agent_filter, limit=limit)
    assist = services_of(request).assist
    for call in calls:
        if call.get("status") == "live":  # what the live monitor shows for each call
            call["last_customer_text"] = await store.last_text(call["call_id"], "customer")
            if assist is not None and assist.analytics is not None:
                call["analytics"] = live_view(await assist.records.analytics(call["call_id"]))
    return {"calls": calls}


@router.get("/v1/calls/{call_id}", tags=["calls"], response_model=CallDetail)
async def get_call(request: Request, call_id: CallId) -> CallDetail:
    """One call's metadata and its stored transcript."""
    principal = principal_of(request)
    store = services_of(request).store
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
    await audited(request, principal, "GET /v1/calls/{call_id}", [call_id])
    return CallDetail(call=call, transcript=segments)


class TransferIn(BaseModel):
    agent_id: str = Field(pattern=ID_PATTERN, description="the agent who takes the call")


@router.post("/v1/calls/{call_id}/transfer", tags=["calls"])
async def transfer_call(request: Request, call_id: CallId, transfer: TransferIn) -> dict[str, Any]:
    """Hand a live call to another agent (an ingest or supervisor key, or the call's own agent):
    their sidebar opens on it with what was said, suggested and summarized so far; the previous
    agent's goes to wrap-up."""
    principal = principal_of(request, Role.INGEST, Role.SUPERVISOR, Role.AGENT)
    services = services_of(request)
    session = services.live.get(call_id)
    if session is None:
        raise HTTPException(409, f"call {call_id} is not live on this server")
    if principal.role is Role.AGENT and session.agent_id != principal.agent_id:
        raise HTTPException(403, f"call {call_id} is not assigned to this agent")
    previous = session.agent_id
    moved = await session.transfer(transfer.agent_id, principal.agent_id or principal.role.value)
    return {"call_id": call_id, "from_agent": previous, "to_agent": transfer.agent_id, "transferred": moved}
